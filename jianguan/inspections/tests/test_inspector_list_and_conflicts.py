"""Only inspectors with a valid credential enter the manifest (the others are reported); declared conflicts and
recent inspections of the same entity end up in the manifest's conflicts."""

import json

from jianguan.inspections import services

from . import factories


def test_an_expired_credential_is_left_out_and_reported(xh):
    factories.inspector("insp_old", credential="expired", name="过期检查员")
    factories.inspector("insp_none", credential=False, name="无证人员")
    batch = factories.batch(xh["head"], factories.plan(xh["head"]), step="committed")
    ids = [i["id"] for i in json.loads(batch.manifest)["inspectors"]]
    assert ids == ["I-insp_a", "I-insp_b"]
    excluded = {e["staff_code"]: e["reason"] for e in batch.inspector_report["excluded"]}
    assert excluded["I-insp_old"].startswith("执法证已过期")
    assert excluded["I-insp_none"] == "无行政执法证"


def test_declared_and_automatic_conflicts_are_in_the_manifest(xh):
    head, a = xh["head"], xh["a"]
    # drawn before the declaration: with only two inspectors, a conflict on the drawn entity would leave it
    # unassigned (and which entity is drawn depends on the codes the factories handed out before this test)
    first = factories.batch(head, factories.plan(head, quota_overrides={"B": 1, "D": 0}))
    recently = first.tasks.get().entity
    declared = xh["entities"][0]
    services.conflict_declare(actor=a, entity=declared, reason="近亲属在该企业任职")
    later = factories.batch(head, factories.plan(head, items=[factories.item("OTHER")]), step="committed")
    conflicts = json.loads(later.manifest)["conflicts"]
    assert ["I-insp_a", declared.uscc] in conflicts
    assert ["I-insp_a", recently.uscc] in conflicts and ["I-insp_b", recently.uscc] in conflicts
    assert later.conflict_count == len(conflicts)


def test_the_inspector_list_page_says_who_cannot_be_drawn(xh, login):
    factories.inspector("insp_old", credential="expired", name="过期检查员")
    page = login(xh["head"]).get("/workbench/inspections/inspectors/").content.decode()
    assert "过期检查员" in page and "执法证已过期" in page
