"""The documents API: issue (201, then 200 for the same document), list, download; 404 outside scope, 409 when
the case is not ready."""

from __future__ import annotations

import io

import docx

from jianguan.core.models import ApiToken

from .docfixtures import make_case, make_penalty


def _token(user):
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name="t", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_issue_list_download(client, district_officer):
    case = make_case(officers=[district_officer])
    make_penalty(case)
    auth = _token(district_officer)
    url = f"/api/v1/enforcement/cases/{case.pk}/documents"
    first = client.post(url, {"kind": "prior_notice"}, content_type="application/json", **auth)
    assert first.status_code == 201, first.content
    again = client.post(url, {"kind": "prior_notice"}, content_type="application/json", **auth)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    listed = client.get(url, **auth).json()
    assert [d["number"] for d in listed] == [first.json()["number"]]
    word = client.get(first.json()["docx_url"], **auth)
    assert first.json()["number"] in "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert client.get(first.json()["pdf_url"], **auth).content.startswith(b"%PDF")


def test_not_ready_is_409_and_bad_input_422(client, district_officer):
    case = make_case(officers=[district_officer])
    auth = _token(district_officer)
    url = f"/api/v1/enforcement/cases/{case.pk}/documents"
    refused = client.post(url, {"kind": "penalty_decision"}, content_type="application/json", **auth)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "transition_not_allowed"
    bad = client.post(url, {"kind": "inquiry", "inputs": {"place": "所里"}}, content_type="application/json", **auth)
    assert bad.status_code == 422


def test_other_district_gets_404(client, district_officer, other_district_officer):
    case = make_case(officers=[district_officer])
    make_penalty(case)
    mine = client.post(f"/api/v1/enforcement/cases/{case.pk}/documents", {"kind": "prior_notice"},
                       content_type="application/json", **_token(district_officer)).json()
    other = _token(other_district_officer)
    assert client.get(f"/api/v1/enforcement/cases/{case.pk}/documents", **other).status_code == 404
    assert client.get(mine["pdf_url"], **other).status_code == 404
    assert client.post(f"/api/v1/enforcement/cases/{case.pk}/documents", {"kind": "prior_notice"},
                       content_type="application/json", **other).status_code == 404
