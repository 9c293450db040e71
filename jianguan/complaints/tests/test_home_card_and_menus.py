"""The handler's home card lists due items; menus appear for the right people."""

import pytest

from jianguan.core.tests.factories import staff

from .factories import business, complaint

pytestmark = pytest.mark.django_db


def test_the_home_card_shows_the_handlers_due_items(org, xh_handler, login):
    c, _ = complaint(entity=business())
    body = login(xh_handler).get("/workbench/").content.decode()
    assert 'data-testid="complaints-due"' in body and c.number in body
    assert "/workbench/complaints/analytics/" in body


def test_leaders_get_analytics_but_not_intake(org, login):
    leader = staff("leader_t", "410400", ["bureau_leader"])
    body = login(leader).get("/workbench/").content.decode()
    assert "/workbench/complaints/analytics/" in body
    assert "/workbench/complaints/import/" not in body
    assert 'data-testid="complaints-due"' not in body


def test_the_portal_offers_filing_tracking_and_statistics(org, client):
    body = client.get("/").content.decode()
    for url in ("/complaints/", "/complaints/track/", "/complaints/stats/"):
        assert f'href="{url}"' in body
