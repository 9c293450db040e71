"""Demo data of the portal: notices, enterprise accounts (printed), a reply to a published result, the first dump."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core.demo import DEMO_PASSWORD, demo_password_hash, step
from jianguan.core.models import OrgUnit, PublicProfile

from . import opendata, services
from .models import Notice, Reply

NOTICES = [
    ("关于开展2025年度年度报告公示工作的通告",
     "各类市场主体应于每年1月1日至6月30日，通过本门户“我的账号 › 年度报告”报送上一年度年度报告并向社会公示。"
     "逾期未报送的，将依法列入经营异常名录（个体工商户标记为经营异常状态）。", True),
    ("双随机、一公开抽查计划及抽取结果公示说明",
     "本局年度抽查计划、每一批次的承诺值、公开随机源和抽取结果包均在“双随机抽查”栏目公示。"
     "任何人都可以下载结果包和 draw.py，自行验证抽取过程未被人为干预。", False),
    ("开放数据服务上线",
     "市场主体登记、经营异常名录、严重违法失信名单、抽查结果等公开数据每日生成全量数据包，"
     "并提供无需申请密钥的公开数据接口，欢迎社会各界使用。", False),
]


@step(90, "公众服务门户")
def demo_portal(*, today: dt.date, stdout) -> dict:
    city = OrgUnit.objects.filter(parent__isnull=True).order_by("id").first()
    with transaction.atomic():
        for i, (title, body, pinned) in enumerate(NOTICES):
            if not Notice.objects.filter(title=title).exists():
                services.notice_save(actor="demo", title=title, body=body, pinned=pinned, unit=city,
                                     published_on=today - dt.timedelta(days=3 * i))
        logins = _accounts(today)
    stdout.write(f"  通知公告 {Notice.objects.count()} 条；企业账号（密码 {DEMO_PASSWORD}）：")
    for row in logins:
        stdout.write(f"    {row['username']:<20} {row['entity']}（{row['uscc']}）")
    if opendata.read_manifest() is None:
        manifest = services.opendata_dump(actor="demo", today=today)
        counts = "，".join(f"{d['name']} {d['rows']}" for d in manifest["datasets"])
        stdout.write(f"  开放数据包已生成：{counts}")
    return {"portal_logins": logins}


def _accounts(today: dt.date) -> list[dict]:
    """The enterprise accounts made by other demo steps, plus one whose entity has a published inspection result
    (logged in with its USCC) with a reply to it, so the right of reply shows on a public record."""
    from jianguan.inspections.models import InspectionTask, TaskStatus

    User = get_user_model()
    task = (InspectionTask.objects.filter(status=TaskStatus.PUBLISHED).select_related("entity")
            .order_by("id").first())
    if task is not None and not User.objects.filter(username=task.entity.uscc).exists():
        user = User(username=task.entity.uscc, first_name=task.entity.name[:150])
        user.password = demo_password_hash()
        user.save()
        PublicProfile.objects.create(user=user, kind=PublicProfile.Kind.ENTERPRISE, entity=task.entity,
                                     phone=task.entity.phone)
    if task is not None and not Reply.objects.filter(object_type="inspections.inspectiontask",
                                                     object_id=str(task.pk)).exists():
        user = User.objects.get(username=task.entity.uscc)
        services.reply_post(actor=user, object_type="inspections.inspectiontask", object_id=str(task.pk),
                            body="感谢检查组的指导。我公司已对照抽查事项逐项自查，相关制度已完善并张贴上墙，欢迎社会监督。")
    profiles = (PublicProfile.objects.filter(kind=PublicProfile.Kind.ENTERPRISE, entity__isnull=False)
                .select_related("user", "entity").order_by("id")[:8])
    return [{"username": p.user.username, "entity": p.entity.name, "uscc": p.entity.uscc} for p in profiles]
