"""Smart approval (智慧审批): declarative rules that decide whether an application can be approved automatically.

Each rule looks at an application and returns the reasons it fails (an empty list when it passes). When every rule
that applies to the application's kind passes, the application is approved on submission by the system; otherwise it
goes to a registrar of the registration authority with the reasons listed. The rules read their thresholds from
``core.rules`` (``startup.auto_approval_max_capital``, ``startup.prior_permit_keywords``), so a bureau can tune them.

Simplified deregistration does not use these rules: it has its own eligibility (``simple_deregistration_problems``)
and a public notice; other apps add conditions (pending cases, abnormal list…) with ``register_deregistration_check``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from jianguan.core.money import wan
from jianguan.core.rules import rule

from . import idnumber, namecheck
from .models import Application

ESTABLISH = Application.Kind.ESTABLISH
CHANGE = Application.Kind.CHANGE
DEREGISTER = Application.Kind.DEREGISTER
PENDING_STATES = (Application.State.IN_REVIEW, Application.State.RETURNED, Application.State.PUBLIC_NOTICE)


@dataclass
class Context:
    application: Application
    _name_result: namecheck.NameCheckResult | None = None
    cache: dict = field(default_factory=dict)

    @property
    def name_result(self) -> namecheck.NameCheckResult:
        if self._name_result is None:
            app = self.application
            self._name_result = namecheck.check_name(
                parts_of(app),
                entity_kind=app.entity_kind,
                division_code=app.division_id,
                industry_code=app.industry_id,
                exclude_entity_id=app.entity_id,
            )
        return self._name_result


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    check: Callable[[Context], list[str]]
    kinds: frozenset[str] = frozenset({ESTABLISH, CHANGE})


def parts_of(app: Application) -> namecheck.NameParts:
    return namecheck.NameParts(app.name_division, app.name_trade, app.name_industry, app.name_form)


def _name_changed(app: Application) -> bool:
    return app.kind == ESTABLISH or (app.entity_id is not None and app.name != app.entity.name)


def check_name_clean(ctx: Context) -> list[str]:
    if not _name_changed(ctx.application):
        return []
    return ctx.name_result.messages


def check_standard_form(ctx: Context) -> list[str]:
    app = ctx.application
    standard = namecheck.STANDARD_FORMS.get(app.entity_kind, [])
    if app.entity_kind not in ("llc", "joint_stock"):
        return [f"企业类型为「{app.get_entity_kind_display()}」，智慧审批仅自动核准有限责任公司和股份有限公司"]
    if app.name_form not in standard:
        return [f"组织形式「{app.name_form or '（空）'}」不是标准组织形式（{'、'.join(standard)}）"]
    return []


def check_capital(ctx: Context) -> list[str]:
    capital = ctx.application.registered_capital
    limit = Decimal(str(rule("startup.auto_approval_max_capital")))
    if capital is None or capital <= 0:
        return ["注册资本应大于零"]
    if capital > limit:
        return [f"注册资本{wan(capital)}超过自动核准上限{wan(limit)}"]
    return []


def prior_permits(scope: str) -> list[tuple[str, str]]:
    """(keyword, permit) pairs of the business scope that need a permit before registration."""
    keywords: dict = rule("startup.prior_permit_keywords")
    return [(k, v) for k, v in keywords.items() if k in (scope or "")]


def check_prior_permit(ctx: Context) -> list[str]:
    app = ctx.application
    if not (app.business_scope or "").strip():
        return ["经营范围不能为空"]
    return [f"经营范围含「{k}」，需先取得{v}" for k, v in prior_permits(app.business_scope)]


def check_shareholders(ctx: Context) -> list[str]:
    app = ctx.application
    rows = list(app.shareholders.all())
    if not rows:
        return ["未填写股东（发起人）"]
    problems = []
    for i, s in enumerate(rows, 1):
        if not s.name.strip() or not s.id_no.strip():
            problems.append(f"第 {i} 位股东的名称或证件号码不完整")
        elif s.kind == s.Kind.PERSON and idnumber.invalid_reason(s.id_no):
            problems.append(f"股东「{s.name}」的{idnumber.invalid_reason(s.id_no)}")
    total_pct = sum((s.share_pct for s in rows), Decimal(0))
    if total_pct != Decimal(100):
        problems.append(f"股东出资比例合计为 {total_pct.normalize():f}%，应为 100%")
    total_capital = sum((s.subscribed_capital for s in rows), Decimal(0))
    if app.registered_capital is not None and total_capital != app.registered_capital:
        problems.append(
            f"股东认缴出资合计{wan(total_capital)}与注册资本{wan(app.registered_capital)}不一致"
        )
    return problems


def check_legal_rep_id(ctx: Context) -> list[str]:
    app = ctx.application
    if not app.legal_rep_name.strip():
        return ["未填写法定代表人"]
    reason = idnumber.invalid_reason(app.legal_rep_id_no)
    return [f"法定代表人{reason}"] if reason else []


def check_address(ctx: Context) -> list[str]:
    app = ctx.application
    if not app.address.strip():
        return ["未填写住所"]
    if (
        app.division_id is None
        or not app.division_id.startswith(namecheck.CITY_CODE_PREFIX)
        or app.division_id == namecheck.CITY_CODE_PREFIX + "00"
    ):
        return ["住所应位于平顶山市所辖县（市、区）"]
    return []


def check_not_duplicate(ctx: Context) -> list[str]:
    app = ctx.application
    others = Application.objects.filter(state__in=PENDING_STATES).exclude(pk=app.pk)
    if app.kind == ESTABLISH:
        dupes = others.filter(name=app.name) if app.name else others.none()
    else:
        dupes = others.filter(entity_id=app.entity_id)
    number = dupes.values_list("number", flat=True).first()
    return [f"存在尚未办结的重复申请（{number}）"] if number else []


def check_ordinary_deregistration(ctx: Context) -> list[str]:
    return ["普通注销须由登记机关审查清算报告和债务清偿情况"]


RULES: tuple[Rule, ...] = (
    Rule("name_clean", "名称查重与禁限用字词", check_name_clean),
    Rule("standard_form", "标准组织形式", check_standard_form),
    Rule("capital_range", "注册资本在自动核准范围内", check_capital),
    Rule("no_prior_permit", "经营范围不涉及前置许可", check_prior_permit),
    Rule("shareholders", "股东信息完整且出资比例合计 100%", check_shareholders, frozenset({ESTABLISH})),
    Rule("legal_rep_id", "法定代表人身份证号码有效", check_legal_rep_id),
    Rule("address", "住所位于平顶山市辖区", check_address),
    Rule("not_duplicate", "无重复的未办结申请", check_not_duplicate, frozenset({ESTABLISH, CHANGE, DEREGISTER})),
    Rule("deregistration_review", "注销登记审查", check_ordinary_deregistration, frozenset({DEREGISTER})),
)


def evaluate(app: Application) -> list[dict]:
    """Every rule that applies to ``app``, with its result: [{code, label, passed, reasons}]."""
    ctx = Context(app)
    results = []
    for r in RULES:
        if app.kind not in r.kinds:
            continue
        reasons = r.check(ctx)
        results.append({"code": r.code, "label": r.label, "passed": not reasons, "reasons": reasons})
    return results


def failed_reasons(results: list[dict]) -> list[str]:
    return [reason for r in results for reason in r["reasons"]]


# --- simplified deregistration ------------------------------------------------------------------------------------

DeregistrationCheck = Callable[[object], str | None]
DEREGISTRATION_CHECKS: list[DeregistrationCheck] = []


def register_deregistration_check(fn: DeregistrationCheck) -> DeregistrationCheck:
    """Other apps add a condition for simplified deregistration: ``fn(entity) -> reason or None``
    (e.g. enforcement: a pending case; credit: on the abnormal operation list)."""
    if fn not in DEREGISTRATION_CHECKS:
        DEREGISTRATION_CHECKS.append(fn)
    return fn


def simple_deregistration_problems(app: Application) -> list[str]:
    entity = app.entity
    problems = []
    if entity is None:
        return ["未指定要注销的市场主体"]
    if entity.status != "active":
        problems.append(f"主体状态为「{entity.get_status_display()}」，不能办理简易注销")
    if not app.debts_settled:
        problems.append("须承诺未发生债权债务或已将债权债务清偿完结")
    for check in DEREGISTRATION_CHECKS:
        reason = check(entity)
        if reason:
            problems.append(reason)
    return problems
