"""The workbench home: every card sits in the grid and shows its figures, and every link on the page is one the
user may follow (a link answering 403 or 404 is a broken promise). Generic over the registered cards and menu, so a
new app's card or menu entry is covered without a new test."""

import re

import pytest

from jianguan.core.roles import ROLES
from jianguan.core.tests.factories import staff

UNIT_OF_ROLE = {"system_admin": "410400BG", "security_admin": "410400BG", "audit_admin": "410400BG"}
HREF = re.compile(r'href="(/workbench/[^"#?]*)(?:\?[^"]*)?"')


def _persona(role: str):
    return staff(f"p_{role}"[:30], UNIT_OF_ROLE.get(role, "410400"), [role], name=f"{role}人员")


def test_risk_card_shows_the_number_of_entities(org, login):
    from jianguan.registry.tests.factories import EntityFactory

    EntityFactory.create_batch(3)
    body = login(_persona("bureau_leader")).get("/workbench/").content.decode()
    assert 'data-testid="risk-card"' in body
    assert re.search(r"共 \d+ 户", body), "the risk card's total is empty"


@pytest.mark.parametrize("role", [r.code for r in ROLES])
def test_every_card_is_a_grid_column_with_content(org, rf, role):
    from django.contrib.sessions.middleware import SessionMiddleware

    from jianguan.core.home import rendered_cards

    request = rf.get("/workbench/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = _persona(role)
    for html in rendered_cards(request):
        assert re.match(r'\s*(\{#.*?#\}\s*)?<div class="col-', html), f"card outside the grid: {html[:120]}"
        assert not re.search(r"共\s*[户件张个条项]", html), f"card without its figure: {html[:200]}"
        assert not re.search(r"<ul[^>]*>\s*</ul>", html), f"card with an empty list: {html[:200]}"


@pytest.mark.parametrize("role", [r.code for r in ROLES])
def test_every_link_on_the_home_page_is_allowed(org, login, role):
    client = login(_persona(role))
    body = client.get("/workbench/").content.decode()
    links = sorted(set(HREF.findall(body)) - {"/workbench/logout/"})
    assert links, "a home page without a single link"
    refused = {url: client.get(url).status_code for url in links}
    refused = {url: code for url, code in refused.items() if code in (403, 404)}
    assert not refused, f"{role} is shown links it may not follow: {refused}"
