"""Settings come only from environment variables; with none set, a SQLite file in ./var."""

import contextlib
import os
import secrets
from pathlib import Path

import dj_database_url

from clusterhub.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("CLUSTERHUB_DATA_DIR", "var")).resolve()

# Prometheus's counts, shared by every process of the site (gunicorn's workers, the task
# worker) through files here: prometheus_client reads this before anything imports it.
METRICS_DIR = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(DATA_DIR / "metrics")))
METRICS_DIR.mkdir(parents=True, exist_ok=True)
# Who may read /metrics/: these addresses, or whoever sends the token as a Bearer.
CLUSTERHUB_METRICS_ALLOWED = os.environ.get("CLUSTERHUB_METRICS_ALLOWED", "127.0.0.1,::1").split(
    ","
)
CLUSTERHUB_METRICS_TOKEN = os.environ.get("CLUSTERHUB_METRICS_TOKEN", "")


def _secret_key() -> str:
    """The key from SECRET_KEY, else one generated once into the data dir."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(key)
        path.chmod(0o600)
    except OSError:
        # A read-only place (e.g. parse-eccp run anywhere) still works, with a throwaway key.
        pass
    return key


SECRET_KEY = _secret_key()
DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its Swagger UI files from our static files, not from a CDN
    "clusterhub",
    "clusterhub.vocab",
    "clusterhub.profiles",
    "clusterhub.ingest",
    "clusterhub.directory",
    "clusterhub.accounts",
    "clusterhub.network",
    "clusterhub.matching",
    "clusterhub.statistics",
    "clusterhub.messaging",
    "clusterhub.calls",
    "clusterhub.news",
    "clusterhub.opportunities",
    "clusterhub.alerts",
    "clusterhub.events",
    "clusterhub.ops",
    "django_prometheus",
    "django_q",
    "axes",
    "django_ratelimit",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "clusterhub.core.logs.RequestLog",
    "clusterhub.core.middleware.RefuseControlCharacters",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Page… middleware are Django's and libraries', passed by for the API's JSON
    # answers (core/middleware.pages_only).
    "clusterhub.core.middleware.PageSessions",
    "clusterhub.core.languages.ReaderLanguage",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "clusterhub.core.middleware.PageAuthentication",
    "clusterhub.accounts.languages.RememberLanguage",
    "clusterhub.core.middleware.PageMessages",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # check --deploy asks for it by name
    "clusterhub.core.middleware.PageContentSecurity",
    "clusterhub.core.middleware.PageHtmx",
    "axes.middleware.AxesMiddleware",  # it answers locked-out logins
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "clusterhub.urls"
WSGI_APPLICATION = "clusterhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clusterhub.messaging.views.unread",
                "clusterhub.accounts.navigation.site_navigation",
                "django.template.context_processors.i18n",
                "clusterhub.core.languages.alternates",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'clusterhub.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db),
        # Connections live across requests: a new one per request costs a PostgreSQL
        # handshake, or on SQLite the page cache holding the search index.
        conn_max_age=int(os.environ.get("CLUSTERHUB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the writer; IMMEDIATE avoids lock upgrades failing;
        # reads go through a memory map, so a new worker's connection reads the search
        # index from the shared OS cache rather than copying it page by page. The page
        # cache of each connection stays small: it holds the pages read from the WAL,
        # which every connection of every worker copied until 64 MB each (+48 % of the
        # server's memory after 1,000 edits at 100,000 profiles); `import` takes a larger
        # one for its batches (BULK_CACHE_KB).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA cache_size=-{int(os.environ.get('SQLITE_CACHE_KB', '8192'))}; "
            "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=2147483648;"
        ),
        "transaction_mode": "IMMEDIATE",
        # Writers queue for the lock (IMMEDIATE) rather than fail after 5 s.
        "timeout": 30,
    }
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

# The cross-database test compares search answers on SQLite and PostgreSQL in one run.
if _cross := os.environ.get("CLUSTERHUB_TEST_DATABASE_URL"):
    DATABASES["postgres"] = {
        **dj_database_url.parse(_cross),
        "TEST": {"NAME": "test_clusterhub_cross"},
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after 5 failed logins for one user name from one
# address, that pair is locked out for an hour.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "clusterhub.accounts.backends.EmailBackend",  # sign-in by email, whatever the user name
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Headers on every response. Scripts only from this site; inline styles are allowed
# for the API's Swagger UI, which sets some.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Production behind HTTPS (CLUSTERHUB_HTTPS=1): cookies only over HTTPS, HTTP
# redirected, browsers told to use HTTPS for a year. Off by default so that `make run`
# works on http://127.0.0.1.
HTTPS = env_flag("CLUSTERHUB_HTTPS")
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_flag("CLUSTERHUB_BEHIND_PROXY"):  # the proxy terminates TLS and says so
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "directory:list"
# Sign-up links stay valid this long (seconds); so do password reset links.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Mail: printed to the console unless an SMTP server is configured.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Clusterhub <noreply@localhost>")

LANGUAGE_CODE = "en"
# Dates in English as Europeans write them (formats/en/formats.py); other languages keep
# Django's formats for their locale.
FORMAT_MODULE_PATH = ["clusterhub.formats"]
# The interface's languages, each in its own name; adding one is a line here and its
# catalogue in locale/<code>/LC_MESSAGES/django.po (docs/translation.md).
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("gl", "Galego"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("pt", "Português"),
    ("pl", "Polski"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps' static folders when collectstatic has not run (tests, dev).
WHITENOISE_USE_FINDERS = True
with contextlib.suppress(OSError):  # a read-only place: collectstatic would say so
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# The cache: rate limits (contact details read per account) are counted in it. By
# default a file cache in the data dir, shared by the workers of one machine; with
# CLUSTERHUB_CACHE_URL=redis://host:6379/0 (several machines), Redis.
_cache_url = os.environ.get("CLUSTERHUB_CACHE_URL", "")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
# django-ratelimit warns that the file cache does not increment atomically: two requests
# of one reader at the same instant may count once. For a limit of so many profiles an
# hour that is no way around it; Redis counts exactly.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_USE_CACHE = "default"
# How many profiles' telephones and emails one reader (an account, else an address)
# sees in a period ("50/h"); past it they are left out until the period ends.
CLUSTERHUB_CONTACTS_RATE = os.environ.get("CLUSTERHUB_CONTACTS_RATE", "50/h")
# API limits (api/limits.py): requests a minute per API key and per address without a
# key ("600/m"; empty: no limit); past them, 429 with Retry-After. Bodies larger than
# CLUSTERHUB_MAX_BODY_BYTES are refused (413 from the API, 400 from a page's form).
CLUSTERHUB_API_RATE_PER_TOKEN = os.environ.get("CLUSTERHUB_API_RATE_PER_TOKEN", "600/m")
CLUSTERHUB_API_RATE_PER_ADDRESS = os.environ.get("CLUSTERHUB_API_RATE_PER_ADDRESS", "300/m")
NINJA_NUM_PROXIES = int(os.environ.get("CLUSTERHUB_PROXIES", "0"))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("CLUSTERHUB_MAX_BODY_BYTES", str(5 * 1024 * 1024)))
# Edits of published profiles wait for a moderator unless they touch only these
# top-level keys of the document (comma-separated, e.g. "management_team,website").
CLUSTERHUB_EDITS_WITHOUT_REVIEW = [
    k.strip() for k in os.environ.get("CLUSTERHUB_EDITS_WITHOUT_REVIEW", "").split(",") if k.strip()
]

# Facet counting stops and flags the remaining facets `timed_out` past this many seconds.
DIRECTORY_FACET_TIMEOUT = float(os.environ.get("CLUSTERHUB_FACET_TIMEOUT", "0.5"))

# Background work (django-q2, docs/background.md): mail, digests and expiry run in the
# worker (`clusterhub worker`, started by `make run` beside the server), never in a web
# process. The queue is a table of the site's own database, so a job is queued in the
# same transaction as the write that asks for it, and SQLite needs no other server.
# A job not acknowledged within `retry` seconds (its worker died, or it failed) is
# handed out again, up to `max_attempts` times; `timeout` stays below `retry`.
Q_CLUSTER = {
    "name": "clusterhub",
    "orm": "default",
    "workers": int(os.environ.get("CLUSTERHUB_WORKER_PROCESSES", "1")),
    "timeout": int(os.environ.get("CLUSTERHUB_TASK_TIMEOUT", "120")),
    "retry": int(os.environ.get("CLUSTERHUB_TASK_RETRY", "180")),
    "max_attempts": int(os.environ.get("CLUSTERHUB_TASK_ATTEMPTS", "10")),
    "ack_failures": False,
    "catch_up": False,
    # the scheduler runs its SAT solver in a child process, which a daemonic worker
    # may not start
    "daemonize_workers": False,
    "save_limit": 1000,
    "poll": 0.5,
    "label": "Background tasks",
}

# The site's address, for links in mail sent by the worker (no request to ask).
CLUSTERHUB_SITE_URL = os.environ.get("CLUSTERHUB_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Messages one signed-in user may send through the platform (contact, replies,
# interest) in a period; past it they are told to wait.
CLUSTERHUB_MESSAGES_RATE = os.environ.get("CLUSTERHUB_MESSAGES_RATE", "20/h")

# LOG_FORMAT=json: one JSON object a line, every request logged (core/logs.py).
LOGGING = logging_config(
    os.environ.get("LOG_FORMAT", "text"), os.environ.get("LOG_LEVEL", "WARNING")
)
