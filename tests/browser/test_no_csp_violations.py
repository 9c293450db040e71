"""The main pages break no rule of the Content-Security-Policy (#14: style-src 'self', no 'unsafe-inline'):
chromium reports no ``securitypolicyviolation`` event and logs no CSP error on the portal home, the portal login,
the workbench home, the leader's dashboard (charts), a list and a case page, and the security policy form."""

from __future__ import annotations

import pytest

from jianguan.core.tests.factories import PASSWORD, staff

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @' + e.lineNumber));
"""


def test_main_pages_raise_no_csp_violation(page, org):
    from jianguan.enforcement.tests import factories as ef

    officer = ef.officer("csp_officer")
    case = ef.filed_case(actor=officer, officers=[officer, ef.officer("csp_officer2")])
    leader = staff("csp_leader", "410400", ["bureau_leader"], name="局领导")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(WATCH)
    base = page.base_url
    violations = {}

    def visit(path):
        response = page.goto(base + path)
        assert response.status == 200, (path, response.status)
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__csp")
        if found:
            violations[path] = found
            screenshot(page, "csp" + path.replace("/", "_"))

    visit("/")
    visit("/account/login/")
    page.goto(base + "/workbench/login/")
    page.fill("input[name=username]", leader.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    for path in (
        "/workbench/",
        "/workbench/dashboard/",
        "/workbench/enforcement/cases/",
        f"/workbench/enforcement/cases/{case.pk}/",
        "/workbench/password/",
    ):
        visit(path)
    assert violations == {} and errors == []
    # the watch itself works: an inline style attribute set now is reported
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\\'color:red\\'>x</p>')")
    page.wait_for_timeout(300)
    assert any("style-src" in v for v in page.evaluate("window.__csp"))
