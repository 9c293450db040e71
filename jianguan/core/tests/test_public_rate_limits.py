"""Public endpoints that had no limit are limited per address, the counts are shared by every server process
through the cache, and ``jianguan serve`` refuses several workers on a per-process cache (#14 finding 8)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jianguan.core.models import RuleValue
from jianguan.core.ratelimits import PUBLIC_LIMITS

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/public/": "/api/v1/public/penalties/",
    "/api/v1/startup/name-check": "/api/v1/startup/name-check?name=平顶山市测试商贸有限公司",
    "/complaints/stats/": "/complaints/stats/",
    "/inspections/results/": "/inspections/results/",
    "/penalties/": "/penalties/",
}


@pytest.mark.parametrize("prefix,group,rule_key", PUBLIC_LIMITS, ids=[p[1] for p in PUBLIC_LIMITS])
def test_each_public_endpoint_is_limited_per_address(org, prefix, group, rule_key):
    RuleValue.objects.create(key=rule_key, value="3/m", effective_from=dt.date(2000, 1, 1))
    hammer, neighbour = Client(REMOTE_ADDR="203.0.113.50"), Client(REMOTE_ADDR="203.0.113.51")
    codes = [hammer.get(PATHS[prefix]).status_code for _ in range(4)]
    assert codes[:3] != [429] * 3 and codes[3] == 429, codes
    assert neighbour.get(PATHS[prefix]).status_code != 429


def test_a_limited_api_call_answers_in_the_api_format(org):
    RuleValue.objects.create(key="portal.open_api_rate", value="1/m", effective_from=dt.date(2000, 1, 1))
    c = Client(REMOTE_ADDR="203.0.113.60")
    c.get("/api/v1/public/penalties/")
    r = c.get("/api/v1/public/penalties/")
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited" and r["Retry-After"]


def test_serve_refuses_several_workers_on_a_per_process_cache(monkeypatch):
    monkeypatch.delenv("JIANGUAN_ALLOW_PROCESS_CACHE", raising=False)
    with pytest.raises(CommandError, match="JIANGUAN_CACHE_URL"):
        call_command("serve", "--workers", "3", "--no-collectstatic")


def test_a_file_cache_url_gives_a_cache_shared_by_processes(tmp_path, monkeypatch):
    import subprocess
    import sys

    code = ("from django.conf import settings; import django; django.setup(); "
            "print(settings.CACHES['default']['BACKEND'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"JIANGUAN_CACHE_URL": f"file://{tmp_path}", "JIANGUAN_DEBUG": "1",
                              "DJANGO_SETTINGS_MODULE": "jianguan.settings", "JIANGUAN_VAR_DIR": str(tmp_path),
                              "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip().endswith("FileBasedCache")
