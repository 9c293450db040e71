"""今日检查: the inspector's open tasks as cards — the entity, its address with a map link, the plan's items, and a
photo input that opens the phone's rear camera (capture="environment") posting into the task and back to the cards;
only the team's tasks, a fixed number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jianguan.inspections.models import Attachment

from . import factories

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100


@pytest.fixture
def task(xh, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return factories.batch(xh["head"], factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0})).tasks.get()


def test_the_cards_show_address_map_items_and_take_a_photo(xh, task, client, django_assert_max_num_queries):
    member = task.members.first().inspector
    client.force_login(member)
    with django_assert_max_num_queries(14):
        body = client.get("/workbench/inspections/today/").content.decode()
    assert 'data-testid="today-card"' in body and task.entity.name in body
    assert task.entity.address in body and 'data-testid="map-link"' in body and "uri.amap.com" in body
    assert 'capture="environment"' in body and 'accept="image/jpeg,image/png"' in body
    assert all(i.name in body for i in task.batch.plan.items.all())
    r = client.post(f"/workbench/inspections/tasks/{task.pk}/upload/",
                    {"file": SimpleUploadedFile("IMG_0001.jpg", JPEG), "next": "today"})
    assert r.status_code == 302 and r["Location"].endswith("/workbench/inspections/today/")
    assert Attachment.objects.filter(task=task, kind="jpg").exists()


def test_someone_outside_the_team_sees_no_card(xh, task, client):
    outsider = factories.inspector("xh_outsider_t")
    client.force_login(outsider)
    body = client.get("/workbench/inspections/today/").content.decode()
    assert task.entity.name not in body and "今天没有待检查的任务" in body
