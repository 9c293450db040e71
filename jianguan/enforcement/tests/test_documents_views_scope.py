"""Issuing and downloading from the workbench: permission-checked, and a 404 outside the user's scope."""

from __future__ import annotations

import io

import docx
from django.urls import reverse

from jianguan.enforcement import documents

from .docfixtures import make_case, make_penalty


def _doc(officer):
    case = make_case(officers=[officer])
    make_penalty(case)
    return documents.document_issue(case=case, kind="prior_notice", actor=officer)


def test_officer_issues_from_the_workbench_and_downloads_both_formats(login, district_officer):
    case = make_case(officers=[district_officer])
    make_penalty(case)
    client = login(district_officer)
    url = reverse("enforcement_documents:issue", args=[case.pk, "service_receipt"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"served_document": "行政处罚决定书", "method": "直接送达"})
    assert response.status_code == 302
    doc = case.documents.get()
    listing = client.get(reverse("enforcement_documents:list", args=[case.pk]))
    assert doc.number in listing.content.decode()
    word = client.get(reverse("enforcement_documents:download", args=[doc.pk, "docx"]))
    assert word.status_code == 200
    assert doc.number in "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    pdf = client.get(reverse("enforcement_documents:download", args=[doc.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_other_district_gets_404_for_case_and_document(login, district_officer, other_district_officer):
    doc = _doc(district_officer)
    client = login(other_district_officer)
    assert client.get(reverse("enforcement_documents:download", args=[doc.pk, "pdf"])).status_code == 404
    assert client.get(reverse("enforcement_documents:list", args=[doc.case_id])).status_code == 404
    assert client.post(reverse("enforcement_documents:issue", args=[doc.case_id, "prior_notice"])).status_code == 404


def test_city_leader_may_download_but_not_issue(login, district_officer, city_leader):
    doc = _doc(district_officer)
    client = login(city_leader)
    assert client.get(reverse("enforcement_documents:download", args=[doc.pk, "docx"])).status_code == 200
    assert client.get(reverse("enforcement_documents:issue", args=[doc.case_id, "inquiry"])).status_code == 403


def test_station_inspector_without_permission_is_refused(login, district_officer, station_inspector):
    doc = _doc(district_officer)
    assert login(station_inspector).get(
        reverse("enforcement_documents:download", args=[doc.pk, "docx"])).status_code == 403


def test_downloading_a_natural_persons_document_is_a_logged_read(login, district_officer):
    """A document carries a natural person's ID number and address in full: its download (page or API) is a logged
    read of them, once an hour per reader and document; an organisation's document is not personal data (#14)."""
    from jianguan.core.models import AuditEntry

    person = make_case(officers=[district_officer], entity=None, party_name="张某", party_kind="individual",
                       party_id_no="41040219900101123X", party_address="平顶山市新华区某小区5号楼")
    make_penalty(person)
    doc = documents.document_issue(case=person, kind="prior_notice", actor=district_officer)
    client = login(district_officer)
    for fmt in ("docx", "pdf", "docx"):
        assert client.get(reverse("enforcement_documents:download", args=[doc.pk, fmt])).status_code == 200
    reads = AuditEntry.objects.filter(action="core.personal_data.viewed", actor=district_officer)
    [entry] = reads
    assert entry.object_type == "enforcement.document" and entry.object_id == str(doc.pk)
    assert entry.changes["fields"][1] == ["party_address", "party_id_no"]
    firm = _doc(district_officer)
    assert firm.case.party_kind == "organisation"
    assert client.get(reverse("enforcement_documents:download", args=[firm.pk, "docx"])).status_code == 200
    assert reads.count() == 1
