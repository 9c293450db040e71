"""#20: every register (core.registers) corrects and withdraws its rows the same way — parametrised over all of them.

A correction: the entry form pre-filled, every changed column kept as before/after with a required reason, audited,
validated by the register's own create service, a repeat changes nothing. A withdrawal: a reason, kept in the row's
history, hidden from the list, the export and the API list unless asked for, not deleted, a repeat changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from openpyxl import load_workbook

from jianguan.core import registers
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.models import AuditEntry, RegisterEvent, RegisterWithdrawal
from jianguan.core.tests.factories import staff

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def _firm(division="410402", unit="410402"):
    from jianguan.core.models import Division, OrgUnit
    from jianguan.registry.tests.factories import EntityFactory

    return EntityFactory(unit=OrgUnit.objects.get(code=unit), division=Division.objects.get(code=division))


def _make(label, actor, raw):
    return registers.create_row(registers.REGISTRY[label], actor=actor, raw=raw)


# label → fn(actor) -> (raw values of a new row, a correction of it): one valid row of each register, as the import
# would give it (text), and one column changed to another valid value.
def _gi_product(actor):
    n = next(_n)
    return {"name": f"测试香菇{n}", "kind": "地理标志保护产品", "registration_no": f"2012年第{n}号",
            "holder": "新华区人民政府", "area": "410402", "approved_on": "2012-12-20"}, {"holder": "平顶山市人民政府"}


def _gi_user(actor):
    product = _make("ip.gi_products", actor, _gi_product(actor)[0])
    return {"product": product.name, "entity": _firm().uscc, "approved_on": "2024-03-01"}, {
        "announcement_no": "豫知〔2024〕7号"}


def _ip_enterprise(actor):
    return {"entity": _firm().uscc, "level": "national_adv", "year": "2025", "document_no": "国知办〔2025〕1号"}, {
        "document_no": "国知办〔2025〕2号"}


def _pledge(actor):
    return {"pledge_no": f"Y2025410000{next(_n):06d}", "entity": _firm().uscc, "patents": "ZL201080063196.9",
            "pledgee": "中国银行平顶山分行", "amount": "500", "registered_on": "2025-06-01"}, {"amount": "450"}


def _agency(actor):
    return {"entity": _firm().uscc, "filing_no": f"TM{next(_n):06d}", "filed_on": "2024-01-05"}, {
        "filing_no": f"TM9{next(_n):05d}"}


def _park(actor):
    return {"name": f"测试园区{next(_n)}", "division": "410421", "enterprises": "40"}, {"enterprises": "45"}


def _visit(actor):
    park = _make("quality.parks", actor, _park(actor)[0])
    return {"park": park.name, "entity": _firm().uscc, "planned_on": "2026-04-01", "team": "甲组"}, {"team": "乙组"}


def _award(actor):
    return {"entity": _firm().uscc, "kind": "city_award", "year": "2026", "document_no": "平政〔2026〕1号"}, {
        "document_no": "平政〔2026〕9号"}


def _officer(actor):
    return {"entity": _firm().uscc, "name": "王质量", "position": "副总经理", "appointed_on": "2025-02-01"}, {
        "position": "总经理"}


def _body(actor):
    return {"entity": _firm().uscc, "approval_no": f"CNCA-R-2002-{next(_n):03d}", "fields_of_work": "产品认证",
            "issued_on": "2022-01-01", "valid_until": "2028-01-01"}, {"valid_until": "2027-06-30"}


def _certificate(actor):
    body = _make("quality.bodies", actor, _body(actor)[0])
    return {"body": body.approval_no, "holder": _firm().uscc, "number": f"2025010{next(_n):06d}", "kind": "ccc",
            "scope": "电线电缆", "issued_on": "2025-01-01", "valid_until": "2030-01-01"}, {"scope": "电线电缆、插头插座"}


def _institution(actor):
    return {"entity": _firm().uscc, "cma_no": f"2024160{next(_n):05d}", "scope": "食品微生物、重金属",
            "issued_on": "2024-01-01"}, {"scope": "食品微生物、重金属、农药残留"}


def _report(actor):
    institution = _make("quality.institutions", actor, _institution(actor)[0])
    return {"institution": institution.cma_no, "number": f"BG{next(_n):05d}", "item": "重金属", "sample": "大米",
            "issued_on": "2025-03-01", "conclusion": "合格"}, {"sample": "小麦粉"}


def _standard(actor):
    return {"entity": _firm().uscc, "kind": "enterprise", "number": f"Q/PDSGL {next(_n):03d}-2021", "title": "铝合金门窗",
            "role": "adopted", "declared_on": "2021-05-01"}, {"title": "铝合金门窗（节能型）"}


def _leader(actor):
    return {"entity": _firm().uscc, "product": f"电线{next(_n)}", "standard_number": "Q/PDSGL 001-2021",
            "year": "2025", "evaluator": "某评估机构"}, {"evaluator": "另一评估机构"}


def _pilot(actor):
    return {"name": f"标准化试点{next(_n)}", "level": "city", "field": "agriculture", "undertaker": "某合作社",
            "starts_on": "2025-01-01", "ends_on": "2026-12-31"}, {"undertaker": "某农业公司"}


def _local(actor):
    return {"title": f"香菇栽培技术规程{next(_n)}", "drafter": "市农科院", "proposed_on": "2026-02-01"}, {
        "drafter": "市农业科学院"}


def _batch(actor):
    return {"tracing_code": f"CC20261204{next(_n):05d}", "product": "冷冻去骨牛肉", "origin_country": "巴西",
            "quantity": "24000", "measure": "kg", "importer": _firm().uscc, "customs_declaration": "220120261000012345",
            "quarantine_certificate": "4100002026120401", "nucleic_acid_report": "HS2026120400017",
            "disinfection_certificate": "XD2026120400017", "entered_on": "2026-12-01"}, {"origin_country": "阿根廷"}


def _movement(actor):
    raw, _ = _batch(actor)
    batch = _make("coldchain.batches", actor, raw)
    return {"batch": batch.tracing_code, "holder": raw["importer"], "direction": "out", "quantity": "1000",
            "moved_on": "2026-12-02", "counterparty": _firm().uscc}, {"quantity": "800"}


def _shop(actor):
    return {"platform": "taobao", "shop_name": "某某电器旗舰店", "url": f"https://shop{next(_n)}.example.cn/",
            "entity": _firm().uscc, "licence_displayed": "否"}, {"licence_displayed": "是"}


def _finding(actor):
    shop = _make("monitoring.shops", actor, _shop(actor)[0])
    return {"shop": shop.url, "problem": "未亮照经营"}, {"problem": "未在首页显著位置公示营业执照"}


def _small(actor):
    return {"kind": "小经营店登记卡", "name": f"老王烩面馆{next(_n)}", "operator": "王某", "address": "新华区中兴路 18 号",
            "category": "热食类食品制售", "county": "410402", "issued_on": "2026-12-01", "entity": ""}, \
        {"category": "热食类、冷食类食品制售"}


def _drug_object(actor):
    from jianguan.drugs.tests.factories import pharmacy

    firm, licence = pharmacy()
    return {"entity": firm.uscc, "kind": "pharmacy", "licence": licence.number}, {"practice_licence_no": "备注号1"}


def _focus(actor):
    return {"category": "blood", "product": "人血白蛋白", "approval_no": f"国药准字S2006{next(_n):04d}",
            "holder": _firm().uscc, "listed_on": "2026-01-01"}, {"product": "人血白蛋白（10g）"}


def _adverse_event(actor):
    return {"kind": "drug", "severity": "serious", "product": "阿莫西林胶囊", "reporter": _firm().uscc,
            "aware_on": "2026-09-22", "received_on": "2026-09-24", "description": "口服后出现皮疹"}, {
        "product": "阿莫西林胶囊（0.25g）"}


def _approval(actor):
    return {"number": f"豫药广审（视）第260101-{next(_n):05d}号", "category": "药品", "advertiser": _firm().uscc,
            "product": "某某颗粒", "valid_from": "2026-01-01", "valid_until": "2026-06-30"}, {"valid_until": "2026-12-31"}


def _ad(actor):
    return {"medium": "电视", "outlet": "平顶山电视台公共频道", "advertiser": _firm().uscc, "category": "医疗",
            "product": "某某医院男科", "claim": f"三天根治{next(_n)}", "observed_on": "2026-03-02",
            "article": "第十六条"}, {"outlet": "平顶山电视台新闻频道"}


def _outlet(actor):
    return {"entity": _firm().uscc, "kind": "supermarket"}, {"kind": "market"}


def _price_report(actor):
    outlet = _make("prices.outlets", actor, _outlet(actor)[0])
    return {"outlet": outlet.entity.uscc, "goods": "LS01", "price": "2.95", "price_unit": "元/500克",
            "reported_on": "2026-03-02"}, {"price": "3.05"}


BUILDERS = {
    "ip.gi_products": _gi_product, "ip.gi_users": _gi_user, "ip.enterprises": _ip_enterprise,
    "ip.pledges": _pledge, "ip.agencies": _agency,
    "quality.parks": _park, "quality.visits": _visit, "quality.awards": _award, "quality.officers": _officer,
    "quality.bodies": _body, "quality.certificates": _certificate, "quality.institutions": _institution,
    "quality.reports": _report,
    "standards.standards": _standard, "standards.leaders": _leader, "standards.pilots": _pilot,
    "standards.local": _local,
    "coldchain.batches": _batch, "coldchain.movements": _movement,
    "food.smalls": _small,
    "monitoring.shops": _shop, "monitoring.findings": _finding,
    "drugs.objects": _drug_object, "drugs.focus": _focus, "drugs.events": _adverse_event,
    "monitoring.ads": _ad, "monitoring.approvals": _approval,
    "prices.outlets": _outlet, "prices.reports": _price_report,
}
LABELS = sorted(r.label for r in registers.all_registers())


@pytest.fixture(autouse=True)
def _fake_capture(monkeypatch, settings, tmp_path):
    """Findings capture a web page on creation; here a fixed page (the capture itself is tested in monitoring)."""
    from jianguan.monitoring import capture, services

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(services, "_fetch", lambda url: capture.Capture(
        ok=True, final_url=url, http_status=200, title="店铺", html=b"<html>shop</html>", screenshot=b"\x89PNGshot"))


@pytest.fixture
def clerk(org):
    """A city-level clerk with every register's roles (the city sees every district)."""
    return staff("register_clerk", "410400", ["ip_officer", "quality_officer", "certification_supervisor",
                                              "standards_officer", "online_monitor", "food_supervisor",
                                              "drug_supervisor", "price_supervisor"],
                 credential=False, name="台账管理员")


