"""Every demo persona's first screen and main lists, as a new user meets them, at 1366×900 and 390×844.

For the home page and each workbench menu page of each persona (one persona per distinct set of roles and unit
level, so a new app's menu entries and home cards are covered without touching this test):
- no home card shows a label without its figure ("共 户") or an empty list, and every card sits in the grid;
- no table cell with text is narrower than two characters;
- nothing makes the page wider than the window;
- no link on the page answers 403, 404 or a server error for that persona (one link per URL shape: /cases/1/ stands
  for /cases/2/), asked through the test client with the persona's session;
- the browser logs no error.
Each page is loaded once in one browser context (the persona is a session cookie), checked at 1366×900, then
resized to 390×844 and checked again.
On the portal, a logged-in enterprise user's header fits on one line at 1366 px.
A failure names the persona, page and viewport, and its screenshot is written to var/screenshots/sweep/.
"""

from __future__ import annotations

import re

import pytest

from jianguan.core.demo import DEMO_PASSWORD as PASSWORD

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
ARTEFACTS = SCREENSHOTS / "sweep"
SKIP_LINK = re.compile(r"/logout/|/export|[?&]export=|\.xlsx|\.pdf|\.docx|\.csv|\.json|/download|/bundle")

LAYOUT_JS = r"""
() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    // name the widest offenders outside a horizontally scrolling box (a wide table inside .table-responsive is fine)
    const wide = [...document.querySelectorAll('body *')].filter(el => {
      const r = el.getBoundingClientRect();
      if (r.right <= window.innerWidth + 1 || r.width === 0) return false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') return false;
      }
      return true;
    }).slice(0, 3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
    problems.push(`page wider than the window (${doc.scrollWidth} > ${window.innerWidth}): ${wide.join(', ')}`);
  }
  // the text a sighted reader sees: a label kept for screen readers only (.visually-hidden, e.g. the header of an
  // actions column) takes no width and is not measured
  const visibleText = (cell) => {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let text = '';
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.parentElement.closest('.visually-hidden')) text += n.textContent;
    }
    return cell.innerText.trim() && text.trim();
  };
  for (const cell of document.querySelectorAll('table td, table th')) {
    const text = visibleText(cell);
    if (!text || cell.offsetParent === null) continue;
    const size = parseFloat(getComputedStyle(cell).fontSize);
    const style = getComputedStyle(cell);
    const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (text.length >= 2 && inner < 1.9 * size) {
      problems.push(`table cell ${Math.round(inner)}px wide for "${text.slice(0, 12)}"`);
      break;
    }
  }
  for (const el of document.querySelectorAll('header a, header button, nav.navbar a, nav.navbar button')) {
    if (el.offsetParent === null || !el.innerText.trim()) continue;
    const line = parseFloat(getComputedStyle(el).lineHeight) || 24;
    if (el.getClientRects().length && el.getBoundingClientRect().height > 1.8 * line + 16) {
      problems.push(`header item "${el.innerText.trim().slice(0, 10)}" wraps`);
    }
  }
  return problems;
}
"""

CARDS_JS = r"""
() => {
  const problems = [];
  const row = document.querySelector('main .row');
  if (!row) return ['home page without its card grid'];
  for (const child of row.children) {
    if (![...child.classList].some(c => c.startsWith('col'))) {
      problems.push(`card outside the grid: ${child.className}`);
    }
  }
  for (const card of document.querySelectorAll('main .card')) {
    const text = card.innerText;
    const name = (card.querySelector('h2, h3, .card-title') || card).innerText.trim().slice(0, 16);
    if (/共\s*[户件张个条项]/.test(text)) problems.push(`card "${name}" shows a label without its figure`);
    for (const list of card.querySelectorAll('ul, ol')) {
      if (!list.querySelector('li')) problems.push(`card "${name}" has an empty list`);
    }
    if (!text.replace(name, '').trim()) problems.push(`card "${name}" is empty`);
  }
  return problems;
}
"""

SETTLE_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


def _personas() -> list[str]:
    """One login per distinct (roles, unit level), in the order the demo prints them."""
    from jianguan.core.demo import one_login_per_kind

    return [spec["username"] for spec in one_login_per_kind()]


