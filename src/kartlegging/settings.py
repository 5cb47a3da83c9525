"""Django settings, read from environment variables (see README, "Innstillinger").

KARTLEGGING_MODE is `production` (default), `demo` or `test`. Only demo and
test may run without an explicit SECRET_KEY: demo reads the key `make demo`
generated into var/, test uses a fixed key that is useless elsewhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kartlegging.env import env_bool, env_choice, env_email_url, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("KARTLEGGING_VAR_DIR") or BASE_DIR / "var")
NODE_MODULES = Path(env_str("KARTLEGGING_NODE_MODULES") or BASE_DIR / "node_modules")

MODE = env_choice("KARTLEGGING_MODE", "production", ("production", "demo", "test"))


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if MODE == "test":
        return "test-only-secret-key-not-for-any-real-use-0123456789abcdef"
    if MODE == "demo":
        key_file = VAR_DIR / "secret_key"
        if key_file.exists():
            return key_file.read_text().strip()
        raise ImproperlyConfigured(f"Demo mode needs {key_file}; run `make demo` to create it.")
    raise ImproperlyConfigured("SECRET_KEY must be set (KARTLEGGING_MODE=production).")


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if MODE != "production" else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Where respondent links point, e.g. https://kartlegging.example.no (no trailing slash).
SITE_URL = (env_str("SITE_URL") or f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")

INSTALLED_APPS = [
    "kartlegging.accounts.apps.VerifiedAdminConfig",  # django.contrib.admin behind 2FA
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "kartlegging.core",
    "kartlegging.accounts",
    "kartlegging.organisations",
    "kartlegging.questionnaires",
    "kartlegging.surveys",
    "kartlegging.responses",
    "kartlegging.analysis",
    "kartlegging.reports",
    "kartlegging.recommendations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above everything that writes the body; Django's GZip adds random padding against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "kartlegging.core.middleware.form_posts_only",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Where each staff user is signed in (their «Sikkerhet» page lists it).
    "kartlegging.accounts.sessions.track",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "kartlegging.core.middleware.no_store",
    # Last, as django-axes asks: turns a locked-out login into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kartlegging.urls"
WSGI_APPLICATION = "kartlegging.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite file by default, PostgreSQL (or any) through DATABASE_URL.
_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        # Health checks: a kept connection that died with a database restart is replaced
        # before the next request uses it, instead of answering 500.
        DATABASES = {
            "default": dj_database_url.parse(
                _database_url, conn_max_age=60, conn_health_checks=True
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "kartlegging.sqlite3",
            "OPTIONS": {
                # WAL lets the worker and the web server read while one writes;
                # IMMEDIATE takes the write lock at BEGIN so saves do not fail mid-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# No ATOMIC_REQUESTS: writes happen in explicit transactions in the services, which
# commit before the view returns, so an acknowledged save is already on disk.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "kartlegging.accounts.passwords.NotLikeTheUser"},
    {"NAME": "kartlegging.accounts.passwords.MinimumLength", "OPTIONS": {"min_length": 12}},
    {"NAME": "kartlegging.accounts.passwords.NotCommon"},
    {"NAME": "kartlegging.accounts.passwords.NotOnlyDigits"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# --- Staff login. Two-factor (TOTP) is required unless turned off; demo and test default off.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "surveys:list"
LOGOUT_REDIRECT_URL = "accounts:login"
KARTLEGGING_REQUIRE_2FA = env_bool("KARTLEGGING_REQUIRE_2FA", MODE == "production")
OTP_TOTP_ISSUER = "Kartlegging"

# Login throttling (django-axes): after five wrong passwords for an account, or from one
# address, the next attempt is refused for LOGIN_LOCKOUT_MINUTES or until an administrator
# unlocks it
# (`kartlegging axes_reset_username NAVN`, or «Access attempts» in the admin).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 6  # axes locks at the limit'th failure: five are forgiven
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kartlegging.accounts.views.locked_out"
AXES_VERBOSE = False  # no usernames or addresses in the logs; the audit log has the facts
# Behind nginx or Caddy on this machine the client's address is the one the proxy appended
# last to X-Forwarded-For; TRUSTED_PROXIES counts the proxies (0: the site is reached directly).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 1 if MODE == "production" else 0, minimum=0, maximum=5)
AXES_CLIENT_IP_CALLABLE = "kartlegging.core.throttle.client_address"
AXES_USERNAME_CALLABLE = "kartlegging.accounts.lockout.username_of"
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 12, minimum=1, maximum=24 * 14) * 3600

# --- Background work (e-mail): a database queue processed by `kartlegging worker`;
# tests run tasks at once in the same thread.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if MODE == "test"
        else "django_tasks_db.backend.DatabaseBackend"
    }
}

# A worker silent this long is dead: its running task is queued again (or failed after three
# tries), and /helse/ answers 503. A queued task waiting longer than the limit also gives 503.
WORKER_TIMEOUT_SECONDS = env_int("WORKER_TIMEOUT_SECONDS", 60, minimum=5, maximum=3600)
HEALTH_QUEUE_MAX_AGE_SECONDS = env_int("HEALTH_QUEUE_MAX_AGE_SECONDS", 600, minimum=30)

# --- Language and time: bokmål first; nynorsk can follow through locale/.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

# --- Static files: our own plus the pinned npm packages, served by WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/designsystemet", NODE_MODULES / "@digdir/designsystemet-css/dist"),
    ("vendor/inter", NODE_MODULES / "@fontsource-variable/inter"),
    ("vendor/htmx", NODE_MODULES / "htmx.org/dist"),
]
# Outside tests, file names carry a content hash (collectstatic writes them) so WhiteNoise
# can send them with a one-year immutable Cache-Control; repeat visits fetch only the HTML.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if MODE != "test"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "files"  # files beside the database; part of every backup
WHITENOISE_USE_FINDERS = MODE == "test"

# --- Security headers. No inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # respondent tokens are in URLs: never leak them
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
_https = env_bool("HTTPS", MODE == "production")
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# HSTS on https responses (Django adds it only to secure requests). Preload is a promise
# to browsers that is slow to undo, so it stays off unless asked for.
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
if _https:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- E-mail: invitations, reminders, receipts, staff invitations and password resets.
if MODE == "demo" and not (env_str("EMAIL_HOST") or env_str("EMAIL_URL")):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1, maximum=300)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kartlegging@localhost")
# EMAIL_URL (smtp://user:password@host:587?tls=1) overrides the separate variables above.
if _email_url := env_email_url("EMAIL_URL"):
    globals().update(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# --- Logging: no personal data (no e-mail addresses, no tokens) goes to logs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "kartlegging.core.logging.RedactRespondentTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines contain respondent links: route them through the redacting handler.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "weasyprint": {"level": "WARNING"},
        # The worker starts a batch every few seconds; its start/stop lines are noise.
        "django_tasks_db": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

CSRF_FAILURE_VIEW = "kartlegging.core.views.csrf_failure"
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
