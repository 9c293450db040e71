"""Floods, spam and mistakes on the public form: each gets a clear answer and loses nothing already registered."""

import pytest
from django.urls import reverse

from jianguan.complaints.models import Complaint, Evidence

from .factories import EXE, JPEG, PNG, upload
from .test_public_intake_files_a_complaint import form_data

pytestmark = pytest.mark.django_db
URL = "/complaints/"


def test_a_flood_from_one_address_gets_429_with_retry_after(client, org, set_rule):
    set_rule("complaints.intake_rate", "2/m")
    for i in range(2):
        assert client.post(URL, form_data(token=f"{i:032x}")).status_code == 302
    response = client.post(URL, form_data(token=f"{9:032x}"))
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert Complaint.objects.count() == 2


def test_a_wrong_captcha_is_refused_with_a_message_and_nothing_is_stored(client, org):
    response = client.post(URL, form_data(captcha_1="WRONG"))
    assert response.status_code == 422
    assert "验证码不正确" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_double_submission_returns_the_same_number(client, org):
    first = client.post(URL, form_data())
    number = Complaint.objects.get().number
    second = client.post(URL, form_data())
    assert first["Location"] == second["Location"] == reverse("complaints_public:receipt")
    assert Complaint.objects.count() == 1
    assert number in client.get(second["Location"]).content.decode()


def test_a_double_submission_from_another_session_still_finds_the_first(client, org):
    client.post(URL, form_data())
    number = Complaint.objects.get().number
    client.cookies.clear()
    response = client.post(URL, form_data())
    assert response.status_code == 302 and Complaint.objects.count() == 1
    body = client.get(response["Location"]).content.decode()
    assert number in body and "未重复登记" in body


def test_an_executable_named_jpg_is_refused(client, org):
    response = client.post(URL, {**form_data(), "files": [upload("photo.jpg", EXE)]})
    assert response.status_code == 422
    assert "内容与扩展名不符" in response.content.decode()
    assert not Complaint.objects.exists() and not Evidence.objects.exists()


def test_a_real_jpeg_named_pdf_is_refused(client, org):
    response = client.post(URL, {**form_data(), "files": [upload("invoice.pdf", JPEG)]})
    assert response.status_code == 422
    assert not Complaint.objects.exists()


def test_an_oversized_file_is_refused(client, org, set_rule):
    set_rule("complaints.evidence_max_bytes", 1024)
    response = client.post(URL, {**form_data(), "files": [upload("big.png", PNG + b"\x00" * 2000)]})
    assert response.status_code == 422
    assert "超过上限" in response.content.decode()
    assert not Complaint.objects.exists()


def test_good_evidence_is_stored_privately_under_the_year(client, org, settings):
    response = client.post(URL, {**form_data(), "files": [upload("receipt.png", PNG)]})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.content_type == "image/png" and evidence.size == len(PNG)
    assert evidence.file.name.startswith(f"complaints/{evidence.uploaded_at:%Y}/")
    assert "receipt" not in evidence.file.name  # a random name: not guessable from the original
    stored = (settings.MEDIA_ROOT / evidence.file.name).read_bytes()
    assert stored.startswith(b"v1:dev:") and b"PNG" not in stored  # encrypted at rest (#14)
    assert evidence.file.open("rb").read() == PNG and evidence.file.size == len(PNG)


def test_a_missing_business_name_and_description_are_named(client, org):
    response = client.post(URL, form_data(description="", entity_query=""))
    body = response.content.decode()
    assert response.status_code == 422
    assert not Complaint.objects.exists()
    assert body.count("invalid-feedback") >= 2


def test_an_unknown_credit_code_asks_for_the_name_instead(client, org):
    from jianguan.registry import uscc

    response = client.post(URL, form_data(entity_query=uscc.generate("410402", "1", 999_999)))
    assert response.status_code == 422
    assert "请改为填写经营者名称" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_complaint_cannot_be_anonymous(client, org):
    response = client.post(URL, form_data(anonymous="on", person_name="", person_phone=""))
    assert response.status_code == 422
    assert "匿名仅限举报" in response.content.decode()
