"""The case list filters: status, type, unit, officer, campaign, overdue — each narrows to the right cases."""

from jianguan.enforcement import selectors
from jianguan.enforcement.models import Campaign, Case

from .factories import filed_case, officer


def test_each_filter(district_officer, officers):
    dajia = Campaign.objects.get(code="dajia")
    a = filed_case(actor=district_officer, officers=officers, case_type="food", campaigns=[dajia])
    third = officer("xh_officer3")
    b = filed_case(actor=district_officer, officers=[officers[1], third], case_type="trademark")
    Case.objects.filter(pk=b.pk).update(overdue=True)

    def numbers(**kw):
        return [c.number for c in selectors.case_search(district_officer, selectors.CaseFilters(**kw))]

    assert numbers() == [b.number, a.number]
    assert numbers(case_type="food") == [a.number]
    assert numbers(campaign="dajia") == [a.number]
    assert numbers(campaign="nonexistent") == []
    assert numbers(officer=third.pk) == [b.number]
    assert numbers(mine=True) == [a.number]
    assert numbers(overdue=True) == [b.number]
    assert numbers(status="open") == [b.number, a.number]
    assert numbers(status="closed") == []
    assert numbers(unit="410402") == [b.number, a.number]
    assert numbers(unit="410403") == []  # another district: not in scope, nothing
    assert numbers(q=a.number) == [a.number]


def test_workbench_list_renders_filters(client, district_officer, officers):
    a = filed_case(actor=district_officer, officers=officers, case_type="food")
    client.force_login(district_officer)
    page = client.get("/workbench/enforcement/cases/?case_type=food&status=open").content.decode()
    assert a.number in page and 'data-testid="case-list"' in page
    assert a.number not in client.get("/workbench/enforcement/cases/?case_type=metrology").content.decode()