def _row(label, clerk):
    raw, change = BUILDERS[label](clerk)
    row = _make(label, clerk, raw)
    return registers.REGISTRY[label], type(row).objects.get(pk=row.pk), change


def test_every_register_has_a_builder_here():
    """A new register must be added to BUILDERS, so that its corrections and withdrawals are tested too."""
    assert set(LABELS) == set(BUILDERS), "registers without a builder: " + ", ".join(sorted(set(LABELS) - set(BUILDERS)))


@pytest.mark.parametrize("label", LABELS)
def test_correction_keeps_each_change_with_its_reason_and_a_repeat_changes_nothing(label, clerk):
    register, row, change = _row(label, clerk)
    before = registers.values_of(register, row)
    count = type(row).objects.count()
    with pytest.raises(ValidationFailed, match="理由"):
        registers.correct_row(register, actor=clerk, row=row, raw=change, reason="  ")
    assert registers.values_of(register, type(row).objects.get(pk=row.pk)) == before

    result = registers.correct_row(register, actor=clerk, row=row, raw=change, reason="录入时笔误")
    assert result.row.pk == row.pk and type(row).objects.count() == count  # corrected in place, nothing added
    [name] = change
    column = register.column(name)
    assert [(c["column"], c["before"]) for c in result.changes] == [(name, before[name])]
    assert result.changes[0]["after"] != before[name]
    assert registers.values_of(register, type(row).objects.get(pk=row.pk))[name] == result.changes[0]["after"]
    [event] = registers.history(row)
    assert (event.kind, event.reason, event.register, event.changes[0]["header"]) == (
        "corrected", "录入时笔误", label, column.header)
    entry = AuditEntry.objects.filter(action="registers.corrected", object_id=str(row.pk)).get()
    assert entry.changes[name] == [before[name], result.changes[0]["after"]]

    again = registers.correct_row(register, actor=clerk, row=row, raw=change, reason="再点一次")
    assert again.changes == [] and len(registers.history(row)) == 1


