"""Demo: leads and cases in every state for three district bureaus, through the real services.

Idempotent: each demo lead carries a deterministic source (``demo.enforcement``, ``N``); a second run finds it and
skips the story. Dates are relative to ``today`` so the clocks on the deadline board look alive.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core import workdays
from jianguan.core.demo import step
from jianguan.core.errors import DomainError
from jianguan.core.models import OrgUnit

from . import services
from .models import Campaign, Lead, LeadSource, LeadStatus

DISTRICTS = [("410402", "xh"), ("410403", "wd"), ("410411", "zh")]
# (stage reached, case type, campaign, fine, kinds, days since filing)
STORIES = [
    ("lead_new", "food", None, None, None, 3),
    ("lead_checking", "trademark", None, None, None, 6),
    ("lead_not_filed", "product_quality", None, None, None, 20),
    ("filed", "counterfeit_goods", "dajia", None, None, 12),
    ("overdue", "price_gouging", None, None, None, 100),
    ("investigated", "trademark", "huhang", "60000", ["fine", "confiscate_goods"], 30),
    ("legal_review", "false_advertising", None, "80000", ["fine"], 35),
    ("notified", "special_equipment", None, "50000", ["fine"], 40),
    ("hearing", "food", "leiting", "300000", ["fine"], 45),
    ("decided", "metrology", None, "5000", ["fine"], 55),
    ("served", "illegal_fees", "sheqi", "80000", ["fine"], 62),
    ("executed", "product_quality", None, "8000", ["warning", "fine"], 66),
    ("closed", "patent_counterfeit", "huhang", "30000", ["fine"], 75),
    ("simplified", "metrology", None, "150", ["fine"], 8),
]
FACTS = {
    "food": "经营超过保质期的食品原料", "trademark": "销售侵犯注册商标专用权的白酒", "product_quality": "销售不合格电线",
    "counterfeit_goods": "销售假冒伪劣电动车头盔", "price_gouging": "哄抬口罩价格", "false_advertising": "发布虚假保健功效广告",
    "special_equipment": "使用未经定期检验的电梯", "metrology": "使用未经检定的电子秤", "illegal_fees": "向入驻企业违规收取保证金",
    "patent_counterfeit": "在产品包装上标注失效专利号",
}
ORDER = ["filed", "investigated", "legal_review", "notified", "hearing", "decided", "served", "executed", "closed"]


def _at(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


@step(60, "行政执法")
def demo_enforcement(*, today: dt.date, stdout) -> dict:
    from jianguan.registry.models import Entity, EntityStatus

    User = get_user_model()
    reviewer = User.objects.filter(username="fg_reviewer").first()
    created = skipped = 0
    for unit_code, abbr in DISTRICTS:
        unit = OrgUnit.objects.filter(code=unit_code).first()
        head = User.objects.filter(username=f"{abbr}_head").first()
        officer = User.objects.filter(username=f"{abbr}_case").first()
        if unit is None or head is None or officer is None or reviewer is None:
            stdout.write(f"  {unit_code}：没有执法人员账号，跳过")
            continue
        entities = list(Entity.objects.filter(status=EntityStatus.ACTIVE, unit__path__startswith=unit.path)
                        .order_by("id")[: len(STORIES)])
        for i, story in enumerate(STORIES):
            source_id = f"{unit_code}-{i}"
            if Lead.objects.filter(source_type="demo.enforcement", source_id=source_id).exists():
                continue
            entity = entities[i % len(entities)] if entities and i % 6 != 5 else None
            try:
                with transaction.atomic():
                    _story(story, source_id=source_id, unit=unit, entity=entity, head=head, officer=officer,
                           reviewer=reviewer, today=today)
                created += 1
            except (DomainError, workdays.CalendarUnknown) as exc:
                skipped += 1
                stdout.write(f"  {source_id} 跳过：{getattr(exc, 'message', exc)}")
    sweep = services.sweep_clocks(today=today)
    return {"created": created, "skipped": skipped, "overdue": sweep["cases_overdue"]}


#: The "served" story of the first district is about a company registered in another province: its decision is
#: pushed to that province's system within 10 working days (市场监管总局令第45号 第十条) — the push clock on the board.
OTHER_PROVINCE = ("410402", "served", ("110000", "北京市", 1), ("110105", "朝阳区", 3))


def _registered_in_another_province(entity) -> None:
    from jianguan.core.models import Division

    (pcode, pname, plevel), (code, name, level) = OTHER_PROVINCE[2], OTHER_PROVINCE[3]
    Division.objects.get_or_create(code=pcode, defaults={"name": pname, "level": plevel})
    Division.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent_id": pcode})
    entity.division_id = code
    entity.address = "北京市朝阳区建国路88号（在本市设有经营场所）"
    entity.save(update_fields=["division", "address"])


def _story(story, *, source_id, unit, entity, head, officer, reviewer, today):
    stage, case_type, campaign, fine, kinds, age = story
    if entity is not None and (unit.code, stage) == OTHER_PROVINCE[:2]:
        _registered_in_another_province(entity)
    filed_on = today - dt.timedelta(days=age)
    discovered = filed_on - dt.timedelta(days=3)
    party = "" if entity else "王某（流动摊贩）"
    source = [LeadSource.INSPECTION, LeadSource.COMPLAINT, LeadSource.REPORT, LeadSource.MONITORING][age % 4]
    lead = services.lead_create(actor="demo", source_kind=source, entity=entity, unit=unit,
                                description=f"涉嫌{FACTS[case_type]}", discovered_on=discovered,
                                source_type="demo.enforcement", source_id=source_id, party_name=party)
    if stage.startswith("lead_"):
        if stage != "lead_new":
            services.lead_start_check(actor=officer, lead=lead)
        if stage == "lead_not_filed":
            services.lead_decline(actor=head, lead=lead, status=LeadStatus.NOT_FILED,
                                  note="经核查，抽检复检合格，违法事实不成立", on=_at(discovered + dt.timedelta(days=10), today))
        return
    party_kind = "organisation" if entity else "individual"
    if stage == "simplified":
        services.case_simplified(actor=officer, unit=unit, case_type=case_type, title=FACTS[case_type],
                                 officers=[officer, head], party_kind=party_kind, kinds=kinds,
                                 fine_amount=Decimal(fine), facts=FACTS[case_type], legal_basis="《计量法实施细则》",
                                 recipient="当事人本人", entity=entity, party_name=party, lead=lead,
                                 paid_on_the_spot=True, receipt_no=f"DEMO-{source_id}", on=filed_on)
        return
    campaigns = list(Campaign.objects.filter(code=campaign)) if campaign else []
    case = services.case_file(actor=head, lead=lead, case_type=case_type, title=FACTS[case_type],
                              officers=[officer, head], party_kind=party_kind, campaigns=campaigns, on=filed_on)
    services.evidence_add(actor=officer, case=case, kind="record", description="现场检查笔录", collected_on=filed_on)
    if stage in ("filed", "overdue"):
        if stage == "filed":
            seizure = services.seizure_decide(actor=officer, case=case, measure="seize", items="涉案物品一批",
                                              decided_on=filed_on)
            # The seized goods sent for testing: that time does not count against the 30 days (行政强制法 第二十五条),
            # told to the party in writing (检测期间告知书) — a running pause on the board.
            services.pause_start(actor=officer, reason="testing", seizure=seizure,
                                 starts_on=_at(filed_on + dt.timedelta(days=2), today),
                                 note="委托市产品质量检验检测中心检测", evidence_ref=f"检测期间告知书 DEMO-{source_id}")
        return
    if stage in ("investigated", "legal_review", "notified"):
        # 案件中止 for an appraisal, started and ended: the decision deadline moves by its days (Order 2 art. 64).
        pause = services.pause_start(actor=officer, reason="appraisal", case=case,
                                     starts_on=filed_on + dt.timedelta(days=4), note="委托司法鉴定机构鉴定",
                                     evidence_ref=f"鉴定委托书 DEMO-{source_id}")
        services.pause_end(actor=officer, pause=pause, ends_on=filed_on + dt.timedelta(days=11))
    if stage in ("legal_review", "hearing"):
        # The head approves 30 more days (Order 2 art. 64: 经负责人批准), recorded as a person.
        services.case_extend(actor=head, case=case, reason="案情复杂，需进一步调查取证",
                             on=filed_on + dt.timedelta(days=15))
    level = ORDER.index(stage)
    # 产品质量法第四十九条 fines 1–3× the goods value: the demo's ¥8,000 fine fits goods worth ¥5,000.
    goods = Decimal("5000") if case_type == "product_quality" else Decimal("20000")
    circumstance = "heavier" if stage == "hearing" else "normal"
    services.investigation_conclude(actor=officer, case=case, report=f"经调查，当事人{FACTS[case_type]}，事实清楚。",
                                    outcome="penalty", circumstance=circumstance, proposed_kinds=kinds,
                                    proposed_fine=Decimal(fine), goods_value=goods, illegal_income=Decimal("20000"),
                                    on=filed_on + dt.timedelta(days=20))
    if level < ORDER.index("legal_review"):
        return
    services.review_submit(actor=officer, case=case, on=filed_on + dt.timedelta(days=21))
    if level < ORDER.index("notified"):
        return
    services.review_decide(actor=reviewer, case=case, result="approved", opinion="事实清楚，证据确凿，程序合法，同意",
                           on=filed_on + dt.timedelta(days=23))
    notice_on = filed_on + dt.timedelta(days=25)
    # The notice is handed to the party on the day it is issued: the 5 working days run from that service.
    notice = services.notice_issue(actor=officer, case=case, on=notice_on, served_on=notice_on, method="direct",
                                   recipient="当事人", proof=f"送达回证 DEMO-{source_id}-告知")
    if stage == "hearing":
        services.hearing_request(actor=officer, case=case, requested_on=notice_on + dt.timedelta(days=2))
        return
    if level < ORDER.index("decided"):
        return
    services.notice_reply(actor=officer, case=case, waived=not notice.hearing_right,
                          statement="当事人表示已整改，请求从轻处罚", on=notice_on + dt.timedelta(days=3))
    decided_on = filed_on + dt.timedelta(days=40)
    services.case_decide(actor=head, case=case, kinds=kinds, fine_amount=Decimal(fine), facts=FACTS[case_type],
                         legal_basis="依据相关法律规定", on=decided_on)
    if level < ORDER.index("served"):
        return
    served_on = decided_on + dt.timedelta(days=2)
    services.service_record(actor=officer, case=case, document_title="行政处罚决定书", method="direct",
                            served_on=served_on, recipient="当事人", proof=f"送达回证 DEMO-{source_id}",
                            is_decision=True)
    if level < ORDER.index("executed"):
        return
    services.payment_record(actor=officer, case=case, paid_on=served_on + dt.timedelta(days=7),
                            amount=Decimal(fine), receipt_no=f"豫非税 DEMO-{source_id}")
    if level < ORDER.index("closed"):
        return
    services.case_close(actor=head, case=case, note="罚款已缴清，执行完毕", on=served_on + dt.timedelta(days=12))
