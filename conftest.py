"""Fixtures every app's tests share: the Pingdingshan organisation and named personas, one per permission boundary."""

from __future__ import annotations

import pytest

from jianguan.core.tests.factories import PASSWORD, staff


@pytest.fixture(autouse=True)
def _clear_caches():
    from django.core.cache import cache

    from jianguan.core import calendar

    cache.clear()
    calendar.invalidate()
    yield
    cache.clear()
    calendar.invalidate()


# Data migrations: a transactional test ends with a flush of every table, which takes their rows with it (Django
# re-runs post_migrate after a flush, so groups and permissions come back, but not these). Each is idempotent.
_DATA_MIGRATIONS = (
    ("jianguan.registry.migrations.0002_reference_data", "load"),
    ("jianguan.startup.migrations.0002_name_rules", "load"),
    ("jianguan.enforcement.migrations.0003_campaigns", "seed"),
    ("jianguan.ip.migrations.0002_double_random_objects", "seed"),
    ("jianguan.quality.migrations.0002_double_random_objects", "seed"),
    ("jianguan.drugs.migrations.0002_campaign_items", "seed"),
    ("jianguan.prices.migrations.0002_reference_data", "seed"),
)


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Before a transactional test (browser tests, the demo), put back the reference data an earlier transactional
    test's flush removed, so such a test sees what a migrated database has whatever ran before it on its worker."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction"))
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    for module, function in _DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _audit_anchor_file(settings, tmp_path):
    """Each test writes audit anchors (``jianguan sweep``) to its own file, never to the shared var/ one."""
    settings.JIANGUAN_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"


@pytest.fixture
def org(db):
    """The city bureau, its departments, the ten district bureaus and their stations, and the role groups."""
    from jianguan.core.demo import build_org
    from jianguan.core.roles import sync_roles

    sync_roles()
    return build_org()


@pytest.fixture
def station_inspector(org):
    """An inspector of the 西高皇 station in 新华区."""
    return staff("station_inspector", "41040201", ["inspector"], name="西高皇所检查员")


@pytest.fixture
def district_officer(org):
    """A case officer of the 新华区 bureau: sees the district and its stations."""
    return staff("district_officer", "410402", ["case_officer", "inspector"], name="新华区执法员")


@pytest.fixture
def other_district_officer(org):
    """A case officer of the 卫东区 bureau: must see nothing of 新华区."""
    return staff("other_officer", "410403", ["case_officer", "inspector"], name="卫东区执法员")


@pytest.fixture
def city_leader(org):
    return staff("city_leader", "410400", ["bureau_leader"], name="局领导")


@pytest.fixture
def sysadmin(org):
    user = staff("sysadmin_t", "410400BG", ["system_admin"], credential=False, name="系统管理员")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def auditadmin(org):
    return staff("auditadmin_t", "410400BG", ["audit_admin"], credential=False, name="审计员")


@pytest.fixture
def secadmin(org):
    return staff("secadmin_t", "410400BG", ["security_admin"], credential=False, name="安全员")


@pytest.fixture
def login(client):
    """login(user) → the test client logged in as ``user``."""

    def _login(user):
        from jianguan.core.twofactor import otp_required, verify_session_for_tests

        client.force_login(user)
        if otp_required(user):  # an administrator: as if the second factor had been entered too
            verify_session_for_tests(client, user)
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD
