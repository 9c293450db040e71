"""An enterprise replies (回应) to a published inspection result: length-limited, audited, shown on the public
record and in the API; only for its own published records; staff can hide it."""

from __future__ import annotations

import pytest

from jianguan.core.errors import DomainError
from jianguan.core.models import AuditEntry
from jianguan.core.tests.factories import PASSWORD
from jianguan.credit.tests import factories as credit_factories
from jianguan.portal import services
from jianguan.portal.models import REPLY_MAX_LENGTH, Reply

REPLY = "我公司已按要求完成整改，并建立了进货查验台账。"


def _post(client, task, body=REPLY):
    return client.post("/account/replies/", {"object_type": "inspections.inspectiontask", "object_id": str(task.pk),
                                             "body": body})


def test_reply_posted_from_the_account_shows_beside_the_result(world, enterprise, client):
    client.login(username="ent_company", password=PASSWORD)
    page = client.get("/account/replies/").content.decode()
    assert "测试抽查计划" in page
    assert _post(client, world["task"]).status_code == 302
    record = client.get(f"/entities/{world['company'].uscc}/").content.decode()
    assert "企业回应" in record and REPLY in record
    client.logout()
    api = client.get(f"/api/v1/entities/{world['company'].uscc}").json()
    assert api["inspections"][0]["reply"]["body"] == REPLY
    assert client.get("/api/v1/inspection-results").json()["results"][0]["reply"] == REPLY
    entry = AuditEntry.objects.get(action="portal.reply.posted")
    assert entry.changes["body"] == [None, REPLY]


def test_a_second_reply_replaces_the_first_and_both_are_audited(world, enterprise):
    services.reply_post(actor=enterprise, object_type="inspections.inspectiontask", object_id=str(world["task"].pk),
                        body="第一次回应")
    services.reply_post(actor=enterprise, object_type="inspections.inspectiontask", object_id=str(world["task"].pk),
                        body="更正后的回应")
    assert list(Reply.objects.values_list("body", flat=True)) == ["更正后的回应"]
    assert AuditEntry.objects.get(action="portal.reply.changed").changes["body"] == ["第一次回应", "更正后的回应"]


def test_too_long_or_empty_replies_are_refused(world, enterprise):
    for body in ("", "字" * (REPLY_MAX_LENGTH + 1)):
        with pytest.raises(DomainError):
            services.reply_post(actor=enterprise, object_type="inspections.inspectiontask",
                                object_id=str(world["task"].pk), body=body)
    assert not Reply.objects.exists()


def test_no_reply_to_someone_elses_or_unknown_records(world, enterprise):
    other = credit_factories.enterprise_account(world["shop"], username="ent_shop")
    for actor, object_type, object_id in ((other, "inspections.inspectiontask", str(world["task"].pk)),
                                          (enterprise, "inspections.inspectiontask", "999999"),
                                          (enterprise, "no.such", "1")):
        with pytest.raises(DomainError) as exc:
            services.reply_post(actor=actor, object_type=object_type, object_id=object_id, body=REPLY)
        assert exc.value.status == 404
    with pytest.raises(DomainError) as exc:
        services.reply_post(actor=world["head"], object_type="inspections.inspectiontask",
                            object_id=str(world["task"].pk), body=REPLY)
    assert exc.value.status == 403


def test_a_hidden_reply_disappears_from_the_public_record(world, enterprise, client):
    reply = services.reply_post(actor=enterprise, object_type="inspections.inspectiontask",
                                object_id=str(world["task"].pk), body="含广告的回应：欢迎致电订购")
    services.reply_hide(actor=world["head"], reply=reply, reason="含广告内容")
    assert "欢迎致电订购" not in client.get(f"/entities/{world['company'].uscc}/").content.decode()
    assert client.get(f"/api/v1/entities/{world['company'].uscc}").json()["inspections"][0]["reply"] is None
    with pytest.raises(DomainError):
        services.reply_post(actor=enterprise, object_type="inspections.inspectiontask",
                            object_id=str(world["task"].pk), body="改过的回应")
    assert AuditEntry.objects.filter(action="portal.reply.hidden").exists()


def test_another_app_can_make_its_records_repliable(world, enterprise, client):
    company = world["company"]
    services.register_target("test.penalty", lambda oid: services.ReplyTarget(company.pk, f"行政处罚 {oid}"))
    try:
        services.reply_post(actor=enterprise, object_type="test.penalty", object_id="平市监罚〔2026〕1号",
                            body="我公司已缴纳罚款并完成整改。")
    finally:
        services.TARGETS.pop("test.penalty")
    replies = client.get(f"/api/v1/entities/{company.uscc}").json()["replies"]
    assert replies[0]["object_label"] == "行政处罚 平市监罚〔2026〕1号"
    assert "我公司已缴纳罚款" in client.get(f"/entities/{company.uscc}/").content.decode()
