"""Photos and files: the type is read from the content (JPEG, PNG, PDF), disguised files and files above the size
rule are refused, and only the team and staff in scope may download them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jianguan.core.errors import ValidationFailed
from jianguan.core.models import RuleValue
from jianguan.inspections import services

from . import factories

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"x" * 100


@pytest.fixture
def task(xh, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return factories.batch(xh["head"], factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0})).tasks.get()


def test_a_photo_and_a_pdf_are_accepted(xh, task):
    photo = services.attachment_add(actor=xh["a"], task=task, upload=SimpleUploadedFile("现场.JPG", JPEG))
    pdf = services.attachment_add(actor=xh["b"], task=task, upload=SimpleUploadedFile("笔录.pdf", PDF))
    assert (photo.kind, pdf.kind) == ("jpg", "pdf")
    assert photo.file.name.endswith(".jpg") and "现场" not in photo.file.name


def test_a_disguised_or_unknown_file_is_refused(xh, task):
    with pytest.raises(ValidationFailed, match="疑为伪装文件"):
        services.attachment_add(actor=xh["a"], task=task, upload=SimpleUploadedFile("photo.jpg", PDF))
    with pytest.raises(ValidationFailed, match="不是 JPEG、PNG 照片或 PDF"):
        services.attachment_add(actor=xh["a"], task=task, upload=SimpleUploadedFile("photo.jpg", b"MZ\x90\x00exe"))


def test_a_file_above_the_size_rule_is_refused(xh, task):
    RuleValue.objects.create(key="inspections.upload_max_bytes", value=50, effective_from="2000-01-01")
    with pytest.raises(ValidationFailed, match="超过上限"):
        services.attachment_add(actor=xh["a"], task=task, upload=SimpleUploadedFile("big.jpg", JPEG))


def test_only_the_team_and_scoped_staff_download(xh, task, client, other_district_officer):
    attachment = services.attachment_add(actor=xh["a"], task=task, upload=SimpleUploadedFile("a.jpg", JPEG))
    client.force_login(xh["b"])
    response = client.get(f"/workbench/inspections/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == JPEG
    client.force_login(other_district_officer)
    assert client.get(f"/workbench/inspections/attachments/{attachment.pk}/").status_code == 404