@pytest.mark.parametrize("label", LABELS)
def test_withdrawal_hides_the_row_keeps_it_and_a_repeat_changes_nothing(label, clerk, login):
    register, row, _ = _row(label, clerk)
    client = login(clerk)
    base = f"/workbench/{register.model._meta.app_label}/{register.key}"
    response = client.post(f"{base}/{row.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 422 and not RegisterWithdrawal.objects.exists()
    assert client.post(f"{base}/{row.pk}/withdraw/", {"reason": "重复登记"}).status_code == 302
    assert client.post(f"{base}/{row.pk}/withdraw/", {"reason": "又点了一次"}).status_code == 302
    assert [e.kind for e in registers.history(row)] == ["withdrawn"]
    assert type(row).objects.filter(pk=row.pk).exists()  # kept, not deleted
    assert AuditEntry.objects.filter(action="registers.withdrawn", object_id=str(row.pk)).count() == 1

    def listed(state=""):
        return [r["pk"] for r in client.get(f"{base}/", {"state": state}).context["rows"]]

    assert row.pk not in listed() and row.pk in listed("withdrawn") and row.pk in listed("all")
    exported = load_workbook(io.BytesIO(b"".join(client.get(f"{base}/export.xlsx").streaming_content))).active.max_row
    exported_all = load_workbook(io.BytesIO(b"".join(client.get(f"{base}/export.xlsx", {"state": "all"}).streaming_content))).active.max_row
    assert exported_all == exported + 1
    page = client.get(f"{base}/{row.pk}/record/").content.decode()
    assert "已撤回" in page and "重复登记" in page

    with pytest.raises(ValidationFailed, match="已撤回"):
        registers.correct_row(register, actor=clerk, row=row, raw={}, reason="改")
    assert client.post(f"{base}/{row.pk}/restore/", {"reason": "撤回有误"}).status_code == 302
    assert row.pk in listed() and [e.kind for e in registers.history(row)] == ["withdrawn", "restored"]


@pytest.mark.parametrize("label", LABELS)
def test_api_corrects_withdraws_and_lists_by_state(label, clerk, client):
    from jianguan.core.services import api_token_create

    register, row, change = _row(label, clerk)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=clerk, name='t')[1]}"}
    app = register.model._meta.app_label
    url = f"/api/v1/{app}/{register.key}/{row.pk}"
    refused = client.patch(url, {**change}, content_type="application/json", **auth)
    assert refused.status_code == 422
    done = client.patch(url, {**change, "reason": "核对原件后更正"}, content_type="application/json", **auth)
    assert done.status_code == 200, done.content
    assert [c["column"] for c in done.json()["changes"]] == list(change)
    assert done.json()["history"][0]["reason"] == "核对原件后更正"
    for _ in range(2):
        out = client.post(f"{url}/withdraw", {"reason": "登记错误"}, content_type="application/json", **auth)
        assert out.status_code == 200 and out.json()["withdrawn"] is True
    assert [h["kind"] for h in out.json()["history"]] == ["corrected", "withdrawn"]
    ids = [i["id"] for i in client.get(f"/api/v1/{app}/{register.key}", **auth).json()["items"]]
    withdrawn = [i["id"] for i in client.get(f"/api/v1/{app}/{register.key}", {"state": "withdrawn"},
                                             **auth).json()["items"]]
    assert row.pk not in ids and withdrawn == [row.pk]


