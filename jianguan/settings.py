"""Settings for Jianguan, read from environment variables only.

Secure by default: DEBUG is off unless JIANGUAN_DEBUG=1, and with DEBUG off the process refuses to start
on the built-in development secret. A malformed value fails loudly at start-up instead of being guessed.
"""

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JIANGUAN_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEV_SECRET_KEY = "jianguan-insecure-development-key-do-not-use-in-production"
DEBUG = env_bool("JIANGUAN_DEBUG", False)
TESTING = "pytest" in sys.modules or env_bool("JIANGUAN_TESTING", False)
SECRET_KEY = os.environ.get("JIANGUAN_SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and not TESTING and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "JIANGUAN_SECRET_KEY is not set. With JIANGUAN_DEBUG=0 Jianguan refuses to start on the development secret; "
        "set JIANGUAN_SECRET_KEY to a long random value (e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
if not DEBUG and not TESTING and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("JIANGUAN_SECRET_KEY must be at least 50 characters long in production.")

ALLOWED_HOSTS = env_list("JIANGUAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("JIANGUAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "jianguan.core.admin_apps.JianguanAdminConfig",  # django.contrib.admin, audited and behind the lockout (#14)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "captcha",
    "django_otp",  # two-factor authentication of staff (#14)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "jianguan.core",
    "jianguan.registry",
    "jianguan.startup",
    "jianguan.credit",
    "jianguan.inspections",
    "jianguan.enforcement",
    "jianguan.complaints",
    "jianguan.ip",
    "jianguan.quality",
    "jianguan.workplan",
    "jianguan.dashboard",
    "jianguan.standards",
    "jianguan.equipment",
    "jianguan.sampling",
    "jianguan.coldchain",
    "jianguan.food",
    "jianguan.drugs",
    "jianguan.prices",
    "jianguan.monitoring",
    "jianguan.metrology",
    "jianguan.portal",
    "jianguan.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jianguan.core.middleware.RejectNulMiddleware",
    "jianguan.core.middleware.OutOfRangeMiddleware",
    "jianguan.core.ratelimits.PublicRateLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jianguan.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "jianguan.urls"
WSGI_APPLICATION = "jianguan.wsgi.application"
ASGI_APPLICATION = "jianguan.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jianguan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jianguan.core.context_processors.workbench",
                "jianguan.portal.menu.portal_context",
            ],
        },
    }
]

