"""Tandem's one settings file, driven by the environment.

With no environment at all it runs on SQLite in development mode, so a fresh checkout works.
Production (``DJANGO_ENV=production``) refuses to start without a real secret key.
Every setting read here is listed in docs/settings.md (a test keeps the two in step).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[3]


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def envsecret(name: str, default: str | None = None) -> str | None:
    """Read a secret from NAME, or from the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
DEBUG = envbool("DEBUG", not PRODUCTION)

_secret = envsecret("SECRET_KEY")
if _secret is None:
    if PRODUCTION:
        raise RuntimeError("Set SECRET_KEY (or SECRET_KEY_FILE) in the environment for production.")
    _secret = "development-only-key-never-used-in-production-" + "x" * 20
SECRET_KEY = _secret

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "tandem.web.apps.TandemAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "tandem.accounts",
    "tandem.people",
    "tandem.audit",
    "tandem.careers",
    "tandem.vision",
    "tandem.cycles",
    "tandem.growth",
    "tandem.outbox",
    "tandem.integrations",
    "tandem.overview",
    "tandem.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tandem.web.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tandem.web.middleware.SetupRequiredMiddleware",
]

# Development serves static files through runserver; production runs collectstatic first.
if PRODUCTION:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "tandem.web.urls"
WSGI_APPLICATION = "tandem.web.wsgi.application"

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
                "tandem.web.context_processors.membership",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'tandem.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
        # A kept connection is checked before each request reuses it, so a database restart
        # costs one reconnect, not a failed request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests on SQLite use a file, not Django's shared in-memory database: the live server's
    # threads then each have their own connection, as a deployed server's do. One file per test
    # run, outside the checkout, so two runs at once never share (or delete) each other's.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"tandem-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# ModelBackend's password check, reading the user with their membership (one query, not two).
# Sessions name their backend: people signed in before it replaced ModelBackend sign in again.
AUTHENTICATION_BACKENDS = [
    "tandem.accounts.backends.MemberBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in: growing waits after wrong passwords, per account and per address; a browser the
# person signed in from before is not slowed by failures on their account (accounts.throttle).
SIGNIN_THROTTLE = envbool("SIGNIN_THROTTLE", True)
SIGNIN_ACCOUNT_FREE = envint("SIGNIN_ACCOUNT_FREE", 5)
SIGNIN_ADDRESS_FREE = envint("SIGNIN_ADDRESS_FREE", 30)
SIGNIN_FIRST_DELAY_SECONDS = envint("SIGNIN_FIRST_DELAY_SECONDS", 1)
SIGNIN_MAX_DELAY_MINUTES = envint("SIGNIN_MAX_DELAY_MINUTES", 15)
SIGNIN_TRUST_X_FORWARDED_FOR = envbool("SIGNIN_TRUST_X_FORWARDED_FOR", False)

# The interface's languages (docs/translating.md). English is the source language: its text is
# in the code; the others have catalogues under locale/. British English formats dates and
# numbers; a browser asking for any English gets it.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", "English"),
    ("es", "Español"),
    ("de", "Deutsch"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "tandem_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = FILE_UPLOAD_MAX_MEMORY_SIZE

# Email goes through Django's mail framework: printed to the console unless SMTP is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tandem <tandem@localhost>")
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: one file per email here.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-email"))
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)

# Vision: anonymity minimums of the understanding pulse and the nomination network, and how
# long a hazard waits at one manager before it climbs to the next.
VISION_PULSE_MINIMUM = envint("VISION_PULSE_MINIMUM", 3)
VISION_NETWORK_MINIMUM = envint("VISION_NETWORK_MINIMUM", 3)
VISION_HAZARD_ESCALATION_HOURS = envint("VISION_HAZARD_ESCALATION_HOURS", 24)

# The organisation view: fewest participants behind any figure it shows (tandem.measure.organisation).
ORGANISATION_VIEW_MINIMUM = envint("ORGANISATION_VIEW_MINIMUM", 5)

# Background work: the database queue on one machine (make worker), or Celery on RabbitMQ with
# TASKS_BACKEND=tandem.web.celery.CeleryBackend (tandem.web.celery; docs/deploy.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
CELERY_BROKER_URL = envsecret("CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
CELERY_QUEUE_PREFIX = os.environ.get("CELERY_QUEUE_PREFIX", "tandem.")
# Django's "default" task queue, the one a worker started without -Q consumes.
CELERY_TASK_DEFAULT_QUEUE = f"{CELERY_QUEUE_PREFIX}default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# A closed cycle with up to this many participants is released in the request; a larger one
# is released by a background worker, the cycle page showing how far it is.
RELEASE_AT_ONCE_UP_TO = envint("RELEASE_AT_ONCE_UP_TO", 500)

# The REST API (/api/v1/): requests per token and minute before it answers 429.
API_REQUESTS_PER_MINUTE = envint("API_REQUESTS_PER_MINUTE", 600)

# Released reports are laid out (page and PDF) by the workers, this many per task.
REPORTS_PER_TASK = envint("REPORTS_PER_TASK", 25)

# A change that queues up to this many emails sends them right after it commits; more (a large
# cycle's invitations) go to the workers in batches (tandem.outbox).
MAIL_SEND_AT_ONCE_UP_TO = envint("MAIL_SEND_AT_ONCE_UP_TO", 500)

# Shared state of the web processes (a short guard against queueing the same job twice): in
# Redis when REDIS_URL is set, as it must be with more than one web process; else in memory.
_redis = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
    if _redis
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# With a shared cache, sessions are read from it and written through to the database, so a
# signed-in request does not query the database for its session. Never with the in-memory
# cache: a session ended in one process would live on in another's memory.
if _redis:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Security: strict in production, relaxed enough for plain http on 127.0.0.1 in development.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_HTTPS_PROXY", False) else None
)
X_FRAME_OPTIONS = "DENY"

# Content security policy: own origin only; no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # WeasyPrint and fontTools narrate every PDF at INFO, which a worker logging at INFO repeats.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
