"""Browser tests: Playwright drives Debian's chromium (never a browser Playwright downloads itself)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
# Flags for a sandboxed root user on a machine with no network but loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def chromium_path() -> str | None:
    explicit = os.environ.get("JIANGUAN_CHROMIUM")
    if explicit:
        return explicit
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "chromium not found: apt-get install chromium (or set JIANGUAN_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it; a missing browser there is a broken CI, not a skip
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM must be told that is fine here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def make_overdue_lift(username: str):
    """A lift commissioned 900 days ago whose periodic inspection, 400 days ago, is overdue now; its supervisor is
    ``username`` (the equipment browser tests)."""
    import datetime as dt

    from django.utils import timezone

    from jianguan.equipment import services
    from jianguan.equipment.tests.factories import lift, supervisor

    today = timezone.localdate()
    user = supervisor(username)
    device = lift(
        actor=user,
        commissioned_on=today - dt.timedelta(days=900),
        today=today,
        location="平顶山市新华区金色家园3号楼1单元",
    )
    services.inspection_record(
        actor=user,
        device=device,
        kind="periodic",
        body="平顶山市特种设备检验所",
        conclusion="passed",
        inspected_on=today - dt.timedelta(days=400),
        today=today,
    )
    device.refresh_from_db()
    return device