# --- database ---------------------------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'jianguan.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_sqlite, conn_max_age=60)}
except Exception as exc:  # dj_database_url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
VAR_DIR.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend tuned for serving (jianguan/core/sqlite): per-connection pragmas only, WAL set on the file when
    # it is migrated, atomic blocks BEGIN IMMEDIATE (writes wait for the lock instead of failing), read-only blocks
    # (core.transactions.read_only) BEGIN DEFERRED. Connections persist: opening one per request cost more than the
    # request (docs/benchmarks.md, "SQLite under jianguan serve").
    DATABASES["default"]["ENGINE"] = "jianguan.core.sqlite"
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("JIANGUAN_CONN_MAX_AGE", 600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    # The tests run on a file (one per test process, in the temporary directory, so two runs never share one), as the
    # product does, not in memory: an in-memory database is one connection that Django's live server shares between
    # its request threads and the test's thread, and two threads in one SQLite connection can deadlock (a Python function SQLite calls back, such
    # as Django's date extraction, waits for the GIL the other thread holds while it waits for the connection). The
    # browser's parallel requests (the bell's badge after a page load) hung a CI run that way. Just as fast: the file
    # is created the fast way (jianguan.core.sqlite.fresh) and tests roll back.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"jianguan-test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "jianguan.core.security.PolicyLengthValidator"},
    {"NAME": "jianguan.core.security.PolicyCharacterClassValidator"},
    {"NAME": "jianguan.core.security.PolicyHistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = os.environ.get("JIANGUAN_BUREAU_NAME", "平顶山市市场监督管理局") + " 监管平台"
# Every password login (workbench, portal, /admin/) through the lockout policy and the login audit.
AUTHENTICATION_BACKENDS = ["jianguan.core.security.LockoutBackend"]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "dashboard:landing"  # leaders land on their dashboard, others on the home page
LOGOUT_REDIRECT_URL = "core:login"

# --- language and time ------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Chinese only until the workbench is translated: no LocaleMiddleware, no /i18n/ switch, so no browser (whatever its
# Accept-Language) gets a page half in English. The {% translate %} tags and the English catalogue of the shell
# (jianguan/locale) stay for that day: then add ("en", "English") here, the middleware and the switch.
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "jianguan" / "locale"]
# Django's zh_Hans formats plus the thousands separator (intcomma, floatformat:"2g" group as 12,345.60)
FORMAT_MODULE_PATH = ["jianguan.formats"]
TIME_ZONE = os.environ.get("JIANGUAN_TIME_ZONE", "Asia/Shanghai")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except Exception:
    raise ImproperlyConfigured(f"JIANGUAN_TIME_ZONE={TIME_ZONE!r} is not a known time zone") from None
USE_I18N = True
USE_TZ = True

# --- static and media -------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "jianguan" / "static"]
STATIC_ROOT = Path(os.environ.get("JIANGUAN_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("JIANGUAN_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
JIANGUAN_MAX_UPLOAD_BYTES = env_int("JIANGUAN_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)

# --- security ---------------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("JIANGUAN_SESSION_SECONDS", 8 * 3600)
CSRF_COOKIE_HTTPONLY = True
# No language switch sets it today (Chinese only); the day one does, its cookie carries the flags of the others
# (#14 finding 10).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("JIANGUAN_SSL_REDIRECT", True)  # off only behind plain-HTTP test harnesses
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("JIANGUAN_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("JIANGUAN_BEHIND_PROXY", False) else None

EMAIL_BACKEND = os.environ.get("JIANGUAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# the SMS gateway: a dotted path to a ``core.notify.BaseSMSBackend`` subclass (console by default; FileSMSBackend
# appends to var/outbox/)
JIANGUAN_SMS_BACKEND = os.environ.get("JIANGUAN_SMS_BACKEND", "jianguan.core.notify.ConsoleSMSBackend")
DEFAULT_FROM_EMAIL = os.environ.get("JIANGUAN_FROM_EMAIL", "noreply@jianguan.invalid")

# A per-process memory cache by default. With several server processes, point JIANGUAN_CACHE_URL at a shared cache
# (redis://… or memcached via pymemcache://…) so rate limits count across processes.
_cache_url = os.environ.get("JIANGUAN_CACHE_URL", "")
if _cache_url.startswith("redis://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}
elif _cache_url.startswith("pymemcache://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                          "LOCATION": _cache_url.removeprefix("pymemcache://")}}
elif _cache_url.startswith("file://"):  # one host, several processes, no cache server
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": _cache_url.removeprefix("file://")}}
elif _cache_url:
    raise ImproperlyConfigured(
        f"JIANGUAN_CACHE_URL={_cache_url!r}: expected redis://…, pymemcache://host:port or file:///absolute/dir")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jianguan"}}
# django-ratelimit warns that a memory cache is not shared between processes: that is the documented trade-off above.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_VIEW = "jianguan.core.views.rate_limited"
CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_LENGTH = 4
CAPTCHA_TEST_MODE = TESTING  # tests answer "PASSED"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIANGUAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "weasyprint": {"level": "WARNING"}},  # no per-PDF steps
}

# Jianguan's own settings
# The audit chain's HMAC key (never in the database); without it one is derived from JIANGUAN_SECRET_KEY. Changing
# either makes the existing chain fail verification: keep it as long as the audit log (docs/security.md).
JIANGUAN_AUDIT_KEY = os.environ.get("JIANGUAN_AUDIT_KEY", "")
# Keys of the personal data encrypted at rest (#14, jianguan.core.crypto): JIANGUAN_DATA_KEYS = "kid:base64key,…"
# (32-byte keys; the first is current, the rest decrypt only until `jianguan crypto rotate` has run) and
# JIANGUAN_DATA_HASH_KEY (base64, ≥ 32 bytes) for the blind indexes. Never in the database; production refuses to
# start without them (development and tests derive both from SECRET_KEY). Losing them loses the personal data.
JIANGUAN_DATA_KEYS = os.environ.get("JIANGUAN_DATA_KEYS", "")
JIANGUAN_DATA_HASH_KEY = os.environ.get("JIANGUAN_DATA_HASH_KEY", "")
if not DEBUG and not TESTING and not (JIANGUAN_DATA_KEYS and JIANGUAN_DATA_HASH_KEY):
    raise ImproperlyConfigured(
        "JIANGUAN_DATA_KEYS and JIANGUAN_DATA_HASH_KEY must be set in production (personal data is encrypted at rest "
        "with them; a key: python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())'; "
        "JIANGUAN_DATA_KEYS=k1:<key>; see docs/security.md).")
if JIANGUAN_DATA_KEYS or JIANGUAN_DATA_HASH_KEY:
    from jianguan.core import crypto as _crypto  # fail at start-up, not at the first read, on a malformed key

    if JIANGUAN_DATA_KEYS:
        _crypto.parse_keys(JIANGUAN_DATA_KEYS)
    if JIANGUAN_DATA_HASH_KEY:
        _crypto.parse_hash_key(JIANGUAN_DATA_HASH_KEY)
# Where the daily signed anchors of the audit chain are written: outside the database, and worth copying elsewhere.
JIANGUAN_AUDIT_ANCHOR_FILE = Path(os.environ.get("JIANGUAN_AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchors.jsonl"))
JIANGUAN_BUREAU_NAME = os.environ.get("JIANGUAN_BUREAU_NAME", "平顶山市市场监督管理局")
JIANGUAN_CITY_CODE = os.environ.get("JIANGUAN_CITY_CODE", "410400")
# How many generated entities `jianguan demo` loads (the registry demo step); the test suite uses a few hundred.
JIANGUAN_DEMO_ENTITIES = env_int("JIANGUAN_DEMO_ENTITIES", 400 if TESTING else 20_000)
