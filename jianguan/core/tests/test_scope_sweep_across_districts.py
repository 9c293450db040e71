"""The scope sweep an assessor runs (#14): every object URL of the workbench and every staff API item endpoint,
requested for the objects of one district (新华区) as every business persona of another (卫东区) → 0 leaks.

Built from the URL configuration and the OpenAPI schema, so a page or endpoint added later is swept too: every
``<int:…>`` / ``{…}`` parameter is filled with the keys of the objects made here (factories, not the demo) and every
``uscc``/``code``/``number`` parameter with theirs. A control persona at the city bureau, holding every business role,
first finds which of those URLs show an object (200); each persona of the other district must then get none of them.
"""

from __future__ import annotations

import itertools
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from jianguan.core.roles import ADMIN_ROLES, ROLE_BY_CODE
from jianguan.core.tests.factories import staff

pytestmark = pytest.mark.django_db

DISTRICT_A, DISTRICT_B = "410402", "410403"
#: Objects of the whole city (no district owns them), by route prefix: every district may read them (and their
#: managers correct them), so an answer there is not a leak. Each is documented so in its selector.
CITY_WIDE: dict[str, str] = {
    "/workbench/ip/gi_products/": "地理标志产品 are the city's (ip.selectors.gi_products_for)",
    "/api/v1/ip/gi_products/": "the same, in the API",
    "/workbench/quality/parks/": "园区 are the city's list of parks (quality.selectors.parks_for)",
    "/api/v1/quality/parks/": "the same, in the API",
    "/workbench/standards/local/": "地方标准 are the city's work (standards.selectors.local_standards_for)",
    "/api/v1/standards/local/": "the same, in the API",
    "/workbench/standards/pilots/": "标准化试点 are the city's work (standards.selectors.pilots_for)",
    "/api/v1/standards/pilots/": "the same, in the API",
    "/workbench/inspections/items/": "the inspection-item catalogue (抽查事项清单) is the city's reference list",
}
#: URL parameters filled from fixed values rather than from the objects.
LITERALS = {"fmt": ["pdf", "docx"]}
#: Apps whose rows are reference data or accounts, not supervised objects.
NOT_OBJECTS = {"auth", "contenttypes", "sessions", "admin", "otp_totp", "otp_static", "django_otp", "captcha"}


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p, route)
        elif isinstance(p, URLPattern) and "<" in route and not route.startswith("^"):
            yield "/" + route


def workbench_object_routes() -> list[str]:
    return sorted({r for r in _routes() if r.startswith("/workbench/")})


def api_item_routes() -> list[str]:
    from jianguan.api.urls import api

    schema = api.get_openapi_schema()
    return sorted(p for p, ops in schema["paths"].items()
                  if "{" in p and "get" in ops and ops["get"].get("security"))


def _rows() -> dict[str, dict[str, set]]:
    """app label → {"int": pks, "uscc"/"code"/"number": values} of every supervised object table."""
    out: dict[str, dict[str, set]] = {}
    for model in apps.get_models():
        label = model._meta.app_label
        if label in NOT_OBJECTS or label == "core":
            continue
        fields = {f.name for f in model._meta.concrete_fields}
        bucket = out.setdefault(label, {"int": set(), "uscc": set(), "code": set(), "number": set()})
        for row in model.objects.values(*({"pk"} | (fields & {"uscc", "code", "number"}))):
            if isinstance(row["pk"], int):
                bucket["int"].add(row["pk"])
            for name in ("uscc", "code", "number"):
                if row.get(name):
                    bucket[name].add(str(row[name]))
    return out


@pytest.fixture
def district_a(org, monkeypatch, settings, tmp_path):
    """One object of each kind in 新华区: 21 register rows, a lead and a case, a complaint, an inspection plan with
    its drawn tasks, a credit annual report, a special-equipment device. Returns the URL parameter values of what
    was made, by app (the rows that existed before — reference data — are left out)."""
    from jianguan.core.tests import test_register_rows_are_corrected_and_withdrawn as reg
    from jianguan.monitoring import capture
    from jianguan.monitoring import services as monitoring_services

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(monitoring_services, "_fetch", lambda url: capture.Capture(
        ok=True, final_url=url, http_status=200, title="店铺", html=b"<html>shop</html>", screenshot=b"\x89PNG"))
    from jianguan.complaints.tests import factories as cf
    from jianguan.credit.tests import factories as crf
    from jianguan.enforcement.tests import factories as ef
    from jianguan.equipment.tests import factories as eqf
    from jianguan.inspections.tests import factories as inf
    from jianguan.registry.tests.factories import EntityFactory, retail

    retail()
    inf.item()
    before = _rows()
    clerk = staff("sweep_clerk", DISTRICT_A, ["ip_officer", "quality_officer", "certification_supervisor",
                                              "standards_officer", "online_monitor", "food_supervisor"],
                  credential=False, name="新华区台账员")
    for label in sorted(reg.BUILDERS):
        reg._row(label, clerk)
    firm = EntityFactory()
    officer = ef.officer("sweep_officer")
    ef.filed_case(actor=officer, officers=[officer, ef.officer("sweep_officer2")])
    cf.complaint(entity=firm)
    crf.report(firm, 2025)
    eqf.lift(actor=staff("sweep_tz", "41040201", ["equipment_supervisor", "inspector"]), entity=firm)
    head = inf.head("sweep_head")
    inf.entities(3)
    for n in range(2):
        inf.inspector(f"sweep_insp{n}")
    inf.batch(head, inf.plan(head), step="published")
    after = _rows()
    made = {label: {k: sorted(v - before.get(label, {}).get(k, set()), key=str)[:10] for k, v in bucket.items()}
            for label, bucket in after.items()}
    return {label: bucket for label, bucket in made.items() if any(bucket.values())}


