import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from jianguan.core.errors import ValidationFailed
from jianguan.core.scope import EVERYTHING
from jianguan.core.storage import encrypted_media
from jianguan.core.tests.factories import staff
from jianguan.enforcement.models import Lead
from jianguan.enforcement.tests.factories import business
from jianguan.ip.tests.xlsx import read, upload, xlsx
from jianguan.monitoring import services
from jianguan.monitoring.models import CaptureStatus, OnlineFinding, OnlineShop
from jianguan.workplan import metrics

pytestmark = pytest.mark.django_db

HEADERS = ["平台", "店铺名称", "店铺网址", "经营主体统一社会信用代码", "亮照亮证"]


def _token(user):
    from jianguan.core.services import api_token_create

    return api_token_create(actor=user, name="test")[1]


@pytest.fixture
def captured(shop, monitor):
    """A captured finding whose files are stored (encrypted) with their real hashes (what finding_capture stores)."""
    html, png = b"<html><body>listing</body></html>", b"\x89PNG\r\n\x1a\nshot"
    html_file = encrypted_media().save("monitoring/evidence/t/a.html", ContentFile(html))
    png_file = encrypted_media().save("monitoring/evidence/t/a.png", ContentFile(png))
    return OnlineFinding.objects.create(
        shop=shop, url=shop.url, problem="未亮照经营", status=CaptureStatus.CAPTURED, http_status=200,
        html_file=html_file, html_sha256=hashlib.sha256(html).hexdigest(), html_size=len(html),
        screenshot_file=png_file, screenshot_sha256=hashlib.sha256(png).hexdigest(),
        screenshot_size=len(png), captured_at=timezone.now(), unit_id=shop.unit_id, created_by=monitor)


def test_shop_outside_the_officers_district_is_refused(monitor):
    other = business(unit="410403")
    with pytest.raises(ValidationFailed, match="监管范围"):
        services.shop_create(actor=monitor, platform="jd", shop_name="x", url="https://x.example.cn/", entity=other)


def test_duplicate_or_non_web_url_is_refused(monitor, shop):
    with pytest.raises(ValidationFailed, match="已登记"):
        services.shop_create(actor=monitor, platform="jd", shop_name="y", url=shop.url, entity=shop.entity)
    with pytest.raises(ValidationFailed, match="http"):
        services.shop_create(actor=monitor, platform="jd", shop_name="y", url="ftp://y.example.cn/",
                             entity=shop.entity)


def test_import_is_all_or_nothing_and_names_row_and_column(monitor, login):
    e = business()
    data = xlsx([HEADERS, ["淘宝/天猫", "甲店", "https://a.example.cn/", e.uscc, "是"],
                 ["京东", "乙店", "https://b.example.cn/", "91410400MA0000000X", "否"]])
    response = login(monitor).post("/workbench/monitoring/shops/import/", {"file": upload(data)})
    assert response.status_code == 422
    html = response.content.decode()
    assert "未在市场主体名录中" in html and "经营主体统一社会信用代码" in html
    assert OnlineShop.objects.count() == 0


def test_list_export_menu_card_and_query_count(monitor, shop, login, django_assert_max_num_queries):
    for i in range(5):
        services.shop_create(actor=monitor, platform="pdd", shop_name=f"店{i}", url=f"https://s{i}.example.cn/",
                             entity=business())
    client = login(monitor)
    with django_assert_max_num_queries(16):  # session, user, permissions, menu, home cards: not one per row
        page = client.get("/workbench/monitoring/shops/")
    for i in range(10):
        services.shop_create(actor=monitor, platform="jd", shop_name=f"多{i}", url=f"https://m{i}.example.cn/",
                             entity=business())
    with django_assert_max_num_queries(16):
        assert client.get("/workbench/monitoring/shops/").status_code == 200
    assert page.status_code == 200 and "某某电器旗舰店" in page.content.decode()
    rows = read(b"".join(client.get("/workbench/monitoring/shops/export.xlsx").streaming_content))
    assert rows[0][:5] == HEADERS and len(rows) == 17
    home = client.get("/workbench/").content.decode()
    assert 'data-testid="monitoring-card"' in home and "网店台账" in home


def test_inspector_and_other_district_cannot_see(station_inspector, other_district_officer, captured, login, client):
    assert login(station_inspector).get("/workbench/monitoring/shops/").status_code == 403
    other = staff("wd_monitor", "410403", ["online_monitor"], credential=False)
    c = login(other)
    assert c.get(f"/workbench/monitoring/findings/{captured.pk}/").status_code == 404
    assert c.get(f"/workbench/monitoring/findings/{captured.pk}/file/png/").status_code == 404
    assert c.post(f"/workbench/monitoring/findings/{captured.pk}/lead/").status_code == 404
    assert Lead.objects.count() == 0


def test_finding_page_shows_hashes_and_hands_over_a_lead_once(monitor, captured, login):
    client = login(monitor)
    page = client.get(f"/workbench/monitoring/findings/{captured.pk}/").content.decode()
    assert captured.html_sha256 in page and captured.screenshot_sha256 in page
    png = client.get(f"/workbench/monitoring/findings/{captured.pk}/file/png/")
    assert b"".join(png.streaming_content) == b"\x89PNG\r\n\x1a\nshot"
    client.post(f"/workbench/monitoring/findings/{captured.pk}/lead/")
    client.post(f"/workbench/monitoring/findings/{captured.pk}/lead/")
    captured.refresh_from_db()
    assert Lead.objects.count() == 1 and captured.lead_id == Lead.objects.get().pk


def test_api_registers_a_shop_and_hands_over_a_finding(monitor, captured, client):
    headers = {"Authorization": f"Bearer {_token(monitor)}"}
    body = {"platform": "抖音", "shop_name": "丙店", "url": "https://c.example.cn/", "entity": business().uscc}
    created = client.post("/api/v1/monitoring/shops", body, content_type="application/json", headers=headers)
    assert created.status_code == 201, created.content
    assert created.json()["platform"] == "抖音"
    bad = client.post("/api/v1/monitoring/shops", {**body, "url": "c.example.cn"}, content_type="application/json",
                      headers=headers)
    assert bad.status_code == 422
    out = client.post(f"/api/v1/monitoring/findings/{captured.pk}/lead", headers=headers)
    assert out.status_code == 200 and out.json()["lead"] == Lead.objects.get().pk


def test_metrics_count_captures_and_leads(monitor, captured):
    ctx = metrics.Context(scope=EVERYTHING, year=timezone.localdate().year, today=timezone.localdate())
    assert metrics.compute("monitoring.online_findings", ctx).value == 1
    assert metrics.compute("monitoring.online_leads", ctx).value == 0
    services.finding_to_lead(actor=monitor, finding=captured)
    assert metrics.compute("monitoring.online_leads", ctx).value == 1
    last_year = metrics.Context(scope=EVERYTHING, year=ctx.year - 1, today=dt.date(ctx.year - 1, 12, 31))
    assert metrics.compute("monitoring.online_findings", last_year).value == 0
