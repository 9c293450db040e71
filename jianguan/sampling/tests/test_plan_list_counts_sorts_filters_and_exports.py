"""The list of supervision sampling plans (#15, every list on core.lists): the total, the latest year first, sorting on
its columns in a stable order, the filters (year, status, search), the export of exactly the filtered rows with the
columns shown, audited, and a number of queries that does not grow with the plans."""

import pytest

from jianguan.core.models import AuditEntry
from jianguan.core.tests.xlsx import rows
from jianguan.sampling import services

from .factories import drawn_plan, standard, supervisor

pytestmark = pytest.mark.django_db
URL = "/workbench/sampling/"


def draft(actor, code, year, title="口罩监督抽查"):
    std = standard()
    return services.plan_create(actor=actor, sector="product", year=year, code=code, title=title,
                                category=std.category, standard=std, unit=actor.profile.unit, quotas={"410402": 1})


def codes(body: str, wanted) -> list[str]:
    return sorted((c for c in wanted if c in body), key=body.index)


def test_the_plan_list_counts_sorts_filters_and_exports(org, login):
    user = supervisor()
    drawn = drawn_plan(user, code="ZLCC-2026-B")
    draft(user, "ZLCC-2026-A", 2026)
    draft(user, "ZLCC-2025-C", 2025, title="儿童服装监督抽查")
    all_codes = ["ZLCC-2026-A", "ZLCC-2026-B", "ZLCC-2025-C"]
    client = login(user)
    body = client.get(URL).content.decode()
    assert 'data-testid="list-total">3<' in body and "最近年度的在前" in body
    assert codes(body, all_codes) == all_codes
    body = client.get(URL, {"sort": "-n"}).content.decode()
    assert codes(body, all_codes)[0] == drawn.code  # the drawn plan has samples
    assert codes(client.get(URL, {"sort": "year"}).content.decode(), all_codes) == \
        ["ZLCC-2025-C", "ZLCC-2026-A", "ZLCC-2026-B"]
    assert 'data-testid="list-problem"' in client.get(URL, {"sort": "beacon"}).content.decode()
    assert codes(client.get(URL, {"year": "2025"}).content.decode(), all_codes) == ["ZLCC-2025-C"]
    assert codes(client.get(URL, {"status": "drawn"}).content.decode(), all_codes) == [drawn.code]
    assert codes(client.get(URL, {"q": "儿童"}).content.decode(), all_codes) == ["ZLCC-2025-C"]
    got = rows(client.get(URL, {"export": "xlsx", "year": "2026"}))
    assert got[0] == ("计划编号", "名称", "年度", "领域", "产品类别", "标准", "状态", "样品", "已出结论", "不合格")
    assert [r[0] for r in got[1:]] == ["ZLCC-2026-A", "ZLCC-2026-B"]
    assert got[2][3] != "product" and got[2][6] == "已抽取" and got[2][7] == drawn.samples.count()
    assert AuditEntry.objects.filter(action="list.exported", object_id="sampling.plans").exists()


def test_the_queries_do_not_grow_with_the_plans(org, login, django_assert_max_num_queries):
    user = supervisor()
    draft(user, "ZLCC-Q-1", 2026)
    client = login(user)
    client.get(URL)
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    for n in range(2, 8):
        draft(user, f"ZLCC-Q-{n}", 2026)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert 'data-testid="list-total">7<' in client.get(URL).content.decode()
