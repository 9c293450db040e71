"""The separation of the three administrators is enforced, not a convention (#14 finding 3): each refusal below
is one an assessor tries — at the workbench, in /admin/, in the services and at the model."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from jianguan.core import services
from jianguan.core.errors import DomainError
from jianguan.core.models import OrgUnit

pytestmark = pytest.mark.django_db

STRONG = "Strong-Pass-2026!"


def _new_staff(client, **over):
    data = {"username": "newbie", "full_name": "新同事", "staff_code": "N-0001",
            "unit": OrgUnit.objects.get(code="410402").pk, "roles": ["inspector"], "password": STRONG}
    data.update(over)
    return client.post("/workbench/staff/new/", data)


def test_sysadmin_cannot_add_itself_to_a_business_role_in_admin(login, sysadmin):
    c = login(sysadmin)
    url = f"/admin/auth/user/{sysadmin.pk}/change/"
    leader = Group.objects.get(name="bureau_leader")
    c.post(url, {"username": sysadmin.username, "first_name": "x", "is_active": "on", "is_staff": "on",
                 "groups": [leader.pk, Group.objects.get(name="system_admin").pk],
                 "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    assert sorted(sysadmin.groups.values_list("name", flat=True)) == ["system_admin"]
    assert login(sysadmin).get("/workbench/enforcement/cases/").status_code == 403


def test_admin_refuses_an_administrator_with_a_business_role_for_someone_else(login, sysadmin, auditadmin):
    c = login(sysadmin)
    r = c.post(f"/admin/auth/user/{auditadmin.pk}/change/", {
        "username": auditadmin.username, "first_name": "审计员", "is_active": "on",
        "groups": [Group.objects.get(name="audit_admin").pk, Group.objects.get(name="bureau_leader").pk],
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    assert r.status_code == 200 and "不能同时担任业务角色" in r.content.decode()
    assert list(auditadmin.groups.values_list("name", flat=True)) == ["audit_admin"]


def test_workbench_refuses_a_weak_initial_password(login, sysadmin):
    for weak in ("1", "password", "longbutsimple"):
        r = _new_staff(login(sysadmin), password=weak, roles=["bureau_leader"])
        assert r.status_code == 200, weak
        assert "密码" in r.content.decode()
    assert not Group.objects.get(name="bureau_leader").user_set.filter(username="newbie").exists()


def test_workbench_refuses_two_administrator_roles_or_admin_plus_business(login, sysadmin):
    for roles in (["system_admin", "audit_admin"], ["audit_admin", "bureau_leader"],
                  ["system_admin", "audit_admin", "bureau_leader"]):
        r = _new_staff(login(sysadmin), roles=roles)
        assert r.status_code == 200 and "不能同时" in r.content.decode(), roles


def test_workbench_creates_a_proper_account(login, sysadmin):
    assert _new_staff(login(sysadmin)).status_code == 302


def test_services_refuse_self_grant_and_combinations(sysadmin, city_leader):
    with pytest.raises(DomainError, match="不能修改自己的角色"):
        services.staff_update(actor=sysadmin, profile=sysadmin.profile, roles=["system_admin", "bureau_leader"])
    with pytest.raises(DomainError, match="不能修改自己的角色"):
        services.staff_update(actor=city_leader, profile=city_leader.profile, roles=["bureau_leader", "registrar"])
    with pytest.raises(DomainError, match="不能同时"):
        services.staff_update(actor=sysadmin, profile=city_leader.profile, roles=["bureau_leader", "security_admin"])
    with pytest.raises(DomainError, match="密码"):
        services.staff_create(actor=sysadmin, username="weak", full_name="弱", staff_code="W-1",
                              unit=city_leader.profile.unit, roles=["registrar"], password="password")


def test_the_model_refuses_a_combination_whatever_the_door(sysadmin, city_leader):
    with pytest.raises(DomainError), transaction.atomic():
        sysadmin.groups.add(Group.objects.get(name="bureau_leader"))
    with pytest.raises(DomainError), transaction.atomic():
        Group.objects.get(name="audit_admin").user_set.add(city_leader)
    assert list(city_leader.groups.values_list("name", flat=True)) == ["bureau_leader"]


@pytest.mark.parametrize("persona,allowed", [
    ("sysadmin", {"/workbench/org/", "/workbench/staff/", "/workbench/calendar/", "/workbench/rules/"}),
    ("auditadmin", {"/workbench/audit/"}),
    ("secadmin", {"/workbench/security/"}),
])
def test_each_administrator_reaches_only_its_own_pages(request, login, persona, allowed):
    user = request.getfixturevalue(persona)
    c = login(user)
    pages = ["/workbench/org/", "/workbench/staff/", "/workbench/calendar/", "/workbench/rules/", "/workbench/audit/",
             "/workbench/security/", "/workbench/enforcement/cases/", "/workbench/enforcement/leads/",
             "/workbench/complaints/", "/workbench/registry/", "/workbench/credit/",
             "/workbench/inspections/"]
    reached = {p for p in pages if c.get(p).status_code == 200}
    assert reached == allowed


def test_the_pages_of_that_sweep_exist(login, city_leader, sysadmin):
    # The sweep above proves something only if the business pages answer someone.
    leader = login(city_leader)
    for p in ("/workbench/enforcement/cases/", "/workbench/enforcement/leads/", "/workbench/complaints/",
              "/workbench/registry/", "/workbench/credit/", "/workbench/inspections/"):
        assert leader.get(p).status_code == 200, p


def test_the_administrators_groups_hold_only_administration_permissions(org):
    """What each administrator may do, read from the groups themselves (roles are extended by the apps side by
    side, so a business permission added to an administrator's role would otherwise go unnoticed): the system
    administrator only users, org units, calendar, rules and divisions — no business app, no audit log; the
    security administrator only the policies; the audit administrator only the audit log."""
    from django.contrib.auth.models import Group

    def held(role):
        return {f"{p.content_type.app_label}.{p.codename}"
                for p in Group.objects.get(name=role).permissions.select_related("content_type")}

    system = held("system_admin")
    assert {p.split(".")[0] for p in system} <= {"auth", "core"}
    assert not {p for p in system if "audit" in p or "security" in p or p.startswith("core.view_public")}
    assert not {p for p in system if p.startswith("auth.") and "group" in p and not p.startswith("auth.view_")}
    assert held("security_admin") == {"core.access_workbench", "core.manage_security"}
    assert held("audit_admin") == {"core.access_workbench", "core.view_auditentry_log"}
