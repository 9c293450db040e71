"""Uploads of the sector registers are checked by their content and size before anything is stored: the sampling
photo (JPEG/PNG only, a disguised file refused, size limit from the rule), the Excel registers of equipment and
metrology (a real .xlsx only) — each refused with a Chinese message naming the file; the photo is served only
through a scoped view."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from jianguan.core import uploads
from jianguan.core.models import RuleValue
from jianguan.core.tests.factories import staff
from jianguan.equipment import importer as equipment_importer
from jianguan.metrology import importer as metrology_importer
from jianguan.sampling.models import Sample

from .factories import TODAY, drawn_plan, supervisor

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def _record_form(**extra):
    data = {"product_name": "KN95 口罩", "batch_no": "B1", "quantity": "40 只", "sampled_on": "2026-09-01",
            "seal_no": "FY1", "sampler_signed": "on", "producer_signed": "on"}
    data.update(extra)
    return data


def _sample(user):
    return drawn_plan(user).samples.filter(stratum="410402").order_by("id").first()


def test_a_real_photo_is_stored_under_our_own_name_and_served_only_in_scope(org, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = supervisor()
    sample = _sample(user)
    client = login(user)
    photo = SimpleUploadedFile("现场 照片.JPG", JPEG, content_type="image/jpeg")
    response = client.post(f"/workbench/sampling/samples/{sample.pk}/record/", {**_record_form(), "photo": photo})
    assert response.status_code == 302
    sample.refresh_from_db()
    assert sample.status == Sample.Status.SAMPLED
    assert sample.photo.name.endswith(".jpg") and "现场" not in sample.photo.name
    got = client.get(f"/workbench/sampling/samples/{sample.pk}/photo/")
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert b"".join(got.streaming_content) == JPEG
    other = staff("wd_t", "410403", ["department_head"])
    assert login(other).get(f"/workbench/sampling/samples/{sample.pk}/photo/").status_code == 404


@pytest.mark.parametrize("name,content,says", [
    ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100, "不是 JPEG 或 PNG 照片"),          # an executable renamed .jpg
    ("photo.jpg", b"<html><script>alert(1)</script></html>", "不是 JPEG 或 PNG 照片"),
    ("photo.png", JPEG, "扩展名与内容（JPEG 图片）不符"),                            # a real JPEG named .png
    ("scan.pdf", b"%PDF-1.7\n" + b"\x00" * 100, "不是 JPEG 或 PNG 照片"),             # images only
], ids=["exe-as-jpg", "html-as-jpg", "jpeg-as-png", "pdf"])
def test_anything_but_a_photo_is_refused_and_nothing_is_stored(org, login, settings, tmp_path, name, content, says):
    settings.MEDIA_ROOT = tmp_path
    user = supervisor()
    sample = _sample(user)
    client = login(user)
    response = client.post(f"/workbench/sampling/samples/{sample.pk}/record/",
                           {**_record_form(), "photo": SimpleUploadedFile(name, content)}, follow=True)
    text = response.content.decode()
    assert says in text and name in text
    sample.refresh_from_db()
    assert sample.status == Sample.Status.DRAWN and not sample.photo
    assert not any(tmp_path.rglob("*.*"))


def test_a_photo_over_the_rules_limit_is_refused_with_both_sizes(org, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    RuleValue.objects.create(key="sampling.photo_max_bytes", value=100 * 1024, effective_from=TODAY.replace(month=1),
                             note="测试")
    user = supervisor()
    sample = _sample(user)
    big = SimpleUploadedFile("big.jpg", JPEG + b"\x00" * (150 * 1024))
    text = login(user).post(f"/workbench/sampling/samples/{sample.pk}/record/", {**_record_form(), "photo": big},
                            follow=True).content.decode()
    assert "超过上限 100 KB" in text and "big.jpg" in text
    sample.refresh_from_db()
    assert sample.status == Sample.Status.DRAWN


def test_check_image_accepts_png_and_names_the_field():
    assert uploads.check_image(SimpleUploadedFile("a.png", PNG), max_bytes=1024) == "png"
    with pytest.raises(uploads.UploadRefused) as exc:
        uploads.check_image(SimpleUploadedFile("a.gif", b"GIF89a" + b"\x00" * 20), max_bytes=1024)
    assert exc.value.details[0]["field"] == "photo"
    with pytest.raises(uploads.UploadRefused, match="空文件"):
        uploads.check_image(SimpleUploadedFile("a.jpg", b""), max_bytes=1024)


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("payload.exe", b"MZ")
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize("importer", [equipment_importer.import_devices, metrology_importer.import_instruments],
                         ids=["equipment", "metrology"])
@pytest.mark.parametrize("name,content,says", [
    ("台账.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "内容不是 Excel 工作簿"),  # an old .xls renamed
    ("台账.xlsx", _zip_without_workbook(), "内容不是 Excel 工作簿"),
    ("台账.csv", "设备代码,类别\n".encode(), "不是 .xlsx 文件"),
    ("台账.xlsx", b"", "空文件"),
], ids=["xls-renamed", "zip-without-workbook", "csv", "empty"])
def test_a_register_import_refuses_what_is_not_an_xlsx(org, importer, name, content, says):
    user = supervisor()
    with pytest.raises(equipment_importer.FileRefused) as exc:
        importer(SimpleUploadedFile(name, content), actor=user, today=TODAY)
    assert says in str(exc.value) and name in str(exc.value)


def test_a_register_import_over_the_size_limit_is_refused_before_it_is_opened(org):
    RuleValue.objects.create(key="equipment.import_max_bytes", value=1024, effective_from=TODAY.replace(month=1),
                             note="测试")
    with pytest.raises(equipment_importer.FileRefused) as exc:
        equipment_importer.import_devices(SimpleUploadedFile("台账.xlsx", _xlsx() + b"\x00" * 2048),
                                          actor=supervisor(), today=TODAY)
    assert "超过上限 1 KB" in str(exc.value)
