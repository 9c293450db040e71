"""Settings come from the environment, fail loudly on bad values, and production refuses the default secret."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _run(env_extra, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANGUAN_", "DATABASE_URL", "PYTEST", "DJANGO_"))}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "jianguan", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


#: Production's personal-data keys (#14): 32 bytes each, base64.
DATA_KEYS = {"JIANGUAN_DATA_KEYS": "k1:" + "A" * 43 + "=", "JIANGUAN_DATA_HASH_KEY": "B" * 43 + "="}


def test_production_refuses_to_start_without_the_personal_data_keys(tmp_path):
    r = _run({"JIANGUAN_DEBUG": "0", "JIANGUAN_SECRET_KEY": "s" * 60, "JIANGUAN_VAR_DIR": str(tmp_path)}, "check")
    assert r.returncode != 0 and "JIANGUAN_DATA_KEYS" in r.stderr


def test_a_short_personal_data_key_fails_loudly(tmp_path):
    r = _run({"JIANGUAN_DEBUG": "1", "JIANGUAN_VAR_DIR": str(tmp_path), "JIANGUAN_DATA_KEYS": "k1:c2hvcnQ="}, "check")
    assert r.returncode != 0 and "JIANGUAN_DATA_KEYS key k1: 5 bytes, expected 32" in r.stderr


def test_production_refuses_to_start_on_the_default_secret(tmp_path):
    r = _run({"JIANGUAN_DEBUG": "0", "JIANGUAN_VAR_DIR": str(tmp_path)}, "check")
    assert r.returncode != 0 and "JIANGUAN_SECRET_KEY" in r.stderr


def test_a_malformed_boolean_fails_loudly(tmp_path):
    r = _run({"JIANGUAN_DEBUG": "maybe", "JIANGUAN_VAR_DIR": str(tmp_path)}, "check")
    assert r.returncode != 0 and "JIANGUAN_DEBUG" in r.stderr


def test_a_malformed_database_url_fails_loudly(tmp_path):
    r = _run({"JIANGUAN_DEBUG": "1", "DATABASE_URL": "nonsense://", "JIANGUAN_VAR_DIR": str(tmp_path)}, "check")
    assert r.returncode != 0 and "DATABASE_URL" in r.stderr


@pytest.mark.parametrize("tz", ["Mars/Olympus"])
def test_an_unknown_time_zone_fails_loudly(tmp_path, tz):
    r = _run({"JIANGUAN_DEBUG": "1", "JIANGUAN_TIME_ZONE": tz, "JIANGUAN_VAR_DIR": str(tmp_path)}, "check")
    assert r.returncode != 0 and "JIANGUAN_TIME_ZONE" in r.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    r = _run(
        {
            "JIANGUAN_DEBUG": "0",
            "JIANGUAN_SECRET_KEY": "k" * 20 + "-production-secret-for-the-test-0123456789",
            "JIANGUAN_ALLOWED_HOSTS": "jianguan.example.gov.cn",
            "JIANGUAN_VAR_DIR": str(tmp_path),
            **DATA_KEYS,
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_cookie_carries_secure_and_httponly_in_production(tmp_path):
    """Session, CSRF and language cookies: Secure and HttpOnly under production settings (#14 finding 10: the
    language cookie had no flags)."""
    names = ("SESSION", "CSRF", "LANGUAGE")
    code = ("from django.conf import settings as s; "
            f"print([(getattr(s, n + '_COOKIE_SECURE'), getattr(s, n + '_COOKIE_HTTPONLY')) for n in {names!r}])")
    r = _run({"JIANGUAN_DEBUG": "0", "JIANGUAN_SECRET_KEY": "k" * 20 + "-production-secret-for-the-test-0123456789",
              "JIANGUAN_ALLOWED_HOSTS": "jianguan.example.gov.cn", "JIANGUAN_VAR_DIR": str(tmp_path), **DATA_KEYS},
             "shell", "-c", code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == str([(True, True)] * 3)
