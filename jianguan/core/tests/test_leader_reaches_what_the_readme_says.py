"""The README says the leader (局长, role bureau_leader) reads every unit's business records and the org tree, but
not system administration, personal data or the audit log (#15: the leader got 403 on the start-up statistics, the
org tree and the entity export while the README promised them). Each promise is a request here."""

import pytest

pytestmark = pytest.mark.django_db

READS = ["/workbench/startup/stats/", "/workbench/org/", "/workbench/registry/export/",
         "/workbench/registry/", "/workbench/enforcement/cases/", "/workbench/dashboard/"]
NOT_HIS = ["/workbench/staff/", "/workbench/audit/", "/workbench/security/", "/workbench/calendar/"]


def test_the_leader_opens_what_the_readme_promises(org, login, city_leader):
    readme = (__import__("pathlib").Path(__file__).resolve().parents[3] / "README.md").read_text()
    row = next(line for line in readme.splitlines() if line.startswith("| `leader` |"))
    assert "the org tree" in row and "not system administration" in row and "audit log" in row
    client = login(city_leader)
    answers = {url: client.get(url).status_code for url in READS}
    assert answers == dict.fromkeys(READS, 200)
    refused = {url: client.get(url).status_code for url in NOT_HIS}
    assert refused == dict.fromkeys(NOT_HIS, 403)