def _values_for(route: str, made) -> dict[str, list[str]]:
    """Parameter values for ``route``: those of its own app's objects (the app is the first path segment), or of
    every app for a route outside one."""
    segment = route.strip("/").split("/")[2 if route.startswith("/api/") else 1]
    buckets = [made[segment]] if segment in made else list(made.values())
    values: dict[str, list[str]] = {}
    for name in ("int", "uscc", "code", "number"):
        values[name] = sorted({str(v) for b in buckets for v in b[name]}, key=lambda x: (len(x), x))
    values["task_code"] = values["code"]
    return values


def _fill(route: str, made) -> tuple[list[str], str | None]:
    """Every URL of ``route`` with its parameters filled (at most 40), or ([], the parameter without values)."""
    values = _values_for(route, made)
    params = re.findall(r"<(?:(\w+):)?(\w+)>|\{(\w+)\}", route)
    choices = []
    for conv, name, brace in params:
        name = name or brace
        if conv == "int" or name in ("pk", "row_id", "case_id", "device_id", "case_pk", "id"):
            options = values["int"]
        elif name in LITERALS:
            options = LITERALS[name]
        elif values.get(name):
            options = values[name]
        else:
            return [], name
        choices.append(options)
    urls = []
    for combo in itertools.islice(itertools.product(*choices), 40):
        it = iter(combo)
        urls.append(re.sub(r"<(?:\w+:)?\w+>|\{\w+\}", lambda m: next(it), route))
    return urls, None


def _personas():
    roles = sorted(code for code in ROLE_BY_CODE if code not in ADMIN_ROLES)
    control = staff("sweep_city_all", "410400", roles, name="全市全角色对照")
    others = [staff(f"sweep_b_{code}"[:30], DISTRICT_B, [code], name=f"卫东区{code}") for code in roles]
    return control, others


def _sweep(client_for, routes, made):
    """The control finds, per route, the URLs that show an object; every persona of the other district then asks
    for each of them."""
    control, others = _personas()
    c = client_for(control)
    visible, unfilled = [], {}
    for route in routes:
        urls, missing = _fill(route, made)
        if missing:
            unfilled[route] = missing
        for url in urls:
            if c.get(url).status_code == 200:
                visible.append((route, url))
    leaks = []
    for persona in others:
        pc = client_for(persona)
        for route, url in visible:
            if route.startswith(tuple(CITY_WIDE)):
                continue
            if pc.get(url).status_code == 200:
                leaks.append((persona.username, url))
    return visible, unfilled, leaks, len(others)


@pytest.fixture
def client_for(django_user_model):
    from django.test import Client

    from jianguan.core.twofactor import otp_required, verify_session_for_tests

    def _client(user):
        c = Client()
        c.force_login(user)
        if otp_required(user):
            verify_session_for_tests(c, user)
        return c

    return _client


def test_no_object_of_one_district_opens_for_another_district(district_a, client_for):
    """Workbench object pages and staff API items in one sweep (one set of objects, one set of personas)."""
    routes = workbench_object_routes() + api_item_routes()
    visible, unfilled, leaks, personas = _sweep(client_for, routes, district_a)
    import os

    if os.environ.get("SWEEP_DEBUG"):
        print("MADE", {k: {n: len(v) for n, v in b.items()} for k, b in district_a.items()})
        print("VISIBLE", len(visible), sorted({r for r, _ in visible}))
        print("UNFILLED", unfilled)
        print("LEAKS", leaks)
    assert personas >= 15
    seen = {r for r, _ in visible}
    # the objects made above are found at a good share of the pages and endpoints (else the sweep sweeps nothing)
    assert len([r for r in seen if r.startswith("/workbench/")]) >= 40, sorted(seen)
    assert len([r for r in seen if r.startswith("/api/")]) >= 15, sorted(seen)
    assert leaks == []
