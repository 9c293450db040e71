"""No workbench page or staff API endpoint answers on scope alone (#14 finding 2, "audit every view and endpoint"):
a staff account that holds nothing but the right to enter the workbench gets a refusal from every page and endpoint
that shows business data. The sweep walks the URL configuration and the OpenAPI schema, so a page added later is
checked too."""


import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from jianguan.core.tests.factories import staff

pytestmark = pytest.mark.django_db

#: What the workbench shows anyone allowed in: the shell, their own account, and the org tree of their scope.
OPEN_PAGES = {"/workbench/", "/workbench/password/", "/workbench/tokens/", "/workbench/2fa/", "/workbench/login/",
              "/workbench/logout/",
              # a person's own lists: the inspection tasks of teams they are on, the notices addressed to them
              "/workbench/inspections/tasks/", "/workbench/workplan/notices/",
              # and the in-app notifications (the bell) addressed to them
              "/workbench/notifications/", "/workbench/notifications/badge/"}
OPEN_API = {"/api/v1/me", "/api/v1/units"}


def _paths(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        pattern = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _paths(p, pattern)
        elif isinstance(p, URLPattern) and "<" not in pattern and not pattern.startswith("^"):
            yield "/" + pattern


@pytest.fixture
def bare(org):
    """A member of staff with no role: a login that may enter the workbench and nothing else."""
    from django.contrib.auth.models import Permission

    user = staff("bare_t", "410400", [], name="无角色人员")
    user.user_permissions.add(Permission.objects.get(codename="access_workbench"))
    return user


def test_every_workbench_page_refuses_a_login_without_a_role(login, bare):
    c = login(bare)
    pages = sorted(p for p in set(_paths()) if p.startswith("/workbench/") and p not in OPEN_PAGES)
    assert len(pages) > 30
    answered = {p: c.get(p).status_code for p in pages}
    leaks = {p: code for p, code in answered.items() if code == 200}
    assert leaks == {}


def test_every_staff_api_list_refuses_a_login_without_a_role(login, bare):
    from jianguan.api.urls import api

    c = login(bare)
    schema = api.get_openapi_schema()
    paths = [p for p, ops in schema["paths"].items() if "get" in ops and "{" not in p
             and ops["get"].get("security")]  # staff endpoints: those with a security requirement
    assert len(paths) > 10
    leaks = {}
    for p in paths:
        if p in OPEN_API:
            continue
        r = c.get(p)
        if r.status_code == 200 and r.json() not in ([], {"items": [], "next_before": None}):
            leaks[p] = r.content[:200]
    assert leaks == {}
