"""The business licence PDF: a real PDF with the national layout's fields and a QR code of its 一照通行 page (every licence
the entity holds)."""

import base64
import io

import pytest
import qrcode
from PIL import Image

from jianguan.startup import licence, services

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity(org):
    user = factories.applicant()
    return services.application_submit(actor=user, application=factories.application(user)).entity


def _texts(box):
    text = getattr(box, "text", None)
    if text:
        yield text
    for child in getattr(box, "children", None) or []:
        yield from _texts(child)


def test_pdf_is_a_pdf_and_carries_the_licence_fields(entity):
    from weasyprint import HTML

    pdf = licence.licence_pdf(entity)
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    document = HTML(string=licence.licence_html(entity)).render()
    assert len(document.pages) == 1
    text = "".join(_texts(document.pages[0]._page_box))
    for expected in (
        "营业执照",
        "统一社会信用代码",
        entity.uscc,
        entity.name,
        "有限责任公司",
        "王法人",
        "100万元整",
        "新华区市场监督管理局",
        "日用百货销售",
    ):
        assert expected in text, expected


def test_qr_code_encodes_the_public_record_url(entity, rf, settings):
    settings.ALLOWED_HOSTS = ["jianguan.example.cn"]
    request = rf.get("/", HTTP_HOST="jianguan.example.cn")
    url = licence.public_record_url(entity, request)
    assert url == f"http://jianguan.example.cn/entities/{entity.uscc}/licences/"
    html = licence.licence_html(entity, request=request)
    assert licence.qr_data_uri(url) in html
    # Decode the embedded PNG and compare it with a QR code built independently from the same URL.
    png = base64.b64decode(licence.qr_data_uri(url).split(",", 1)[1])
    expected = qrcode.make(url, box_size=8, border=2)
    buf = io.BytesIO()
    expected.save(buf, format="PNG")
    assert Image.open(io.BytesIO(png)).convert("1").tobytes() == Image.open(buf).convert("1").tobytes()


def test_qr_url_without_a_request_uses_the_fallback_base(entity):
    assert licence.public_record_url(entity) == f"http://127.0.0.1:8000/entities/{entity.uscc}/licences/"


def test_staff_in_scope_can_download_the_licence(entity, login):
    from jianguan.startup.models import Application

    app = Application.objects.get(entity=entity)
    r = login(factories.registrar("xh_reg", "410402")).get(f"/workbench/startup/applications/{app.pk}/licence.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