@pytest.mark.parametrize("label", LABELS)
def test_only_managers_in_scope_may_correct_or_withdraw(label, clerk, login, station_inspector):
    register, row, change = _row(label, clerk)
    base = f"/workbench/{register.model._meta.app_label}/{register.key}/{row.pk}"
    viewer = staff(f"viewer_{register.key}", "410400", [], credential=False)
    from django.contrib.auth.models import Permission

    app, codename = register.view_perm.split(".")
    viewer.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    client = login(viewer)
    assert client.get(f"{base}/record/").status_code == 200
    assert client.get(f"{base}/correct/").status_code == 403
    assert client.post(f"{base}/withdraw/", {"reason": "x"}).status_code == 403
    assert not RegisterEvent.objects.exists()


def test_correction_form_is_the_entry_form_prefilled_and_records_the_diff(clerk, login):
    register, row, _ = _row("standards.leaders", clerk)
    client = login(clerk)
    url = f"/workbench/standards/leaders/{row.pk}/correct/"
    form = client.get(url).context["form"]
    assert form.initial["product"] == row.product and form.initial["year"] == "2025"
    data = {**{k: v for k, v in form.initial.items()}, "evaluator": "省标准化研究院", "reason": "评估机构名称有误"}
    data["entity"] = row.entity.uscc
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(f"/workbench/standards/leaders/{row.pk}/record/").content.decode()
    assert "评估机构名称有误" in page and "省标准化研究院" in page and "某评估机构" in page


