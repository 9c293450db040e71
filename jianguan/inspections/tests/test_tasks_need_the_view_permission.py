"""Inspection tasks hold the legal representative's mobile number and the findings: scope alone does not open them
(#14 finding 2). Staff in scope without ``inspections.view_inspectiontask`` — the three administrators, a complaint
handler, a legal reviewer — see neither the task page, nor its files, nor the API's list; the team still does."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jianguan.core.tests.factories import staff
from jianguan.inspections import services

from . import factories

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100


@pytest.fixture
def task(xh, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return factories.batch(xh["head"], factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0})).tasks.get()


@pytest.fixture
def outsiders(org, sysadmin, secadmin, auditadmin):
    return [
        sysadmin,
        secadmin,
        auditadmin,
        staff("ts_handler_t", "410402", ["complaint_handler"], name="新华区投诉处理员"),
        staff("fg_reviewer_t", "410402", ["legal_reviewer"], name="新华区法制审核员"),
    ]


def test_staff_without_the_permission_cannot_open_a_task_in_scope(xh, task, outsiders, login):
    attachment = services.attachment_add(actor=xh["a"], task=task, upload=SimpleUploadedFile("a.jpg", JPEG))
    for user in outsiders:
        client = login(user)
        assert client.get(f"/workbench/inspections/tasks/{task.pk}/").status_code == 404, user.username
        assert client.get(f"/workbench/inspections/attachments/{attachment.pk}/").status_code == 404, user.username
        assert client.get("/api/v1/inspections/tasks?mine=false").json() == [], user.username
        listing = client.get("/workbench/inspections/tasks/?all=1").content.decode()
        assert task.entity.name not in listing, user.username


def test_the_team_and_the_head_still_open_it(xh, task, client):
    for user in (xh["a"], xh["b"], xh["head"]):
        client.force_login(user)
        assert client.get(f"/workbench/inspections/tasks/{task.pk}/").status_code == 200, user.username
    client.force_login(xh["head"])
    assert [t["id"] for t in client.get("/api/v1/inspections/tasks?mine=false").json()] == [task.pk]
