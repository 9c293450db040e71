"""Demo data of double-random inspections: the item list, a 2026 plan of 新华区 drawn, run and published, tasks of the
demo inspectors with some results, an "unreachable" listing proposal and an enforcement lead. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core.demo import step
from jianguan.core.models import OrgUnit
from jianguan.registry.models import Entity

from . import queries, services
from .models import AssignmentMode, InspectionItem, InspectionMethod, InspectionPlan, ResultCategory, TaskStatus

DEMO_BEACON = "福利彩票3D 2026年第320期开奖号码"
DEMO_RANDOMNESS = "3 8 5"  # fixed, so the demo draw is the same on every machine

ITEMS = [
    (
        "SJ-GS-01",
        "企业公示信息情况检查",
        "《企业信息公示暂行条例》第十四条、第十七条",
        "信用监督管理科",
        "企业",
        InspectionMethod.ON_SITE,
        ["年度报告公示信息与实际情况一致", "即时信息按规定公示", "在登记的住所（经营场所）能够联系"],
    ),
    (
        "SJ-SP-01",
        "食品经营者经营活动检查",
        "《中华人民共和国食品安全法》第一百一十条",
        "食品安全监督管理科",
        "食品经营者",
        InspectionMethod.ON_SITE,
        ["食品经营许可证在有效期内并公示", "从业人员持有效健康证明", "进货查验记录完整", "食品贮存条件符合要求"],
    ),
    (
        "SJ-TZ-01",
        "特种设备使用单位监督检查",
        "《中华人民共和国特种设备安全法》第五十七条",
        "特种设备安全监察科",
        "特种设备使用单位",
        InspectionMethod.ON_SITE,
        ["设备已办理使用登记", "设备在定期检验有效期内", "作业人员持证上岗"],
    ),
    (
        "SJ-ZL-01",
        "生产领域产品质量监督抽查",
        "《中华人民共和国产品质量法》第十五条",
        "产品质量安全监督管理科",
        "生产企业",
        InspectionMethod.SAMPLING,
        ["按规定抽取样品", "样品封存及确认手续完整"],
    ),
    (
        "SJ-JL-01",
        "强制检定计量器具使用检查",
        "《中华人民共和国计量法》第九条",
        "计量科",
        "使用强制检定计量器具的单位",
        InspectionMethod.ON_SITE,
        ["计量器具按期检定", "无使用不合格计量器具"],
    ),
    (
        "SJ-GG-01",
        "广告发布行为检查",
        "《中华人民共和国广告法》第四十九条",
        "综合行政执法支队",
        "广告主、广告经营者、广告发布者",
        InspectionMethod.ONLINE,
        ["广告内容真实合法", "无禁止性用语"],
    ),
    (
        "SJ-JG-01",
        "价格行为检查",
        "《中华人民共和国价格法》第三十三条",
        "价格监督检查和反不正当竞争科",
        "经营者",
        InspectionMethod.ON_SITE,
        ["明码标价", "无价格欺诈行为"],
    ),
    (
        "SJ-XK-01",
        "登记事项及许可证照检查",
        "《中华人民共和国市场主体登记管理条例》第三十五条",
        "登记注册科",
        "市场主体",
        InspectionMethod.ON_SITE,
        ["营业执照在显著位置悬挂", "实际经营与登记事项一致", "许可证照在有效期内"],
    ),
]


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def load_items() -> list[InspectionItem]:
    items = []
    for sort, (code, name, basis, department, object_type, method, checklist) in enumerate(ITEMS, 1):
        item, _ = InspectionItem.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "legal_basis": basis,
                "department": department,
                "object_type": object_type,
                "method": method,
                "checklist": checklist,
                "frequency": "每年至少一次",
                "sort": sort,
                "is_active": True,
            },
        )
        items.append(item)
    return items


@step(40, "双随机抽查")
def demo_inspections(*, today: dt.date, stdout) -> dict:
    items = {item.code: item for item in load_items()}
    district = OrgUnit.objects.get(code="410402")
    head = _user("xh_head") or "demo"
    if not Entity.objects.filter(unit__path__startswith=district.path).exists():
        stdout.write("  新华区没有市场主体，只载入抽查事项清单。")
        return {}
    title = f"新华区{today.year}年度双随机抽查计划（第一季度综合检查）"
    plan = InspectionPlan.objects.filter(unit=district, year=today.year, title=title).first()
    with transaction.atomic():
        if plan is None:
            plan = services.plan_create(
                actor=head,
                unit=district,
                year=today.year,
                title=title,
                on=today,
                items=[items["SJ-GS-01"], items["SJ-XK-01"]],
                filter_units=[OrgUnit.objects.get(code="41040201")],
                assignment=AssignmentMode.POOLED,
                description="对西高皇所辖区市场主体开展企业公示信息和登记事项检查；检查人员在全区统一抽取。",
                complete_by=today + dt.timedelta(days=45),
            )
            # A demo-sized draw whatever the number of seeded entities: a few per risk class.
            sizes = queries.build_pool(plan, today, with_inspectors=False).sizes
            wanted = {"A": 2, "B": 6, "C": 3, "D": 2}
            services.plan_update(
                actor=head, plan=plan, quota_overrides={k: min(v, sizes[k]) for k, v in wanted.items()}
            )
            services.plan_publish(actor=head, plan=plan)
        joint_title = f"新华区{today.year}年度食品安全与价格部门联合抽查计划"
        if not InspectionPlan.objects.filter(unit=district, year=today.year, title=joint_title).exists():
            services.plan_create(
                actor=head,
                unit=district,
                year=today.year,
                title=joint_title,
                on=today,
                items=[items["SJ-SP-01"], items["SJ-JG-01"]],
                joint_departments="新华区发展和改革委员会（价格）、新华区卫生健康委员会",
                filter_licence_kinds=["food_business"],
            )
    batch = plan.batches.order_by("number").first()
    with transaction.atomic():
        if batch is None:
            batch = services.batch_create(actor=head, plan=plan, beacon=DEMO_BEACON, draw_date=today)
        if batch.status == batch.Status.DRAFT:
            batch = services.batch_freeze(actor=head, batch=batch, on=today)
        if batch.status == batch.Status.COMMITTED:
            batch = services.batch_draw(actor=head, batch=batch, randomness=DEMO_RANDOMNESS, on=today)
        if batch.status == batch.Status.DRAWN:
            batch = services.batch_publish(actor=head, batch=batch)
    tasks = list(batch.tasks.exclude(status=TaskStatus.VOID).order_by("position"))
    if tasks and not any(t.status != TaskStatus.ASSIGNED for t in tasks):
        outcomes = [
            ResultCategory.NO_PROBLEM,
            ResultCategory.UNREACHABLE,
            ResultCategory.FOLLOW_UP,
            ResultCategory.CORRECTED,
        ]
        with transaction.atomic():
            for task, category in zip(tasks, outcomes):
                members = [m.inspector for m in task.members.select_related("inspector")]
                notes = {
                    ResultCategory.UNREACHABLE: "两次实地核查，登记住所无人办公，电话无法接通",
                    ResultCategory.FOLLOW_UP: "实际经营地址与登记住所不一致，涉嫌未依法办理变更登记",
                    ResultCategory.CORRECTED: "营业执照未悬挂，已当场责令改正",
                }.get(category, "")
                services.result_record(
                    actor=members[0],
                    task=task,
                    inspected_on=today,
                    on=today,
                    notes=notes,
                    results=[
                        {
                            "item": item.pk,
                            "category": category if item.code == "SJ-GS-01" else ResultCategory.NO_PROBLEM,
                            "notes": notes,
                        }
                        for item in plan.items.all()
                    ],
                )
                if category != ResultCategory.CORRECTED:  # one result left waiting for the second confirmation
                    for member in members[1:]:
                        services.result_confirm(actor=member, task=task, on=today)
            services.results_publish(
                actor=head, tasks=[t for t in batch.tasks.filter(status=TaskStatus.CONFIRMED) if t.position == 1]
            )
    stdout.write(
        f"  {plan.code}：第 {batch.number} 批，承诺值 {batch.commitment[:16]}…，随机数「{batch.randomness}」，"
        f"{batch.tasks.count()} 个任务，{len(batch.unassigned)} 个未分配；检查人员登录 xh_inspector / "
        "xh_inspector2 / xh_case 查看任务"
    )
    return {"plan": plan.code, "batch": batch.pk}