class Sweep:
    """One browser context for the whole sweep (its HTTP cache keeps the CSS, scripts and fonts after the first
    page), one page; a persona is a session cookie made by the test client's ``force_login`` (the login form has
    its own tests), shared by the browser and by the client that follows the page's links. Each page is loaded
    once, at 1366×900, checked, then resized to 390×844 and checked again: the layout is CSS media queries and
    resize handlers, so the phone check needs no second load."""

    def __init__(self, browser, base_url):
        self.browser, self.base_url = browser, base_url
        self.failures: list[str] = []
        self.checked: dict[tuple[str, str], int] = {}  # (persona, URL shape) → status, so a link is asked once
        self.context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS["desktop"])
        self.page = self.context.new_page()
        self.page.set_default_timeout(20000)
        self.console_errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.persona = ""
        self.client = None

    def close(self) -> None:
        self.context.close()

    def fail(self, where: str, problem: str) -> None:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", where)[:120]
        self.page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
        self.failures.append(f"{where}: {problem}")

    def sign_in(self, username: str) -> None:
        """``username``'s session in the test client and the browser (no login page: one request saved per
        persona, and the client's requests are that persona's)."""
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.test import Client

        self.persona = username
        self.client = Client(raise_request_exception=False)
        self.client.force_login(get_user_model().objects.get(username=username))
        self.context.clear_cookies()
        self.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "url": self.base_url,
                    "value": self.client.cookies[settings.SESSION_COOKIE_NAME].value,
                }
            ]
        )

    def check(self, url: str, *, home: bool = False, links: bool = True) -> list[str]:
        """``url`` at both sizes; its links (once per URL shape and persona) through the test client. Returns the
        page's links."""
        page = self.page
        page.set_viewport_size(VIEWPORTS["desktop"])
        self.console_errors.clear()
        response = page.goto(f"{self.base_url}{url}")
        where = f"{self.persona}-{'home' if home else url}"
        if response is None or response.status != 200:
            self.fail(f"{where}-desktop", f"answers {response.status if response else 'nothing'}")
            return []
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for viewport in VIEWPORTS:
            if viewport != "desktop":
                page.set_viewport_size(VIEWPORTS[viewport])
                page.evaluate(SETTLE_JS)  # resize handlers (charts) have run and the page has reflowed
            problems = page.evaluate(LAYOUT_JS)
            if home:
                problems += page.evaluate(CARDS_JS)
            if viewport == "desktop" and links:
                problems += self.link_problems(hrefs)
            problems += [f"console error: {e}" for e in self.console_errors]  # while loading, or since the resize
            self.console_errors.clear()
            for problem in problems:
                self.fail(f"{where}-{viewport}", problem)
        return hrefs

    def link_problems(self, hrefs) -> list[str]:
        shapes = {}
        for href in hrefs:
            if href.startswith("/") and not SKIP_LINK.search(href):
                shapes.setdefault(_shape(href), href)
        problems = []
        for shape, href in shapes.items():
            key = (self.persona, shape)
            if key not in self.checked:
                self.checked[key] = self.client.get(href).status_code
            status = self.checked[key]
            if status in (403, 404) or status >= 500:
                problems.append(f"link {href} answers {status}")
        return problems


@pytest.fixture
def demo(transactional_db, settings):
    from django.core.management import call_command

    settings.JIANGUAN_DEMO_ENTITIES = 300
    call_command("demo", quiet=True)


def test_every_persona_meets_a_working_first_screen(browser, live_server, demo):
    sweep = Sweep(browser, live_server.url)
    visited: set[str] = set()  # a menu page's layout is the same for everyone: each page once, by the first persona
    try:
        for username in _personas():
            sweep.sign_in(username)
            hrefs = sweep.check("/workbench/", home=True)
            menu = [
                h
                for h in dict.fromkeys(hrefs)
                if re.fullmatch(r"/workbench/[\w/-]*/", h)
                and h != "/workbench/"
                and not SKIP_LINK.search(h)
                and h.count("/") <= 4
            ]
            for url in menu:
                if url not in visited:
                    visited.add(url)
                    sweep.check(url)
        # The portal's header, logged in as an enterprise applicant, through its own login form.
        sweep.context.clear_cookies()
        sweep.persona = "applicant"
        page = sweep.page
        page.set_viewport_size(VIEWPORTS["desktop"])
        page.goto(f"{sweep.base_url}/account/login/")
        page.fill("input[name=username]", "applicant")
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_load_state()
        sweep.check("/", links=False)
    finally:
        sweep.close()
    assert len(visited) > 40  # the sweep reached the menus (a broken sign-in would leave it at the home pages)
    assert not sweep.failures, f"{len(sweep.failures)} problems (screenshots in {ARTEFACTS}):\n" + "\n".join(
        sweep.failures[:80]
    )
