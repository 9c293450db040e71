"""An enterprise replies (回应) to a published inspection result or penalty: length-limited, audited, shown on the public
record and in the API; only for its own published records; staff can hide it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

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


def _penalty(company, *, published: bool):
    from jianguan.enforcement.tests.docfixtures import make_case, make_penalty

    today = timezone.localdate()
    case = make_case(entity=company, status="decided")
    fields = {"published_on": today, "publication_ends_on": today + dt.timedelta(days=90)} if published else {}
    return make_penalty(case, decided_on=today - dt.timedelta(days=3), **fields)


def test_reply_to_a_published_penalty_shows_beside_it(world, enterprise, client):
    company = world["company"]
    penalty = _penalty(company, published=True)
    client.login(username="ent_company", password=PASSWORD)
    page = client.get("/account/replies/").content.decode()
    assert f"行政处罚：{penalty.decision_no}" in page  # offered with a form, beside the inspection result
    response = client.post("/account/replies/", {"object_type": "enforcement.penalty", "object_id": str(penalty.pk),
                                                 "body": "我公司已缴纳罚款并完成整改。"})
    assert response.status_code == 302
    client.logout()
    record = client.get(f"/api/v1/entities/{company.uscc}").json()
    (event,) = [e for e in record["other_events"] if e["category"] == "行政处罚"]
    assert event["ref"] == ["enforcement.penalty", str(penalty.pk)]
    assert event["reply"]["body"] == "我公司已缴纳罚款并完成整改。"
    assert record["replies"] == []  # shown beside the penalty, not again at the end
    html = client.get(f"/entities/{company.uscc}/").content.decode()
    assert html.count("我公司已缴纳罚款并完成整改。") == 1
    assert Reply.objects.get().object_label == f"行政处罚：{penalty.decision_no}"


def test_no_reply_to_an_unpublished_penalty_or_another_partys(world, enterprise):
    unpublished = _penalty(world["company"], published=False)
    someone_elses = _penalty(world["shop"], published=True)
    for penalty in (unpublished, someone_elses):
        with pytest.raises(DomainError) as exc:
            services.reply_post(actor=enterprise, object_type="enforcement.penalty", object_id=str(penalty.pk),
                                body=REPLY)
        assert exc.value.status == 404
    assert not Reply.objects.exists()


def test_a_reply_leaves_with_its_penalty_when_publication_ends(world, enterprise, client):
    company = world["company"]
    penalty = _penalty(company, published=True)
    services.reply_post(actor=enterprise, object_type="enforcement.penalty", object_id=str(penalty.pk),
                        body="我公司已缴纳罚款并完成整改。")
    penalty.publication_ends_on = penalty.published_on - dt.timedelta(days=1)
    penalty.save(update_fields=["publication_ends_on"])
    record = client.get(f"/api/v1/entities/{company.uscc}").json()
    assert not [e for e in record["other_events"] if e["category"] == "行政处罚"]
    assert record["replies"] == []  # its label names the penalty, so it goes too
    assert penalty.decision_no not in client.get(f"/entities/{company.uscc}/").content.decode()
