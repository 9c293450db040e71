"""Online monitoring rounds: by plan (the shops named) or by the verifiable draw (the shop list frozen and its
commitment published before the randomness; anyone recomputes the result with draw.py). A round's shop that cannot
be fetched is recorded as such, with no capture; 亮照亮证 shows per shop."""

import hashlib
import json
import socket

import pytest

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.enforcement.tests.factories import business
from jianguan.inspections import draw
from jianguan.monitoring import selectors, services
from jianguan.monitoring.capture import chromium_path
from jianguan.monitoring.models import CaptureStatus, RoundShop, RoundStatus

pytestmark = pytest.mark.django_db


def _shops(monitor, n, platform="taobao"):
    return [services.shop_create(actor=monitor, platform=platform, shop_name=f"店{i}",
                                 url=f"https://{platform}{i}.example.cn/", entity=business(),
                                 licence_displayed=i % 2 == 0) for i in range(n)]


def test_a_drawn_round_is_recomputable_from_its_published_manifest(monitor):
    shops = _shops(monitor, 6) + _shops(monitor, 3, platform="jd")
    rnd = services.round_create(actor=monitor, code="WJ-2026-01", title="淘宝店铺亮照亮证抽查", method="draw",
                                quota=3, platform="taobao")
    with pytest.raises(TransitionNotAllowed, match="须先冻结名单"):
        services.round_draw(actor=monitor, rnd=rnd, randomness="385")
    rnd = services.round_freeze(actor=monitor, rnd=rnd, beacon="福利彩票3D 2026年第330期开奖号码")
    manifest = json.loads(rnd.manifest)
    assert rnd.commitment == hashlib.sha256(draw.canonical_manifest(manifest)).hexdigest()
    candidates = {c["id"] for c in manifest["strata"][0]["candidates"]}
    assert candidates == {s.url for s in shops if s.platform == "taobao"}  # the round's platform only
    rnd = services.round_draw(actor=monitor, rnd=rnd, randomness="385")
    assert rnd.status == RoundStatus.READY
    again = draw.compute(manifest, "385", published_commitment=rnd.commitment)
    drawn = set(RoundShop.objects.filter(round=rnd).values_list("shop__url", flat=True))
    assert drawn == {s["id"] for s in again["selected"]} and len(drawn) == 3
    assert hashlib.sha256(draw.dump_bundle(again).encode()).hexdigest() == rnd.bundle_sha256
    rnd.refresh_from_db()
    assert draw.verify(json.loads(rnd.bundle)) == []  # what the public verifier says of the published bundle
    with pytest.raises(TransitionNotAllowed, match="已录入随机数"):
        services.round_draw(actor=monitor, rnd=rnd, randomness="386")


def test_a_planned_round_captures_only_its_shops_and_refuses_more_than_the_register(monitor, monkeypatch):
    shops = _shops(monitor, 3)
    rnd = services.round_create(actor=monitor, code="WJ-2026-02", title="重点网店", method="plan", shops=shops[:2])
    with pytest.raises(ValidationFailed, match="不是本轮次的监测对象"):
        services.round_capture(actor=monitor, rnd=rnd, shop=shops[2], problem="未亮照")
    draft = services.round_create(actor=monitor, code="WJ-2026-03", title="抽查", method="draw", quota=9)
    with pytest.raises(ValidationFailed, match="超过网店台账中可抽取的 3 家"):
        services.round_freeze(actor=monitor, rnd=draft, beacon="福利彩票3D")


@pytest.mark.skipif(chromium_path() is None, reason="chromium not installed")
def test_a_round_shop_that_cannot_be_fetched_is_recorded_as_such(monitor, login):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    shop = services.shop_create(actor=monitor, platform="own_site", shop_name="某某官网", url=f"http://127.0.0.1:{port}/",
                                entity=business(), licence_displayed=False)
    rnd = services.round_create(actor=monitor, code="WJ-2026-04", title="自建网站", method="plan", shops=[shop])
    c = login(monitor)
    c.post(f"/workbench/monitoring/rounds/{rnd.pk}/capture/", {"shop": shop.pk, "problem": "未亮照经营"})
    finding = rnd.findings.get()
    assert finding.status == CaptureStatus.FAILED and finding.screenshot_sha256 == "" and finding.html_file == ""
    page = c.get(f"/workbench/monitoring/rounds/{rnd.pk}/").content.decode()
    assert "无法访问（未取证）" in page and "未亮照" in page and "无法打开该网址" in page