def test_correction_meets_the_same_rules_as_a_new_row(clerk):
    """A wrong standard number, a GI user moved outside the GI's area, a duplicate: refused, nothing changed."""
    register, row, _ = _row("standards.standards", clerk)
    with pytest.raises(ValidationFailed) as refused:
        registers.correct_row(register, actor=clerk, row=row, raw={"number": "QB 12-34"}, reason="改号")
    assert refused.value.field == "number"
    users, user, _ = _row("ip.gi_users", clerk)
    outside = _firm("410421", "410421")
    with pytest.raises(ValidationFailed, match="产地范围"):
        registers.correct_row(users, actor=clerk, row=user, raw={"entity": outside.uscc}, reason="改企业")
    awards, first, _ = _row("quality.awards", clerk)
    second = _make("quality.awards", clerk, {"entity": _firm().uscc, "kind": "city_award", "year": "2026",
                                             "document_no": "平政〔2026〕2号"})
    with pytest.raises(ValidationFailed, match="不能重复登记"):
        registers.correct_row(awards, actor=clerk, row=second, raw={"entity": first.entity.uscc}, reason="改企业")
    assert not RegisterEvent.objects.exists()


def test_correcting_a_body_corrects_its_licence_too(clerk):
    register, body, _ = _row("quality.bodies", clerk)
    registers.correct_row(register, actor=clerk, row=body, raw={"valid_until": "2027-06-30", "issued_on": "2021-03-01"},
                          reason="按批准书原件更正")
    body.refresh_from_db()
    body.licence.refresh_from_db()
    assert body.valid_until == dt.date(2027, 6, 30)
    assert (body.licence.issued_on, body.licence.valid_until) == (dt.date(2021, 3, 1), dt.date(2027, 6, 30))


def test_evidence_of_a_finding_cannot_be_corrected(clerk):
    register, finding, _ = _row("monitoring.findings", clerk)
    with pytest.raises(ValidationFailed, match="不能更正"):
        registers.correct_row(register, actor=clerk, row=finding, raw={"url": "https://other.example.cn/"},
                              reason="改网址")


def test_public_pages_skip_withdrawn_rows(clerk, client):
    users, user, _ = _row("ip.gi_users", clerk)
    leaders, leader, _ = _row("standards.leaders", clerk)
    assert user.entity.name in client.get("/ip/gi/").content.decode()
    assert leader.product in client.get("/standards/").content.decode()
    registers.withdraw_row(users, actor=clerk, row=user, reason="重复登记")
    registers.withdraw_row(leaders, actor=clerk, row=leader, reason="撤销认定")
    assert user.entity.name not in client.get("/ip/gi/").content.decode()
    assert leader.product not in client.get("/standards/").content.decode()


def test_list_query_count_does_not_grow_with_the_rows(clerk, login, django_assert_max_num_queries):
    register = registers.REGISTRY["standards.local"]
    rows = [_make("standards.local", clerk, _local(clerk)[0]) for _ in range(6)]
    registers.withdraw_row(register, actor=clerk, row=rows[0], reason="重复")
    client = login(clerk)
    with django_assert_max_num_queries(16):
        page = client.get("/workbench/standards/local/", {"state": "all"})
    assert len(page.context["rows"]) == 6 and sum(r["withdrawn"] for r in page.context["rows"]) == 1


LICENSED = ["ip.agencies", "quality.bodies", "quality.institutions"]  # rows recorded with a registry licence


