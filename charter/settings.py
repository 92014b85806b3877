"""Charter's one settings module.

Built from environment variables with embedded defaults, so a fresh checkout runs with nothing
set: SQLite under ``var/``, Celery tasks run inline, email printed to the console. Setting the
variables documented in ``.env.example`` switches each part to a real service. A bad value stops
start-up with a message naming the variable (see ``charter/env.py``).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from charter.env import (
    database_from_url,
    env_bool,
    env_directory,
    env_import_path,
    env_int,
    env_list,
    env_str,
    env_url,
    redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_directory("VAR_DIR", BASE_DIR / "var")

# The development key is public; charter/checks.py refuses it whenever DEBUG is off.
DEVELOPMENT_SECRET_KEY = "django-insecure-charter-development-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
DEBUG = env_bool("DEBUG", default=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "charter",
    "signatories",
    "pledges",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above whitenoise, so that static files (an SVG opened on its own, say) carry the policies too.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "charter.security.StaffTwoFactorMiddleware",
    "charter.security.StaffSessionMiddleware",
]

ROOT_URLCONF = "charter.urls"
# Project templates may override Django's form templates (templates/django/forms/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "charter.wsgi.application"

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
                "charter.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite under var/ by default; PostgreSQL (psycopg 3) when DATABASE_URL is set.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url("DATABASE_URL", DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "charter.sqlite3",
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "charter",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts (django-allauth) --------------------------------------------------------------
AUTH_USER_MODEL = "charter.User"
# Django's and allauth's backends, reading the user with the navigation's two questions in one
# query (charter/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "charter.auth_backends.ModelBackend",
    "charter.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "charter.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Charter] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's rate limits are on by default; we name them so nobody switches them off unawares.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Charter"
MFA_ADAPTER = "charter.adapters.MFAAdapter"
# Charter staff must have an authenticator app before any staff page or the admin opens
# (charter/security.py). Switching it off is for local development only: the system check
# charter.E002 refuses it whenever DEBUG is off.
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", default=True)
# A staff session ends after a working day without a request; everyone else keeps Django's
# SESSION_COOKIE_AGE (two weeks).
STAFF_SESSION_IDLE_SECONDS = 8 * 60 * 60

# --- Email ----------------------------------------------------------------------------------
# Console by default; SMTP once EMAIL_HOST is set; EMAIL_BACKEND overrides both (the worker test
# uses the file backend so a separate process can be checked).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Charter <hello@charter.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25 if not EMAIL_HOST else 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
# Port 587 is the submission port, which expects STARTTLS.
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
# Imported here, so that a misspelt backend stops start-up rather than the first email.
EMAIL_BACKEND = env_import_path(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)

# --- Celery ---------------------------------------------------------------------------------
# Without a broker every task runs inline in the calling process (the embedded default).
CELERY_BROKER_URL = redis_url("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# The queue tasks go to when nobody names one. Tests and benchmarks give each run a queue of its
# own so that their workers never take each other's tasks on a shared Redis.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE") or "celery"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/London"
# Reliability, each for a reason:
# - acks_late: a task is acknowledged only after it finishes, so a worker that dies mid-task
#   leaves it on the queue to be run again (every task is idempotent: services claim work first).
CELERY_TASK_ACKS_LATE = True
# - reject_on_worker_lost: with acks_late, a task whose worker process was killed (OOM, SIGKILL)
#   is re-queued instead of being acknowledged as failed.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# - prefetch 1: a worker reserves one task at a time, so long tasks do not hold others hostage
#   and a dying worker takes at most one unacknowledged task with it.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# - time limits: no task may run forever; the visibility timeout below must exceed the hard limit.
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 15 * 60
# - visibility_timeout: Redis re-delivers an unacknowledged task after this long. It must be
#   longer than any task can run (the hard limit above), or a slow task would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
# Periodic jobs (celery beat; README lists them). The reminder sweep works out what is due from
# the data, not from when it last ran, so any frequency is correct: every 5 minutes keeps the
# 15-minute requeue of stuck deliveries prompt without loading the database.
CELERY_BEAT_SCHEDULE: dict = {
    "reminders-sweep": {"task": "pledges.tasks.reminders_sweep", "schedule": 5 * 60},
}

# --- Reminders -------------------------------------------------------------------------------
# A reminder whose SMTP send fails is retried after BASE × 2^(attempt − 1) seconds (60, 120,
# 240, …) and marked failed after MAX attempts; staff may then retry it once from the log.
REMINDER_RETRY_BASE_SECONDS = env_int("REMINDER_RETRY_BASE_SECONDS", 60, minimum=1)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 4, minimum=1, maximum=20)

# --- Public directory ------------------------------------------------------------------------
# How long (seconds) each process may reuse its last look at whether any signatory changed
# before checking the database again: cached directory pages then cost no query. A change shows
# within this time. 0 checks on every request.
DIRECTORY_VERSION_MAX_AGE = float(env_int("DIRECTORY_VERSION_MAX_AGE_MS", 1000) / 1000)

# The same for the published benchmark reports (reports.open_data): how long each process may
# reuse its last look at which version of a year is published. A correction shows within it.
REPORTS_PUBLISHED_MAX_AGE = float(env_int("REPORTS_PUBLISHED_MAX_AGE_MS", 1000) / 1000)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files while developing so that no
        # collectstatic is needed before runserver or the tests.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# --- Security -------------------------------------------------------------------------------
# Secure by default whenever DEBUG is off, so `check --deploy` is clean in production; each can
# be relaxed from the environment (for example behind a proxy that already redirects to HTTPS).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4), on every response: scripts, styles, images and fonts
# from this site only, nothing inline, no plugins, no framing, forms post only here. Templates
# therefore carry no style="", <style>, <script> body or on*= handler: CSS goes in static/css,
# JavaScript in static/js. An inline script that cannot be avoided takes a nonce
# (nonce="{{ request.csp_nonce }}"), which adds 'nonce-…' to script-src for that response only.
# Uploaded files (charter/media.py) keep their own, stricter, sandboxing policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],  # htmx's requests
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# Permissions-Policy (django-permissions-policy): the site uses none of these browser features, so
# no page, nor anything injected into one, may ask for them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL={LOG_LEVEL!r} is not a log level: use DEBUG, INFO, WARNING, ERROR or CRITICAL."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint and fontTools narrate every layout step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