def test_round_pages_create_by_form_scope_and_query_count(monitor, login, django_assert_max_num_queries):
    shops = _shops(monitor, 4)
    c = login(monitor)
    bad = c.post("/workbench/monitoring/rounds/", {"code": "R1", "title": "x", "method": "plan",
                                                   "shops": "https://nowhere.example.cn/"})
    assert bad.status_code == 422 and "不在您辖区的网店台账中" in bad.content.decode()
    ok = c.post("/workbench/monitoring/rounds/", {"code": "R1", "title": "重点", "method": "plan",
                                                  "shops": "\n".join(s.url for s in shops)})
    assert ok.status_code == 302
    rnd = selectors.rounds_for(monitor).get(code="R1")
    with django_assert_max_num_queries(16):
        page = c.get(f"/workbench/monitoring/rounds/{rnd.pk}/")
    assert page.content.decode().count("已亮照") == 2
    from jianguan.core.tests.factories import staff

    other = login(staff("wd_mon2", "410403", ["online_monitor"], credential=False))
    assert other.get(f"/workbench/monitoring/rounds/{rnd.pk}/").status_code == 404


def test_rounds_api_creates_draws_lists_and_scopes(monitor, client, django_assert_max_num_queries):
    from jianguan.core.services import api_token_create
    from jianguan.core.tests.factories import staff

    shops = _shops(monitor, 5)
    auth = {"Authorization": f"Bearer {api_token_create(actor=monitor, name='t')[1]}"}

    def post(path, body, headers=auth):
        return client.post(f"/api/v1/monitoring{path}", body, content_type="application/json", headers=headers)

    bad = post("/rounds", {"code": "A1", "title": "重点", "method": "plan",
                           "shops": [shops[0].url, "https://nowhere.example.cn/"]})
    assert bad.status_code == 422 and "https://nowhere.example.cn/" in bad.json()["error"]["message"]
    planned = post("/rounds", {"code": "A1", "title": "重点", "method": "plan", "shops": [shops[1].url, shops[0].url]})
    assert planned.status_code == 201
    assert [t["url"] for t in planned.json()["targets"]] == [shops[1].url, shops[0].url]
    assert planned.json()["status"] == "ready"

    drawn = post("/rounds", {"code": "A2", "title": "抽查", "method": "draw", "quota": 2}).json()
    assert drawn["status"] == "draft" and drawn["targets"] == []
    assert post(f"/rounds/{drawn['id']}/draw", {"randomness": "385"}).status_code == 409  # not frozen yet
    frozen = post(f"/rounds/{drawn['id']}/freeze", {"beacon": "福利彩票3D 2026年第330期"}).json()
    assert frozen["status"] == "committed" and len(frozen["commitment"]) == 64
    done = post(f"/rounds/{drawn['id']}/draw", {"randomness": "385"}).json()
    assert done["status"] == "ready" and len(done["targets"]) == 2 and all(t["ticket"] for t in done["targets"])
    bundle = client.get(f"/api/v1/monitoring/rounds/{drawn['id']}/bundle", headers=auth)
    assert draw.verify(json.loads(bundle.content)) == []
    assert hashlib.sha256(bundle.content).hexdigest() == done["bundle_sha256"]

    for i in range(4):
        services.round_create(actor=monitor, code=f"M{i}", title="更多", method="plan", shops=shops[:2])
    with django_assert_max_num_queries(8):
        page = client.get("/api/v1/monitoring/rounds?method=plan&limit=3", headers=auth).json()
    assert page["count"] == 5 and len(page["items"]) == 3 and page["items"][0]["shops"] == 2

    neighbour = staff("wd_mon3", "410403", ["online_monitor"], credential=False)
    other = {"Authorization": f"Bearer {api_token_create(actor=neighbour, name='o')[1]}"}
    assert client.get(f"/api/v1/monitoring/rounds/{drawn['id']}", headers=other).status_code == 404
    assert client.get("/api/v1/monitoring/rounds", headers=other).json()["count"] == 0
    clerk = staff("xh_clerk", "410402", ["inspector"], credential=False)
    denied = {"Authorization": f"Bearer {api_token_create(actor=clerk, name='c')[1]}"}
    assert post("/rounds", {"code": "A3", "title": "x", "method": "draw", "quota": 1}, denied).status_code == 403
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/monitoring/rounds", "/api/v1/monitoring/rounds/{pk}", "/api/v1/monitoring/rounds/{pk}/freeze",
            "/api/v1/monitoring/rounds/{pk}/draw", "/api/v1/monitoring/rounds/{pk}/capture"} <= set(paths)
    assert paths["/api/v1/monitoring/rounds"]["post"]["summary"].startswith("建立监测轮次")