@pytest.mark.parametrize("label", LICENSED)
def test_withdrawal_takes_the_licence_out_of_the_draw_and_restore_brings_it_back(label, clerk, org):
    """The double-random draw picks these bodies by their licence: a withdrawn row must leave its candidates in the
    same transaction (kept in the history and the audit), a restored one come back with the status it had."""
    from jianguan.inspections.models import InspectionPlan
    from jianguan.inspections.queries import pool_queryset
    from jianguan.registry.models import Licence

    register, row, _ = _row(label, clerk)
    plan = InspectionPlan.objects.create(code=f"P-{register.key}", year=2026, unit=org["410400"], title="机构抽查",
                                         filter_licence_kinds=[row.licence.kind_id], ratios={"B": "1"},
                                         min_age_months=0, exclusion_months=0)
    today = dt.date(2026, 12, 5)

    def candidates():
        return set(pool_queryset(plan, today).values_list("pk", flat=True))

    assert row.entity_id in candidates()
    registers.withdraw_row(register, actor=clerk, row=row, reason="机构备案已注销，重复登记")
    assert Licence.objects.get(pk=row.licence_id).status == "withdrawn"
    assert row.entity_id not in candidates()
    [event] = registers.history(row)
    assert [(c["before"], c["after"]) for c in event.changes] == [("有效", "登记已撤回")]
    entry = AuditEntry.objects.get(action="registers.withdrawn", object_id=str(row.pk))
    assert entry.changes["licence.status"] == ["有效", "登记已撤回"]

    registers.withdraw_row(register, actor=clerk, row=row, reason="又点一次")  # idempotent: nothing more
    assert len(registers.history(row)) == 1 and Licence.objects.get(pk=row.licence_id).status == "withdrawn"

    assert registers.restore_row(register, actor=clerk, row=row, reason="撤回有误") is True
    assert Licence.objects.get(pk=row.licence_id).status == "valid"
    assert row.entity_id in candidates()
    assert registers.history(row)[-1].changes[0]["after"] == "有效"
    assert registers.restore_row(register, actor=clerk, row=row, reason="再点一次") is False
    assert len(registers.history(row)) == 2


def test_a_withdrawn_licence_is_off_the_public_record_and_not_set_by_hand(clerk, client):
    from jianguan.core.errors import TransitionNotAllowed
    from jianguan.registry import services as registry_services
    from jianguan.registry.models import Licence

    register, body, _ = _row("quality.bodies", clerk)
    url = f"/entities/{body.entity.uscc}/"
    assert body.approval_no in client.get(url).content.decode()
    assert body.approval_no in client.get("/quality/bodies/").content.decode()
    registers.withdraw_row(register, actor=clerk, row=body, reason="重复登记")
    assert body.approval_no not in client.get(url).content.decode()  # the stored public record, rebuilt
    assert body.approval_no not in client.get("/quality/bodies/").content.decode()
    assert body.approval_no not in client.get(f"/api/v1/entities/{body.entity.uscc}").content.decode()
    licence = Licence.objects.get(pk=body.licence_id)
    with pytest.raises(TransitionNotAllowed, match="台账"):
        registry_services.licence_set_status(actor=clerk, licence=licence, status="valid")
    # restored after its validity ended meanwhile: 过期, not 有效
    Licence.objects.filter(pk=licence.pk).update(valid_until=dt.date(2020, 1, 1))
    registers.restore_row(register, actor=clerk, row=body, reason="撤回有误")
    assert Licence.objects.get(pk=licence.pk).status == "expired"


def test_the_rows_own_page_shows_the_withdrawal_and_links_its_history(clerk, login):
    register, visit, _ = _row("quality.visits", clerk)
    client = login(clerk)
    page = client.get(f"/workbench/quality/visits/{visit.pk}/").content.decode()
    assert 'data-testid="register-withdrawn"' not in page
    assert f"/workbench/quality/visits/{visit.pk}/record/" in page
    registers.withdraw_row(register, actor=clerk, row=visit, reason="企业已搬离园区")
    page = client.get(f"/workbench/quality/visits/{visit.pk}/").content.decode()
    assert 'data-testid="register-withdrawn"' in page and "已撤回" in page and "企业已搬离园区" in page
    assert f"/workbench/quality/visits/{visit.pk}/record/" in page


@pytest.mark.parametrize("label", ["quality.certificates", "quality.reports", "quality.visits", "ip.gi_users",
                                   "coldchain.movements", "monitoring.findings", "prices.reports"])
def test_a_row_referring_to_a_withdrawn_row_is_refused(label, clerk):
    """A certificate of a withdrawn body, a report of a withdrawn lab, a visit to a withdrawn park, a user of a
    withdrawn GI: refused with the column named, until the parent is restored."""
    raw, _ = BUILDERS[label](clerk)
    register = registers.REGISTRY[label]
    parent_column = register.columns[0]
    parent = parent_column.parse(raw[parent_column.name])
    parent_register = registers.register_of(parent)
    registers.withdraw_row(parent_register, actor=clerk, row=parent, reason="重复登记")
    with pytest.raises(ValidationFailed, match="已撤回") as refused:
        _make(label, clerk, raw)
    assert refused.value.field == parent_column.name
    registers.restore_row(parent_register, actor=clerk, row=parent, reason="撤回有误")
    assert _make(label, clerk, raw).pk is not None


