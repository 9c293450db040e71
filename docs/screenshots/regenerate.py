"""Regenerate the README's screenshots from the demo: `make run` (or `jianguan demo` + `jianguan runserver`), then
`.venv/bin/python docs/screenshots/regenerate.py [http://127.0.0.1:8000]`. Needs Playwright and Debian's chromium."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
PASSWORD = "jianguan-demo-2026"


def main(base: str) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
        page.goto(f"{base}/workbench/login/")
        page.fill("input[name=username]", "xh_inspector")
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url("**/workbench/")
        page.screenshot(path=str(HERE / "workbench-home.png"))
        page.goto(f"{base}/")
        page.screenshot(path=str(HERE / "portal-home.png"))
        page.goto(f"{base}/search/?q=%E7%83%A9%E9%9D%A2")  # 烩面: a name fragment the demo register has
        page.locator("main a[href^='/entities/']").first.click()
        page.wait_for_load_state()
        page.screenshot(path=str(HERE / "portal-entity.png"))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
