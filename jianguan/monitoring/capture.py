"""Fetching a web page as electronic evidence: the page's HTML and a full-page screenshot taken with chromium.

Nothing here touches the database (Playwright's sync API runs an event loop in the calling thread): ``fetch``
returns what was captured, or why nothing could be, and the service records it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 20000


@dataclass
class Capture:
    ok: bool
    final_url: str = ""
    http_status: int | None = None
    title: str = ""
    html: bytes = b""
    screenshot: bytes = b""
    failure: str = ""


def chromium_path() -> str | None:
    explicit = os.environ.get("JIANGUAN_CHROMIUM")
    if explicit:
        return explicit
    for candidate in CHROMIUM_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    return shutil.which("chromium")


def fetch(url: str) -> Capture:
    path = chromium_path()
    if path is None:
        return Capture(ok=False, failure="本机未安装 chromium，无法取证")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return Capture(ok=False, failure="未安装 Playwright，无法取证")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
                page = context.new_page()
                try:
                    response = page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
                except PlaywrightError as exc:
                    reason = str(exc).splitlines()[0][:250]
                    return Capture(ok=False, failure=f"无法打开该网址：{reason}")
                status = response.status if response is not None else None
                if status is not None and status >= 400:
                    return Capture(ok=False, http_status=status, final_url=page.url,
                                   failure=f"网站返回 HTTP {status}，页面不是要取证的内容")
                html = page.content().encode("utf-8")
                shot = page.screenshot(full_page=True, type="png")
                return Capture(ok=True, final_url=page.url, http_status=status, title=page.title()[:300],
                               html=html, screenshot=shot)
            finally:
                browser.close()
    except PlaywrightError as exc:
        return Capture(ok=False, failure=f"浏览器取证失败：{str(exc).splitlines()[0][:250]}")
