"""Scope: an officer of another district sees nothing of 新华区's plans, batches and tasks (404, never 403); an
inspector sees the tasks of their own teams."""

import pytest

from . import factories


@pytest.fixture
def drawn(xh):
    return factories.batch(xh["head"], factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0}))


def test_another_district_sees_nothing(drawn, other_district_officer, login):
    other = factories.staff("wd_head_t", "410403", ["department_head"])
    task = drawn.tasks.get()
    for user in (other_district_officer, other):
        client = login(user)
        for url in (
            f"/workbench/inspections/plans/{drawn.plan.code}/",
            f"/workbench/inspections/batches/{drawn.pk}/",
            f"/workbench/inspections/tasks/{task.pk}/",
            f"/api/v1/inspections/plans/{drawn.plan.code}",
            f"/api/v1/inspections/batches/{drawn.pk}/bundle",
        ):
            assert client.get(url).status_code == 404, (user, url)
        listing = client.get("/workbench/inspections/tasks/?all=1").content.decode()
        assert task.entity.name not in listing


def test_an_inspector_sees_their_task_and_the_head_the_district(drawn, xh, login):
    task = drawn.tasks.get()
    page = login(xh["a"]).get("/workbench/inspections/tasks/")
    assert task.entity.name in page.content.decode()
    assert login(xh["a"]).get(f"/workbench/inspections/tasks/{task.pk}/").status_code == 200
    assert login(xh["head"]).get(f"/workbench/inspections/batches/{drawn.pk}/").status_code == 200
