"""The API runs the same services: randomness twice is a 409; an inspector records and confirms through it."""

from . import factories


def test_randomness_twice_is_a_conflict(xh, login):
    batch = factories.batch(xh["head"], factories.plan(xh["head"]), step="committed")
    client = login(xh["head"])
    first = client.post(
        f"/api/v1/inspections/batches/{batch.pk}/randomness", {"randomness": "1 2 3"}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["status"] == "drawn"
    second = client.post(
        f"/api/v1/inspections/batches/{batch.pk}/randomness", {"randomness": "4 5 6"}, content_type="application/json"
    )
    assert second.status_code == 409 and "不能再次录入" in second.json()["error"]["message"]


def test_inspectors_record_and_confirm_through_the_api(xh, login):
    batch = factories.batch(xh["head"], factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0}))
    task = batch.tasks.get()
    item = batch.plan.items.get()
    body = {
        "inspected_on": str(factories.timezone.localdate()),
        "results": [{"item": item.pk, "category": "no_problem"}],
    }
    mine = login(xh["a"]).get("/api/v1/inspections/tasks").json()
    assert [t["id"] for t in mine] == [task.pk]
    assert (
        login(xh["a"])
        .post(f"/api/v1/inspections/tasks/{task.pk}/result", body, content_type="application/json")
        .json()["status"]
        == "recorded"
    )
    assert login(xh["b"]).post(f"/api/v1/inspections/tasks/{task.pk}/confirm").json()["status"] == "confirmed"
