"""Settings, read from the environment (twelve-factor).

Required: SECRET_KEY, XUNCHA_MASTER_KEY (field encryption), XUNCHA_AUDIT_KEY (audit chain HMAC).
Optional: DATABASE_URL (default: SQLite under var/), XUNCHA_DEMO, XUNCHA_DEBUG, XUNCHA_HTTPS,
XUNCHA_ALLOWED_HOSTS, XUNCHA_IDLE_TIMEOUT_MINUTES, XUNCHA_ABSOLUTE_TIMEOUT_HOURS, EMAIL_HOST and
friends for SMTP, XUNCHA_SITE_URL (the address put in front of links in notification mails).
Variables may also come from the file named by XUNCHA_ENV_FILE (default var/xuncha.env, written by
`make keys`); real environment variables win.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("XUNCHA_VAR_DIR", PROJECT_DIR / "var"))


def _load_env_file(path: Path) -> None:
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.lstrip().startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


_load_env_file(Path(os.environ.get("XUNCHA_ENV_FILE", VAR_DIR / "xuncha.env")))


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes", "on"}


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} is not set; run `make keys` or set it in the environment.")
    return value


SECRET_KEY = _required("SECRET_KEY")
XUNCHA_MASTER_KEY = os.environ.get("XUNCHA_MASTER_KEY", "")  # checked on use: crypto fails closed
XUNCHA_AUDIT_KEY = os.environ.get("XUNCHA_AUDIT_KEY", "")  # checked on use: audit fails closed
# `xuncha audit anchor` (and the daily job) append the signed chain head here; keep it off this host's disk
# if you can (a mounted remote or append-only volume), or use `--syslog` as well.
XUNCHA_AUDIT_ANCHOR_FILE = Path(os.environ.get("XUNCHA_AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchor.jsonl"))
DEBUG = _flag("XUNCHA_DEBUG")
XUNCHA_DEMO = _flag("XUNCHA_DEMO")
ALLOWED_HOSTS = os.environ.get("XUNCHA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "xuncha.core.admin_config.XunchaAdminConfig",  # django.contrib.admin, sysadmin role only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "xuncha.core",
    "xuncha.taxonomy",
    "xuncha.orgs",
    "xuncha.rounds",
    "xuncha.intake",
    "xuncha.fieldwork",
    "xuncha.findings",
    "xuncha.reports",
    "xuncha.rectification",
    "xuncha.preparation",
    "xuncha.analytics",
    "xuncha.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: cached, and never past this line
    "xuncha.core.middleware.NoStoreMiddleware",
    "xuncha.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "xuncha.core.middleware.SessionTimeoutMiddleware",
    "xuncha.core.middleware.RequireOTPMiddleware",
    "xuncha.core.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xuncha.urls"
WSGI_APPLICATION = "xuncha.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xuncha.core.context_processors.xuncha",
            ],
        },
    },
]

# Database: SQLite (WAL, IMMEDIATE transactions so concurrent writers queue instead of failing) by default.
# What the application creates (var/, the SQLite database, uploads) is its own account's alone; older
# files that are not are reported by `xuncha check` (core/checks.py).
os.umask(0o077)
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xuncha.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The public portal's throttle counts in this cache's table, so every gunicorn worker shares it on SQLite
# and PostgreSQL alike; the table is made by an intake migration, and core/throttle.py writes its rows with
# one atomic statement rather than through the cache API (docs/decisions/0005).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "intake_throttle_cache",
    },
}

NINJA_PAGINATION_CLASS = "xuncha.core.pagination.BoundedPagination"

# Accounts and sessions
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "xuncha.core.passwords.ChineseMinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
XUNCHA_IDLE_TIMEOUT = int(os.environ.get("XUNCHA_IDLE_TIMEOUT_MINUTES", "30")) * 60
XUNCHA_ABSOLUTE_TIMEOUT = int(os.environ.get("XUNCHA_ABSOLUTE_TIMEOUT_HOURS", "12")) * 3600
SESSION_COOKIE_AGE = XUNCHA_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
XUNCHA_HTTPS = _flag("XUNCHA_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = XUNCHA_HTTPS
SECURE_SSL_REDIRECT = XUNCHA_HTTPS
SECURE_HSTS_SECONDS = 31536000 if XUNCHA_HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Lockout per (account, client), a cap per client across accounts, a capped delay per account: no one
# can lock an account for everyone (core/lockout.py). The client is the address behind the trusted proxies.
AXES_HANDLER = "xuncha.core.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "xuncha.core.lockout.client_ip"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
XUNCHA_LOGIN_FAILURES_PER_CLIENT = 20
XUNCHA_LOGIN_DELAY_MAX = 3.0  # seconds
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "巡察工作平台"

# The public portal (码上巡察): requests per client address and hour (counted under a keyed hash, the
# address itself is never kept); the proxies whose X-Forwarded-For names the client (as gunicorn's
# --forwarded-allow-ips); and the address the public reaches it at, for the QR codes (default: this site).
XUNCHA_PORTAL_LIMITS = {
    "submit": int(os.environ.get("XUNCHA_PORTAL_SUBMISSIONS_PER_HOUR", "10")),
    "lookup": int(os.environ.get("XUNCHA_PORTAL_LOOKUPS_PER_HOUR", "20")),
    # A whole meeting room answers a survey from one address.
    "survey": int(os.environ.get("XUNCHA_SURVEY_POSTS_PER_HOUR", "300")),
}
XUNCHA_FORWARDED_ALLOW_IPS = os.environ.get("XUNCHA_FORWARDED_ALLOW_IPS", "127.0.0.1").split(",")
# The public portal and its API: open to anyone, so never behind the TOTP prompt of a half-logged-in session.
XUNCHA_PUBLIC_PREFIXES = ("/portal/", "/survey/", "/api/v1/public/")
XUNCHA_PORTAL_URL = os.environ.get("XUNCHA_PORTAL_URL", "").rstrip("/")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Internationalisation: Chinese first
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xuncha@localhost")
# A ledger export of more rows than this runs in the background (``xuncha worker``) with a progress page;
# its file is kept (encrypted) this many hours for the user who asked, then deleted (core/exports.py).
XUNCHA_EXPORT_BACKGROUND_ROWS = int(os.environ.get("XUNCHA_EXPORT_BACKGROUND_ROWS", "5000"))
XUNCHA_EXPORT_KEEP_HOURS = int(os.environ.get("XUNCHA_EXPORT_KEEP_HOURS", "24"))
# Notification mails link to this site (https://host); without it they give the path only.
XUNCHA_SITE_URL = os.environ.get("XUNCHA_SITE_URL", "").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"one_line_4xx": {"()": "xuncha.core.logfilters.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["one_line_4xx"]},
    },
}
