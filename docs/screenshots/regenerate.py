"""Regenerate the README's screenshots from the demo database (never from test fixtures):

    export DATABASE_URL=sqlite:////tmp/jianguan-shots/demo.sqlite3 JIANGUAN_VAR_DIR=/tmp/jianguan-shots JIANGUAN_DEBUG=1
    .venv/bin/python -m jianguan migrate && .venv/bin/python -m jianguan demo
    .venv/bin/python -m jianguan runserver 127.0.0.1:8765 &
    .venv/bin/python docs/screenshots/regenerate.py http://127.0.0.1:8765

(``make run`` serves the same demo on port 8000.) Needs Playwright and Debian's chromium (with chromium-l10n for
the browser's own strings in Chinese). Each page is checked for
text the demo never has (a test fixture's 测试…) before it is written."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--lang=zh-CN"]
PASSWORD = "jianguan-demo-2026"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Words of test fixtures, never of the demo.
FIXTURE_WORDS = ("测试", "test_", "T-20")


def _check_and_shoot(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    text = page.inner_text("body")
    found = [w for w in FIXTURE_WORDS if w in text]
    if found:
        raise SystemExit(f"{name}: the page shows {found} — not the demo database?")
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
        raise SystemExit(f"{name}: the page is wider than the window")
    page.screenshot(path=str(HERE / f"{name}.png"))
    print("wrote", HERE / f"{name}.png")


def _login(browser, base: str, username: str, viewport: dict):
    context = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=viewport is PHONE)
    page = context.new_page()
    page.goto(f"{base}/workbench/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    return context, page


def main(base: str) -> None:
    with sync_playwright() as pw:
        # the browser's own strings (a file input's 选择文件) in Chinese too: --lang and LANG (headless reads the
        # environment), with Debian's chromium-l10n installed
        env = {**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"}
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, env=env)
        # the leader lands on the dashboard (领导驾驶舱)
        context, page = _login(browser, base, "leader", DESKTOP)
        page.wait_for_url("**/workbench/dashboard/")
        _check_and_shoot(page, "leader-home")
        context.close()
        # a district case officer's case list: totals, sortable headers, deadlines, the export
        context, page = _login(browser, base, "xh_case", DESKTOP)
        page.goto(f"{base}/workbench/enforcement/cases/")
        _check_and_shoot(page, "case-list")
        context.close()
        # the public credit lookup and an entity's public record
        context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
        page = context.new_page()
        page.goto(f"{base}/search/?q=%E7%83%A9%E9%9D%A2")  # 烩面: a name fragment the demo register has
        _check_and_shoot(page, "credit-lookup")
        page.locator("main a[href^='/entities/']").first.click()
        page.wait_for_url("**/entities/**")
        _check_and_shoot(page, "portal-entity")
        context.close()
        # a station inspector's 今日检查 on a phone
        context, page = _login(browser, base, "xh_inspector", PHONE)
        page.goto(f"{base}/workbench/inspections/today/")
        _check_and_shoot(page, "phone-today")
        context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
