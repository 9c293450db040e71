"""The public credit lookup: how many were found, a hint when a code is malformed, the printable credit report (a
real PDF, with nothing private in it) and the 一照通行 page of every licence."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from jianguan.core.models import OrgUnit
from jianguan.registry.tests.factories import EntityFactory

from .conftest import SECRETS

pytestmark = pytest.mark.django_db


def test_the_results_are_counted(client, org, monkeypatch):
    unit = OrgUnit.objects.get(code="41040201")
    for i in range(3):
        EntityFactory(unit=unit, name=f"平顶山市青松{i}商贸有限公司")
    EntityFactory(unit=unit, name="平顶山市白鹭科技有限公司")
    body = client.get("/search/", {"q": "青松"}).content.decode()
    assert "共 3 户" in body
    monkeypatch.setattr("jianguan.portal.views.SEARCH_COUNT_CAP", 2)
    assert "超过 2 户，请输入更完整的名称" in client.get("/search/", {"q": "青松"}).content.decode()


@pytest.mark.parametrize(("q", "hint"), [
    ("91410402MA9ABCDE1", "长度应为18位，实为17位"),
    ("91410402MA00000000", "第9–17位组织机构代码校验码"),
    ("410402000012345", "15位的原工商注册号"),
])
def test_a_malformed_code_gets_a_hint(client, org, q, hint):
    body = client.get("/search/", {"q": q}).content.decode()
    assert 'data-testid="code-hint"' in body and hint in body


def test_a_name_gets_no_code_hint(client, org):
    assert 'data-testid="code-hint"' not in client.get("/search/", {"q": "青松商贸"}).content.decode()


def test_the_credit_report_is_a_pdf_of_the_public_record_only(world, client, tmp_path):
    company = world["company"]
    response = client.get(f"/entities/{company.uscc}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and b"%%EOF" in response.content[-1024:]
    assert f'filename="credit-report-{company.uscc}.pdf"' in response["Content-Disposition"]
    if shutil.which("pdftotext") is None:  # installed by .ci/run (poppler-utils)
        pytest.skip("pdftotext not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    for expected in ("企业信用信息公示报告", company.name, company.uscc, "JY14104020012345", "双随机抽查结果"):
        assert expected in text.replace(" ", ""), expected
    for secret in SECRETS.values():
        assert secret not in text


def test_the_licences_page_lists_every_licence_and_nothing_private(world, client):
    company = world["company"]
    body = client.get(f"/entities/{company.uscc}/licences/").content.decode()
    assert "一照通行" in body and "JY14104020012345" in body and "有效许可 1 项" in body
    for secret in SECRETS.values():
        assert secret not in body
