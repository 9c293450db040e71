"""The receipt and the complaints a browser may follow are kept in signed cookies, not in a session row: a public
submission writes nothing else, and an altered or made-up cookie opens nothing."""

import pytest
from django.contrib.sessions.models import Session
from django.core import signing

from jianguan.complaints.models import Complaint

from .factories import business, complaint
from .test_public_intake_files_a_complaint import form_data

pytestmark = pytest.mark.django_db
URL = "/complaints/"


def test_a_submission_writes_no_session_and_sets_httponly_cookies_for_the_complaints_pages(client, org):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert not Session.objects.exists()
    for name in ("complaints_receipt", "complaints_tracked"):
        cookie = response.cookies[name]
        assert cookie["httponly"] and cookie["path"] == "/complaints/" and cookie["samesite"] == "Lax"
    number = Complaint.objects.get().number
    assert number in client.get(response["Location"]).content.decode()
    assert client.get(f"/complaints/track/{number}/").status_code == 200  # followed without asking for the code


def test_an_altered_receipt_cookie_shows_no_receipt(client, org):
    client.post(URL, form_data())
    value = client.cookies["complaints_receipt"].value
    client.cookies["complaints_receipt"] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    response = client.get("/complaints/receipt/")
    assert response.status_code == 302 and response["Location"] == URL


def test_a_made_up_tracking_cookie_opens_no_complaint(client, org):
    c, _code = complaint(entity=business())
    client.cookies["complaints_tracked"] = signing.dumps([c.pk], salt="wrong-salt")
    assert client.get(f"/complaints/track/{c.number}/").status_code == 404
    client.cookies["complaints_tracked"] = f"[{c.pk}]"
    assert client.get(f"/complaints/track/{c.number}/").status_code == 404