# A withdrawn row's own actions, each: (register, what to do before withdrawing, the action through its service, the
# page, the POST its form sends, what on the page offers the action, what shows it was not done).
def _visit_case(clerk, row):
    from jianguan.quality import services
    return (lambda: services.visit_record(actor=clerk, visit=row, visited_on=dt.date(2026, 4, 1), problems="",
                                          problem_count=0, help_given=""),
            f"/workbench/quality/visits/{row.pk}/",
            {"action": "record", "record-visited_on": "2026-04-01", "record-problem_count": "0"},
            'value="record"', lambda: type(row).objects.get(pk=row.pk).status == "planned")


def _pilot_case(clerk, row):
    from jianguan.standards import services
    milestone = services.milestone_add(actor=clerk, project=row, name="中期评估", due_on=dt.date(2026, 6, 30))

    def act():  # both the milestone's completion and a new milestone: refused together, or done together
        refused = []
        for step in (lambda: services.milestone_done(actor=clerk, milestone=milestone, done_on=dt.date(2026, 6, 1)),
                     lambda: services.milestone_add(actor=clerk, project=row, name="验收", due_on=dt.date(2026, 12, 1))):
            try:
                step()
            except TransitionNotAllowed as exc:
                refused.append(exc)
        assert len(refused) in (0, 2)
        if refused:
            raise refused[0]
    return (act, f"/workbench/standards/pilots/{row.pk}/",
            {"action": "add", "add-name": "验收", "add-due_on": "2026-12-01"}, 'value="add"',
            lambda: list(row.milestones.values_list("name", "done_on")) == [("中期评估", None)])


def _local_case(clerk, row):
    from jianguan.standards import services
    return (lambda: services.local_standard_advance(actor=clerk, standard=row, to="drafting", on=dt.date(2026, 3, 2)),
            f"/workbench/standards/local/{row.pk}/", {"to": "drafting", "on": "2026-03-02"}, "进入起草",
            lambda: type(row).objects.get(pk=row.pk).stage == "proposed")


def _batch_case(clerk, row):
    from jianguan.coldchain import services
    return (lambda: services.trace_start(actor=clerk, batch=row, reason="positive", origin=row.importer,
                                         detected_on=dt.date(2026, 12, 3)),
            f"/workbench/coldchain/batch/{row.pk}/",
            {"reason": "positive", "origin": str(row.importer_id), "detected_on": "2026-12-03"}, "追溯到全部持有单位",
            lambda: not row.incidents.exists())


def _finding_case(clerk, row):
    from jianguan.monitoring import services
    return (lambda: services.finding_to_lead(actor=clerk, finding=row), f"/workbench/monitoring/findings/{row.pk}/lead/",
            {}, 'data-testid="to-lead"', lambda: type(row).objects.get(pk=row.pk).lead_id is None)


ACTION_CASES = {"quality.visits": _visit_case, "standards.pilots": _pilot_case, "standards.local": _local_case,
                "coldchain.batches": _batch_case, "monitoring.findings": _finding_case}


@pytest.mark.parametrize("label", sorted(ACTION_CASES))
def test_a_withdrawn_rows_own_page_offers_no_action_and_its_services_refuse(label, clerk, login):
    """A withdrawn visit, pilot, local standard, batch or finding: its page shows why instead of the form, its
    service refuses (409 in the API) with the row and the reason named, a POST changes nothing; restored, it acts."""
    register, row, _ = _row(label, clerk)
    act, url, post, offered, unchanged = ACTION_CASES[label](clerk, row)
    page_url = url.removesuffix("lead/")
    client = login(clerk)
    assert offered in client.get(page_url).content.decode()
    registers.withdraw_row(register, actor=clerk, row=row, reason="重复登记")
    page = client.get(page_url).content.decode()
    assert offered not in page
    assert 'data-testid="actions-blocked"' in page and "撤回（理由：重复登记），不能" in page
    with pytest.raises(TransitionNotAllowed, match="撤回（理由：重复登记），不能") as refused:
        act()
    assert refused.value.status == 409
    client.post(url, post)
    assert unchanged()
    registers.restore_row(register, actor=clerk, row=row, reason="撤回有误")
    assert offered in client.get(page_url).content.decode()
    act()
    assert not unchanged()
