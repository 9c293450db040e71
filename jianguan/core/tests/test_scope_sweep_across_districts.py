"""The scope sweep an assessor runs (#14): every object URL of the workbench and every staff API item endpoint,
requested for the objects of one district (新华区) as every business persona of another (卫东区) → 0 leaks.

Built from the URL configuration and the OpenAPI schema, so a page or endpoint added later is swept too: every
``<int:…>`` / ``{…}`` parameter is filled with the keys of the objects made here (factories, not the demo), every
``uscc``/``code``/``number``/``token`` parameter with theirs, and the parameters that name an operation
(``<str:action>``, ``<str:kind>``, ``<str:decision>``, ``<str:step>``) with the values the view accepts (``OPERATIONS``,
read from the views' own tables where they have one). A route with a parameter the sweep cannot fill fails the test
unless it is a named exception (``NOT_OBJECT_KEYS``).

A control persona at the city bureau, holding every business role, first finds per route one URL that reaches an
object: a page or item that answers 200, or — for the POST-only operations — a POST that gets past the scope check
(anything but 403/404), made inside a savepoint that is rolled back so nothing changes. Each persona of the other
district then requests that URL (the same method) and must get no page (GET: not 200) and no write (POST: 403 or
404, no audit entry). One URL per route pattern: every route is swept, each with one object.
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
#: Routes whose string parameter is not the key of a supervised object, with the reason they are not swept here.
NOT_OBJECT_KEYS: dict[str, str] = {
    "/workbench/registry/import/reports/<str:token>/": "the problem report of the user's own import: its token is "
    "kept in that user's session, so no other login can name it (registry/tests/test_import_views.py)",
}


def operations() -> dict[str, list[str]]:
    """Route → the values its operation parameter accepts (the views' own tables where they have one)."""
    from jianguan.complaints import views as complaints_views
    from jianguan.enforcement import views as enforcement_views
    from jianguan.enforcement.doclayout import KINDS
    from jianguan.equipment import views as equipment_views
    from jianguan.startup import views as startup_views

    return {
        "/workbench/complaints/<str:number>/<str:action>/": list(complaints_views.ACTIONS),
        "/workbench/enforcement/leads/<int:pk>/<str:action>/": list(enforcement_views.LEAD_ACTIONS),
        "/workbench/enforcement/cases/<int:pk>/act/<str:action>/": list(enforcement_views.CASE_ACTIONS),
        "/workbench/enforcement/cases/<int:case_pk>/documents/<str:kind>/": list(KINDS),
        "/workbench/enforcement/publications/<int:pk>/<str:action>/": ["publish", "end", "push", "push_extend"],
        "/workbench/equipment/<int:pk>/<str:action>/": list(equipment_views.ACTIONS),
        "/workbench/equipment/hazards/<int:pk>/<str:action>/": ["rectified", "verify"],
        "/workbench/inspections/batches/<int:pk>/<str:kind>.json": ["manifest", "bundle"],
        "/workbench/inspections/proposals/<int:pk>/<str:decision>/": ["accept", "reject"],
        "/workbench/ip/cases/<int:pk>/identification/<str:action>/": ["start", "end"],
        "/workbench/monitoring/fees/findings/<int:pk>/<str:action>/": ["order", "confirm"],
        "/workbench/monitoring/findings/<int:pk>/file/<str:kind>/": ["png", "html"],
        "/workbench/monitoring/rounds/<int:pk>/<str:step>/": ["freeze", "draw", "capture"],
        "/workbench/sampling/<str:code>/<str:action>/": ["freeze", "draw", "publish"],
        "/workbench/sampling/samples/<int:pk>/<str:action>/": [
            "record", "custody", "result", "retest", "served", "objection", "rectified", "resample", "lead", "close"],
        "/workbench/startup/applications/<int:pk>/<str:action>/": list(startup_views.ACTIONS),
    }
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


KEYS = ("uscc", "code", "number", "token")


def _rows() -> dict[str, dict[str, set]]:
    """app label → {"int": pks, "uscc"/"code"/"number"/"token": values} of every supervised object table."""
    out: dict[str, dict[str, set]] = {}
    for model in apps.get_models():
        label = model._meta.app_label
        if label in NOT_OBJECTS or label == "core":
            continue
        fields = {f.name for f in model._meta.concrete_fields}
        bucket = out.setdefault(label, {"int": set(), **{name: set() for name in KEYS}})
        for row in model.objects.values(*({"pk"} | (fields & set(KEYS)))):
            if isinstance(row["pk"], int):
                bucket["int"].add(row["pk"])
                bucket.setdefault(f"int:{model._meta.model_name}", set()).add(row["pk"])
            for name in KEYS:
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
    cf.complaint(entity=firm, uploads=[cf.upload("photo.png", cf.PNG)])  # an evidence file: the <token> route
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
    return {label: {k: v for k, v in bucket.items() if v or ":" not in k}
            for label, bucket in made.items() if any(bucket.values())}


def _values_for(route: str, made) -> dict[str, list[str]]:
    """Parameter values for ``route``: those of its own app's objects (the app is the first path segment), or of
    every app for a route outside one or a key its app does not hold (the credit pages are keyed by the USCC of a
    registry entity)."""
    segment = route.strip("/").split("/")[2 if route.startswith("/api/") else 1]
    everything = list(made.values())
    values: dict[str, list[str]] = {}
    for name in ("int", *KEYS):
        own = {str(v) for v in made.get(segment, {}).get(name, ())}
        found = own or {str(v) for b in everything for v in b[name]}
        values[name] = sorted(found, key=lambda x: (len(x), x))
    values["task_code"] = values["code"]
    return values


def _singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word


def _int_options(route: str, name: str, made, options: list[str]) -> list[str]:
    """``options`` with the keys of the model the route names first: the model whose name ends with the path segment
    before the parameter (``…/cases/<int:pk>/`` → Case) or the parameter's own prefix (``case_pk`` → Case).
    Primary keys differ between tables once sequences are not reset (PostgreSQL keeps them across the rolled-back
    transactions of earlier tests), so the union of an app's keys does not reach its object within ``MAX_URLS``."""
    segment = route.strip("/").split("/")[2 if route.startswith("/api/") else 1]
    before = re.split(r"<[^>]*>|\{[^}]*\}", route.split(f"<int:{name}>")[0].split(f"{{{name}}}")[0])[-1]
    words = [w for w in re.split(r"[/_.-]", before) if w] + ([name[:-3]] if name.endswith(("_pk", "_id")) else [])
    wanted = [_singular(w).lower() for w in reversed(words)]
    models = {k[4:]: v for bucket in [made.get(segment, {})] for k, v in bucket.items() if k.startswith("int:")}
    first: list[str] = []
    for word in wanted:
        for model_name, pks in models.items():
            if model_name.endswith(word.replace("-", "")):
                first += [str(pk) for pk in pks if str(pk) not in first]
        if first:
            break
    return first + [v for v in options if v not in first]


#: URLs tried per route before it counts as not reached (an object is found at the first or second URL of almost
#: every route; the rest have no object of their kind among those made here).
MAX_URLS = 12
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\{(\w+)\}")


def _fill(route: str, made, ops: dict[str, list[str]]) -> tuple[list[str], str | None]:
    """The URLs of ``route`` with its parameters filled (at most ``MAX_URLS``), or ([], the parameter without
    values)."""
    values = _values_for(route, made)
    choices = []
    for conv, name, brace in PARAM.findall(route):
        name = name or brace
        if conv == "int" or name in ("pk", "row_id", "case_id", "device_id", "case_pk", "id"):
            options = _int_options(route, name, made, values["int"])
        elif name in LITERALS:
            options = LITERALS[name]
        elif route in ops and name in ("action", "kind", "decision", "step"):
            options = ops[route]
        elif values.get(name):
            options = values[name]
        else:
            return [], name
        choices.append(options)
    urls = []
    for combo in itertools.islice(itertools.product(*choices), MAX_URLS):
        parts = iter(combo)
        urls.append(PARAM.sub(lambda _m, parts=parts: next(parts), route))
    return urls, None


def _personas():
    roles = sorted(code for code in ROLE_BY_CODE if code not in ADMIN_ROLES)
    control = staff("sweep_city_all", "410400", roles, name="全市全角色对照")
    others = [staff(f"sweep_b_{code}"[:30], DISTRICT_B, [code], name=f"卫东区{code}") for code in roles]
    return control, others


def _post_rolled_back(client, url):
    """POST ``url`` inside a savepoint that is rolled back: (status, audit entries written)."""
    from django.db import transaction

    from jianguan.core.models import AuditEntry

    with transaction.atomic():
        before = AuditEntry.objects.count()
        status = client.post(url).status_code
        written = AuditEntry.objects.count() - before
        transaction.set_rollback(True)
    return status, written


def _sweep(client_for, routes, made):
    """The control finds one URL per route that reaches an object; every persona of the other district then asks
    for each of them with the same method."""
    control, others = _personas()
    ops = operations()
    c = client_for(control)
    visible, unfilled = [], {}
    for route in routes:
        urls, missing = _fill(route, made, ops)
        if missing:
            unfilled[route] = missing
        for url in urls:
            status = c.get(url).status_code
            if status == 200:
                visible.append((route, url, "GET"))
                break
            # a POST-only route (405, or 404 to any GET for a few operations): reached when the POST gets past the
            # scope and permission checks
            if (status == 405 or (status == 404 and route in ops)) and \
                    _post_rolled_back(c, url)[0] not in (403, 404, 405):
                visible.append((route, url, "POST"))
                break
    leaks = []
    for persona in others:
        pc = client_for(persona)
        for route, url, method in visible:
            if route.startswith(tuple(CITY_WIDE)):
                continue
            if method == "GET":
                if pc.get(url).status_code == 200:
                    leaks.append((persona.username, "GET", url))
            else:
                status, written = _post_rolled_back(pc, url)
                if status not in (403, 404) or written:
                    leaks.append((persona.username, f"POST {status} ({written} written)", url))
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


@pytest.fixture
def plain_error_pages(monkeypatch):
    """403 and 404 answered without their page: the sweep reads only the status, and the pages (the workbench shell
    with the persona's menu, tested in core/tests/test_workbench.py) were two thirds of its time."""
    from django.http import HttpResponse

    monkeypatch.setattr("jianguan.urls.handler403", lambda request, exception=None: HttpResponse(status=403))
    monkeypatch.setattr("jianguan.urls.handler404", lambda request, exception=None: HttpResponse(status=404))


def test_no_object_of_one_district_opens_for_another_district(district_a, client_for, plain_error_pages):
    """Workbench object pages, their operations and staff API items in one sweep (one set of objects, one set of
    personas)."""
    routes = workbench_object_routes() + api_item_routes()
    visible, unfilled, leaks, personas = _sweep(client_for, routes, district_a)
    assert personas >= 15
    # every parameter is filled, except the named exceptions (a new kind of parameter must be added to the sweep)
    assert set(unfilled) <= set(NOT_OBJECT_KEYS), {r: p for r, p in unfilled.items() if r not in NOT_OBJECT_KEYS}
    seen = {r for r, _u, _m in visible}
    # the objects made above are found at a good share of the pages and endpoints (else the sweep sweeps nothing)
    assert len([r for r in seen if r.startswith("/workbench/")]) >= 40, sorted(seen)
    assert len([r for r in seen if r.startswith("/api/")]) >= 15, sorted(seen)
    # the routes this sweep did not fill before: operations, documents by kind, evidence by token, credit by USCC
    assert {"/workbench/complaints/<str:number>/evidence/<str:token>/",
            "/workbench/complaints/<str:number>/<str:action>/",
            "/workbench/enforcement/cases/<int:pk>/act/<str:action>/",
            "/workbench/enforcement/cases/<int:case_pk>/documents/<str:kind>/",
            "/workbench/credit/entities/<str:uscc>/", "/api/v1/credit/entities/{uscc}/record"} <= seen, sorted(seen)
    assert leaks == []
