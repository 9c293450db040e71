"""Demo of 企业开办: the applicant account and applications in each interesting state. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jianguan.core.demo import DEMO_PASSWORD, demo_password_hash, step
from jianguan.core.models import PublicProfile
from jianguan.registry.models import Entity, EntityStatus, Industry

from . import idnumber, services
from .models import Application

APPLICANT = "applicant"
# GB/T 4754-2017 sections and divisions the demo uses (added only when the registry has not loaded them).
INDUSTRIES = [
    ("F", "批发和零售业", None),
    ("51", "批发业", "F"),
    ("52", "零售业", "F"),
    ("I", "信息传输、软件和信息技术服务业", None),
    ("65", "软件和信息技术服务业", "I"),
]


def _id(seq: int) -> str:
    first17 = f"410402198803{seq:02d}{seq:03d}"[:17]
    return first17 + idnumber.check_character(first17)


def _applicant():
    User = get_user_model()
    user = User.objects.filter(username=APPLICANT).first()
    if user is None:
        user = User(username=APPLICANT, first_name="赵开办")
        user.password = demo_password_hash()
        user.save()
    PublicProfile.objects.get_or_create(
        user=user, defaults={"kind": PublicProfile.Kind.PERSON, "phone": "13837500001", "verified_at": timezone.now()}
    )
    return User.objects.select_related("public_profile").get(pk=user.pk)


def _draft(
    user, *, trade, industry_word, industry, capital="100", scope="日用百货销售；五金产品零售", division="410402"
):
    app = services.application_create(actor=user, reopen=False)
    services.application_update(
        actor=user,
        application=app,
        name_division="平顶山市",
        name_trade=trade,
        name_industry=industry_word,
        name_form="有限公司",
        entity_kind="llc",
        address="建设路中段18号",
        division_id=division,
        registered_capital=Decimal(capital),
        legal_rep_name="赵开办",
        legal_rep_id_no=_id(12),
        legal_rep_phone="13837500001",
        business_scope=scope,
        industry_id=industry,
    )
    services.shareholders_replace(
        actor=user,
        application=app,
        rows=[
            {
                "name": "赵开办",
                "kind": "person",
                "id_no": _id(12),
                "subscribed_capital": Decimal(capital) * 6 / 10,
                "share_pct": Decimal(60),
                "contribution_date": dt.date(2035, 12, 31),
            },
            {
                "name": "钱合伙",
                "kind": "person",
                "id_no": _id(21),
                "subscribed_capital": Decimal(capital) * 4 / 10,
                "share_pct": Decimal(40),
                "contribution_date": dt.date(2035, 12, 31),
            },
        ],
    )
    return app


@step(20, "企业开办")
def demo_startup(*, today: dt.date, stdout) -> dict:
    with transaction.atomic():
        for code, name, parent in INDUSTRIES:
            Industry.objects.get_or_create(code=code, defaults={"name": name, "parent_id": parent})
        user = _applicant()
        mine = Application.objects.filter(applicant=user)

        # 1. A clean application, approved at once by smart approval, with its licence.
        if not mine.filter(name="平顶山市青松商贸有限公司").exists():
            services.application_submit(
                actor=user, application=_draft(user, trade="青松", industry_word="商贸", industry="51")
            )

        # 2. One routed to the registrar: a name close to an existing one when the demo registry has it,
        #    otherwise a capital above the automatic-approval limit.
        if not mine.filter(name__in=["平顶山市鹰城贸易有限公司", "平顶山市白鹭商贸有限公司"]).exists():
            if Entity.objects.filter(name="平顶山市鹰城商贸有限公司", status=EntityStatus.ACTIVE).exists():
                draft = _draft(user, trade="鹰城", industry_word="贸易", industry="51")
            else:
                draft = _draft(user, trade="白鹭", industry_word="商贸", industry="51", capital="20000")
            services.application_submit(actor=user, application=draft)

        # 4. A company set up earlier, now in the public notice of its simplified deregistration.
        if not mine.filter(name="平顶山市碧水日用品有限公司").exists():
            founded = services.application_submit(
                actor=user,
                application=_draft(user, trade="碧水", industry_word="日用品", industry="52", scope="日用品零售"),
            )
            dereg = services.application_create(
                actor=user, kind=Application.Kind.SIMPLE_DEREGISTER, entity=founded.entity
            )
            services.application_update(actor=user, application=dereg, reason="股东决议不再经营", debts_settled=True)
            services.application_submit(actor=user, application=dereg)

        # 5. 一照通行: a shop selling prepackaged food, its filing granted with the registration on commitment.
        if not mine.filter(name="平顶山市麦香食品有限公司").exists():
            draft = _draft(user, trade="麦香", industry_word="食品", industry="52",
                           scope="食品销售（仅销售预包装食品）；日用百货销售")
            services.application_update(actor=user, application=draft, commitment_permits=["food_filing"])
            services.application_submit(actor=user, application=draft)

        # 3. A draft.
        if not mine.filter(name="平顶山市红枫信息技术有限公司").exists():
            _draft(user, trade="红枫", industry_word="信息技术", industry="65", scope="软件开发；信息技术咨询服务")
    return {"public_logins": [{"username": APPLICANT, "password": DEMO_PASSWORD, "role": "企业开办申请人"}]}
