"""The one settings module. Every value comes from an environment variable with a
safe default for development; `.env.example` lists them all."""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
# A .env file fills in what the environment does not set; the environment wins.
load_dotenv(BASE_DIR / ".env")


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("PASSAGE_DEBUG", False)
SECRET_KEY = os.environ.get("PASSAGE_SECRET_KEY", "insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("PASSAGE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("PASSAGE_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # django-ninja: its own copy of Swagger UI for the API docs page, not a CDN's.
    "ninja",
    "passage.accounts",
    "passage.intake",
    "passage.cases",
    "passage.outbox",
    "passage.triage",
    "passage.letters",
    "passage.conversations",
    "passage.tracker",
    "passage.residence",
    "passage.workbench",
    "passage.continuity",
    "passage.paperforms",
    "passage.correspondence",
    "passage.jobs",
    "passage.web",
    "passage.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files are ours and need no policy of their own.
    "csp.middleware.CSPMiddleware",
    "passage.web.middleware.PermissionsPolicyMiddleware",
    # Outside every part that reads the database: a 503 page in place of its 500.
    "passage.web.unavailable.ServiceUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "passage.accounts.middleware.SessionTimeoutMiddleware",
    "passage.accounts.middleware.PageGateMiddleware",
    "passage.web.middleware.RequestLimitsMiddleware",
    "passage.api.middleware.JsonErrorsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "passage.urls"
WSGI_APPLICATION = "passage.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# Django's own, with the reads done on every signed-in request written out once.
AUTHENTICATION_BACKENDS = ["passage.accounts.backends.AccountBackend"]
SESSION_ENGINE = "passage.accounts.sessions"
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

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
                "passage.web.context_processors.language_toggle",
            ],
        },
    },
]

# Seconds: opening a PostgreSQL connection; a statement, before the server cancels it; and
# any wait for the server, before the connection is cut off (a little longer than a
# statement, so the server's own cancel comes first when it can).
PASSAGE_DB_CONNECT_TIMEOUT = int(os.environ.get("PASSAGE_DB_CONNECT_TIMEOUT", "5"))
PASSAGE_DB_STATEMENT_TIMEOUT = float(os.environ.get("PASSAGE_DB_STATEMENT_TIMEOUT", "10"))
PASSAGE_DB_CALL_TIMEOUT = float(
    os.environ.get("PASSAGE_DB_CALL_TIMEOUT", str(PASSAGE_DB_STATEMENT_TIMEOUT + 3))
)

# Databases. SQLite in var/ is the embedded default; PostgreSQL through DATABASE_URL.
VAR_DIR = BASE_DIR / os.environ.get("PASSAGE_VAR_DIR", "var")  # relative to the project
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'passage.sqlite3'}"),
        conn_max_age=None,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock
        # at BEGIN so two writers queue instead of failing on a lock upgrade.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a deadline on every wait for the server (passage/postgresql).
    DATABASES["default"]["ENGINE"] = "passage.postgresql"
    # A request, or a worker's pass, never waits long on a database that does not answer:
    # a connection opens within PASSAGE_DB_CONNECT_TIMEOUT, the server cancels a statement
    # after PASSAGE_DB_STATEMENT_TIMEOUT, and a call still waiting a little after that (a
    # frozen server cancels nothing) is cut off (PASSAGE_DB_CALL_TIMEOUT). Dead peers are
    # noticed by TCP keepalives. Workers with long statements (routing, re-triage, audit
    # checkpoints) set larger values in their environment.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", PASSAGE_DB_CONNECT_TIMEOUT)
    options.setdefault(
        "options",
        f"-c statement_timeout={int(PASSAGE_DB_STATEMENT_TIMEOUT * 1000)} "
        f"-c idle_in_transaction_session_timeout={int(PASSAGE_DB_STATEMENT_TIMEOUT * 6000)}",
    )
    options.setdefault("keepalives", 1)
    options.setdefault("keepalives_idle", 30)
    options.setdefault("keepalives_interval", 10)
    options.setdefault("keepalives_count", 3)
    # Server-side binding lets psycopg prepare repeated statements, so PostgreSQL plans
    # them once per connection instead of once per request (measured in benchmarks/).
    # Turn it off behind a pooler in transaction mode, which cannot keep prepared statements.
    options.setdefault("server_side_binding", env_bool("PASSAGE_DB_SERVER_SIDE_BINDING", True))
    if options["server_side_binding"] in (True, "true", "True", "1"):
        # Django passes no threshold, which tells psycopg never to prepare; 5 is its default.
        options.setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords after NIST SP 800-63B: long enough, not too long to allow passphrases, not on
# a list of breached or common passwords, not the person's name or email; no rules on
# which kinds of character, and no forced changes.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "passage.accounts.passwords.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "passage.accounts.passwords.BreachedPasswordValidator"},
]

# Languages: English and French, equally, under /en/ and /fr/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
PASSAGE_DISPLAY_TIME_ZONE = os.environ.get("PASSAGE_DISPLAY_TIME_ZONE", "America/Toronto")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "passage" / "web" / "vendor"]
STORAGES = {
    "default": {
        "BACKEND": "passage.intake.storage.DurableFileSystemStorage",
        "OPTIONS": {"location": BASE_DIR / os.environ.get("PASSAGE_MEDIA_ROOT", VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Virus scanning of uploaded documents: the dotted path of a callable that takes the
# bytes and returns None when they are clean, or a reason. The default scans nothing.
PASSAGE_VIRUS_SCANNER = os.environ.get("PASSAGE_VIRUS_SCANNER", "passage.intake.scanning.no_scan")

# Program definitions and rulesets: programs/<program>/program.yaml and rules.yaml.
PASSAGE_PROGRAMS_DIR = Path(os.environ.get("PASSAGE_PROGRAMS_DIR", BASE_DIR / "programs"))

# The audit log (docs/operations.md, "Auditing"): the keys of the case event chain, as
# comma-separated id:hex entries, the current one first (unset: a key derived from
# PASSAGE_SECRET_KEY); where signed checkpoints of every case's chain head are written
# (append-only storage outside the database) with the key that signs them, and the public
# key that verifies them; seconds between checkpoints, and days between full ones.
PASSAGE_AUDIT_KEYS = os.environ.get("PASSAGE_AUDIT_KEYS", "")
# Relative paths are from the project, as for PASSAGE_VAR_DIR.
PASSAGE_AUDIT_CHECKPOINT_DIR = BASE_DIR / os.environ.get(
    "PASSAGE_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit" / "checkpoints"
)
PASSAGE_AUDIT_SIGNING_KEY_FILE = BASE_DIR / os.environ.get(
    "PASSAGE_AUDIT_SIGNING_KEY_FILE", VAR_DIR / "audit" / "signing-key.pem"
)
PASSAGE_AUDIT_VERIFY_KEY_FILE = BASE_DIR / os.environ.get(
    "PASSAGE_AUDIT_VERIFY_KEY_FILE", VAR_DIR / "audit" / "verify-key.pem"
)
PASSAGE_AUDIT_CHECKPOINT_INTERVAL = int(os.environ.get("PASSAGE_AUDIT_CHECKPOINT_INTERVAL", "3600"))
PASSAGE_AUDIT_FULL_CHECKPOINT_DAYS = int(os.environ.get("PASSAGE_AUDIT_FULL_CHECKPOINT_DAYS", "7"))

# Background tasks: the django.tasks API with the database backend and its worker.
# The share of routine (tier 1) files that also go to blind officer review, 0 to 1.
PASSAGE_BLIND_REVIEW_SHARE = float(os.environ.get("PASSAGE_BLIND_REVIEW_SHARE", "0.05"))

# The task worker (`passage task_worker`): how often a worker says it is alive, how long
# one may stay quiet before the job it holds is queued again (jobs are idempotent), how
# often the workers look for such jobs and for submitted files that no triage job will
# reach, how old such a file must be, and how many failed triage jobs a file may have
# before it waits for a supervisor's retry.
PASSAGE_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("PASSAGE_WORKER_HEARTBEAT_SECONDS", "5"))
PASSAGE_WORKER_LEASE_SECONDS = float(os.environ.get("PASSAGE_WORKER_LEASE_SECONDS", "60"))
PASSAGE_JOB_SWEEP_SECONDS = float(os.environ.get("PASSAGE_JOB_SWEEP_SECONDS", "30"))
PASSAGE_TRIAGE_SWEEP_AFTER_SECONDS = float(
    os.environ.get("PASSAGE_TRIAGE_SWEEP_AFTER_SECONDS", "120")
)
PASSAGE_TRIAGE_MAX_ATTEMPTS = int(os.environ.get("PASSAGE_TRIAGE_MAX_ATTEMPTS", "3"))

# The intake spool (passage/continuity/spool/): where an API submission that cannot reach
# the database is kept until `passage replay_spool` files it. "journal" (the default) is an
# append-only file journal on this server's disk; an amqp:// URL is RabbitMQ, shared by
# several web servers; "off" answers 503 as before. The replayer looks every
# PASSAGE_SPOOL_REPLAY_INTERVAL seconds.
PASSAGE_SPOOL = os.environ.get("PASSAGE_SPOOL", "journal")
PASSAGE_SPOOL_DIR = BASE_DIR / os.environ.get("PASSAGE_SPOOL_DIR", VAR_DIR / "spool")
PASSAGE_SPOOL_QUEUE = os.environ.get("PASSAGE_SPOOL_QUEUE", "passage.intake-spool")
PASSAGE_SPOOL_REPLAY_INTERVAL = float(os.environ.get("PASSAGE_SPOOL_REPLAY_INTERVAL", "5"))

# Where the static copy of the public status page is written on every change to the outage
# register (`passage write_status_copy` writes it too), for the web server to serve when
# Passage cannot answer (deploy/nginx.conf).
PASSAGE_STATUS_DIR = BASE_DIR / os.environ.get("PASSAGE_STATUS_DIR", VAR_DIR / "status")

# Seconds between routing runs queued by `passage route --every`.
PASSAGE_ROUTING_INTERVAL = int(os.environ.get("PASSAGE_ROUTING_INTERVAL", "300"))
# Seconds between passes of relief by rule (`passage relieve --every`).
PASSAGE_RELIEF_INTERVAL = int(os.environ.get("PASSAGE_RELIEF_INTERVAL", "600"))
# The dated relief thresholds (which outages give relief, and the grace): the ones
# published with Passage unless a department publishes its own.
PASSAGE_RELIEF_THRESHOLDS = BASE_DIR / os.environ.get(
    "PASSAGE_RELIEF_THRESHOLDS", "passage/calendar/relief.yaml"
)

TASKS = {
    "default": {
        "BACKEND": os.environ.get("PASSAGE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

EMAIL_BACKEND = os.environ.get(
    "PASSAGE_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("PASSAGE_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("PASSAGE_EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("PASSAGE_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PASSAGE_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PASSAGE_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("PASSAGE_EMAIL_USE_SSL", False)
# Seconds before a silent mail server counts as down: each wait for its answer ends then.
EMAIL_TIMEOUT = int(os.environ.get("PASSAGE_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("PASSAGE_FROM_EMAIL", "Passage <no-reply@passage.example>")
# Client email coming in (passage mail serve | fetch | process). The department's address
# clients write to; the receiver's host and port; the largest message kept (a bigger one
# is refused at SMTP with 552, so the sender's server tells them); acknowledgements sent to
# one sender in a day, so that no mail loop can run; the probability from which an email
# goes straight to its team (empty: the model's own, written by `passage mail train`); and
# the team of each category, as JSON ({"complaint": "client-relations", ...}).
PASSAGE_MAIL_ADDRESS = os.environ.get("PASSAGE_MAIL_ADDRESS", "clients@passage.example")
PASSAGE_MAIL_HOST = os.environ.get("PASSAGE_MAIL_HOST", "127.0.0.1")
PASSAGE_MAIL_PORT = int(os.environ.get("PASSAGE_MAIL_PORT", "2525"))
PASSAGE_MAIL_MAX_BYTES = int(os.environ.get("PASSAGE_MAIL_MAX_BYTES", str(30 * 1024 * 1024)))
# The authserv-id of the department's mail server, which checks each message's sender
# (SPF, DKIM, DMARC) and stamps an Authentication-Results header, removing any the sender
# wrote. Set it in production: an email whose sender did not pass DMARC is flagged to
# officers, and its attachments cannot be filed as the client's answer. Empty: unchecked.
PASSAGE_MAIL_AUTHSERV_ID = os.environ.get("PASSAGE_MAIL_AUTHSERV_ID", "")
# Attachments checked and kept from one email; the others are named as refused.
PASSAGE_MAIL_MAX_ATTACHMENTS = int(os.environ.get("PASSAGE_MAIL_MAX_ATTACHMENTS", "20"))
PASSAGE_MAIL_ACKNOWLEDGEMENTS_PER_SENDER_PER_DAY = int(
    os.environ.get("PASSAGE_MAIL_ACKNOWLEDGEMENTS_PER_SENDER_PER_DAY", "3")
)
PASSAGE_MAIL_AUTO_THRESHOLD = (
    float(os.environ["PASSAGE_MAIL_AUTO_THRESHOLD"])
    if os.environ.get("PASSAGE_MAIL_AUTO_THRESHOLD")
    else None
)
PASSAGE_MAIL_TEAMS: dict[str, str] = json.loads(os.environ.get("PASSAGE_MAIL_TEAMS", "{}"))
# The service standard for answering client email, in business days from the day it came
# in; urgent travel has its own. The correspondence queues show each email's age against it.
PASSAGE_MAIL_SERVICE_STANDARD_DAYS = int(os.environ.get("PASSAGE_MAIL_SERVICE_STANDARD_DAYS", "5"))
PASSAGE_MAIL_URGENT_STANDARD_DAYS = int(os.environ.get("PASSAGE_MAIL_URGENT_STANDARD_DAYS", "1"))
# A mailbox to fetch client email from over IMAP (passage mail fetch), for a department
# whose mail lives on another server; messages read are moved to PASSAGE_MAIL_IMAP_DONE.
PASSAGE_MAIL_IMAP_HOST = os.environ.get("PASSAGE_MAIL_IMAP_HOST", "")
PASSAGE_MAIL_IMAP_PORT = int(os.environ.get("PASSAGE_MAIL_IMAP_PORT", "993"))
PASSAGE_MAIL_IMAP_SSL = env_bool("PASSAGE_MAIL_IMAP_SSL", True)
PASSAGE_MAIL_IMAP_USER = os.environ.get("PASSAGE_MAIL_IMAP_USER", "")
PASSAGE_MAIL_IMAP_PASSWORD = os.environ.get("PASSAGE_MAIL_IMAP_PASSWORD", "")
PASSAGE_MAIL_IMAP_FOLDER = os.environ.get("PASSAGE_MAIL_IMAP_FOLDER", "INBOX")
PASSAGE_MAIL_IMAP_DONE = os.environ.get("PASSAGE_MAIL_IMAP_DONE", "Passage")
# Email delivery from the outbox (passage deliver_email): rows claimed per batch, how often
# the worker looks for due rows, and retries: the wait doubles from the base up to the cap,
# and after the maximum number of attempts the row is marked failed (retry it in the admin).
PASSAGE_EMAIL_BATCH_SIZE = int(os.environ.get("PASSAGE_EMAIL_BATCH_SIZE", "10"))
PASSAGE_EMAIL_DELIVERY_INTERVAL = int(os.environ.get("PASSAGE_EMAIL_DELIVERY_INTERVAL", "5"))
PASSAGE_EMAIL_MAX_ATTEMPTS = int(os.environ.get("PASSAGE_EMAIL_MAX_ATTEMPTS", "20"))
PASSAGE_EMAIL_RETRY_BASE_SECONDS = int(os.environ.get("PASSAGE_EMAIL_RETRY_BASE_SECONDS", "60"))
PASSAGE_EMAIL_RETRY_CAP_SECONDS = int(os.environ.get("PASSAGE_EMAIL_RETRY_CAP_SECONDS", "3600"))
# Seconds an email may stay "sending" before its worker counts as dead and the row is put
# back to pending (it may have gone out once already). Sending one email takes at most a
# few waits of EMAIL_TIMEOUT, so keep it above five of them.
PASSAGE_EMAIL_SENDING_LEASE_SECONDS = int(
    os.environ.get("PASSAGE_EMAIL_SENDING_LEASE_SECONDS", str(max(60, 5 * EMAIL_TIMEOUT)))
)
# The public address of the site, for the links in emails (never taken from a request).
PASSAGE_SITE_URL = os.environ.get("PASSAGE_SITE_URL", "http://127.0.0.1:8000")
# The probes (`passage probe`): where they reach the site (its public address unless set),
# seconds between passes, how long a component must fail on every probe before they open
# an incident, the timeout of each HTTP or SMTP exchange, and days of results kept.
PASSAGE_PROBE_BASE_URL = os.environ.get("PASSAGE_PROBE_BASE_URL", PASSAGE_SITE_URL)
PASSAGE_PROBE_INTERVAL = float(os.environ.get("PASSAGE_PROBE_INTERVAL", "60"))
PASSAGE_PROBE_OPEN_AFTER = float(os.environ.get("PASSAGE_PROBE_OPEN_AFTER", "180"))
PASSAGE_PROBE_TIMEOUT = float(os.environ.get("PASSAGE_PROBE_TIMEOUT", "5"))
PASSAGE_PROBE_KEEP_DAYS = int(os.environ.get("PASSAGE_PROBE_KEEP_DAYS", "7"))

# Sessions end after PASSAGE_SESSION_IDLE_MINUTES without a request, and in any case
# PASSAGE_SESSION_ABSOLUTE_HOURS after sign-in (passage.accounts.middleware).
PASSAGE_SESSION_IDLE_MINUTES = int(os.environ.get("PASSAGE_SESSION_IDLE_MINUTES", "30"))
PASSAGE_SESSION_ABSOLUTE_HOURS = int(os.environ.get("PASSAGE_SESSION_ABSOLUTE_HOURS", "12"))
SESSION_COOKIE_AGE = PASSAGE_SESSION_ABSOLUTE_HOURS * 3600

# Sign-in lockout: PASSAGE_SIGN_IN_MAX_FAILURES failures for one account name within
# PASSAGE_SIGN_IN_LOCK_MINUTES lock that name for as long; an address that fails
# PASSAGE_SIGN_IN_MAX_FAILURES_PER_IP times in that window is refused as long.
PASSAGE_SIGN_IN_MAX_FAILURES = int(os.environ.get("PASSAGE_SIGN_IN_MAX_FAILURES", "5"))
PASSAGE_SIGN_IN_MAX_FAILURES_PER_IP = int(
    os.environ.get("PASSAGE_SIGN_IN_MAX_FAILURES_PER_IP", "30")
)
PASSAGE_SIGN_IN_LOCK_MINUTES = int(os.environ.get("PASSAGE_SIGN_IN_LOCK_MINUTES", "15"))

# How long the link in a sign-up email works.
PASSAGE_EMAIL_VERIFICATION_HOURS = int(os.environ.get("PASSAGE_EMAIL_VERIFICATION_HOURS", "24"))
# Sign-up: how many account emails (verification or "you already have an account") an
# address may receive in an hour (more sign-ups get the same page and no email), and how
# many sign-ups one client address may send in an hour (more are refused with a 429).
PASSAGE_SIGN_UP_EMAILS_PER_HOUR = int(os.environ.get("PASSAGE_SIGN_UP_EMAILS_PER_HOUR", "3"))
PASSAGE_SIGN_UPS_PER_CLIENT_ADDRESS_PER_HOUR = int(
    os.environ.get("PASSAGE_SIGN_UPS_PER_CLIENT_ADDRESS_PER_HOUR", "10")
)
# Password reset: how long the emailed link works, and how many such emails an address
# may receive in an hour (more requests get the same answer and no email).
PASSWORD_RESET_TIMEOUT = 60 * int(os.environ.get("PASSAGE_PASSWORD_RESET_MINUTES", "60"))
PASSAGE_PASSWORD_RESET_EMAILS_PER_HOUR = int(
    os.environ.get("PASSAGE_PASSWORD_RESET_EMAILS_PER_HOUR", "3")
)

# Linking a case to an account (passage.tracker.linking): the emailed code's lifetime and
# tries, and how many codes an hour a person may ask for, and a case or address receive.
PASSAGE_LINK_CODE_MINUTES = int(os.environ.get("PASSAGE_LINK_CODE_MINUTES", "10"))
PASSAGE_LINK_CODE_TRIES = int(os.environ.get("PASSAGE_LINK_CODE_TRIES", "5"))
PASSAGE_LINK_REQUESTS_PER_PERSON = int(os.environ.get("PASSAGE_LINK_REQUESTS_PER_PERSON", "10"))
PASSAGE_LINK_CODES_PER_CASE = int(os.environ.get("PASSAGE_LINK_CODES_PER_CASE", "3"))
PASSAGE_LINK_CODES_PER_ADDRESS = int(os.environ.get("PASSAGE_LINK_CODES_PER_ADDRESS", "5"))
# Processing-time estimates: finalised cases decided in this many recent days, and the
# fewest such cases an estimate needs before it replaces the service standard.
PASSAGE_ESTIMATE_WINDOW_DAYS = int(os.environ.get("PASSAGE_ESTIMATE_WINDOW_DAYS", "180"))
PASSAGE_ESTIMATE_MINIMUM_CASES = int(os.environ.get("PASSAGE_ESTIMATE_MINIMUM_CASES", "20"))

# Multi-factor authentication (django-otp): the issuer name shown in authenticator apps.
OTP_TOTP_ISSUER = os.environ.get("PASSAGE_MFA_ISSUER", "Passage")

# HTTPS, security headers and cookies (docs/operations.md, "Security headers").
# Cookies travel over HTTPS only whenever debug is off; PASSAGE_SECURE_COOKIES overrides.
SESSION_COOKIE_SECURE = env_bool("PASSAGE_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie (forms carry the token, and so does the API docs
# page), so keeping it from scripts costs nothing; it protects little, as a script running
# in the page could read the token from a form.
CSRF_COOKIE_HTTPONLY = True
# A form that fails the CSRF check gets the site's error page, in its language.
CSRF_FAILURE_VIEW = "passage.web.error_pages.csrf_failure"
# HSTS: a browser that reached the site over HTTPS refuses plain HTTP to it for this long.
# Django sends it on HTTPS requests only: behind a proxy that ends TLS, it needs the proxy
# header below. Preloading is a promise that is hard to take back: off unless chosen.
SECURE_HSTS_SECONDS = int(
    os.environ.get("PASSAGE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PASSAGE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("PASSAGE_HSTS_PRELOAD", False)
# Behind a proxy that ends TLS, Django sees plain HTTP unless it trusts the proxy to say
# otherwise. Only a proxy that always overwrites X-Forwarded-Proto may be trusted: where a
# client's own header reaches Django, a client could claim HTTPS on plain HTTP.
if env_bool("PASSAGE_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# TLS usually ends at the proxy, which redirects plain HTTP itself.
SECURE_SSL_REDIRECT = env_bool("PASSAGE_SSL_REDIRECT", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Addresses carry case ids: other sites get no referrer at all.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of Passage uses, turned off for every page and anything it might
# embed (passage.web.middleware). Only names Chromium knows: it ignores the others. WebAuthn
# stays allowed for the second factor to come (docs/adr/0008).
PASSAGE_PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
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
# Content Security Policy (django-csp): everything from this origin only, no inline script
# and no eval, no plugins, no framing. One exception, for styles: the design system's
# components (Stencil) add a <style> element to the page (hiding components until they have
# drawn), with the nonce that base.html gives them in <meta name="csp-nonce">. Scripts get
# no nonce, so a leaked one unlocks styles only. The API docs page adds data: images
# (passage/api/docs.py). The admin runs under this policy as it is.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Seconds a person or client is asked to wait (Retry-After) when a part of Passage is
# briefly out of reach (the database, the document storage).
PASSAGE_RETRY_AFTER_SECONDS = int(os.environ.get("PASSAGE_RETRY_AFTER_SECONDS", "5"))

# Largest single document accepted through the JSON API, in bytes (base64 adds a third).
PASSAGE_MAX_DOCUMENT_BYTES = int(
    os.environ.get("PASSAGE_MAX_DOCUMENT_BYTES", str(10 * 1024 * 1024))
)
# The most a request may declare, in bytes, refused (413) before it is read: one that can
# carry documents (a multipart form, an API submission with its documents in base64), a
# batch for the triage API, and any other.
PASSAGE_MAX_UPLOAD_REQUEST_BYTES = int(
    os.environ.get("PASSAGE_MAX_UPLOAD_REQUEST_BYTES", str(64 * 1024 * 1024))
)
PASSAGE_MAX_BATCH_REQUEST_BYTES = int(
    os.environ.get("PASSAGE_MAX_BATCH_REQUEST_BYTES", str(16 * 1024 * 1024))
)
PASSAGE_MAX_REQUEST_BYTES = int(os.environ.get("PASSAGE_MAX_REQUEST_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = PASSAGE_MAX_UPLOAD_REQUEST_BYTES
# The program answers of one application, as JSON, in bytes.
PASSAGE_MAX_ANSWERS_BYTES = int(os.environ.get("PASSAGE_MAX_ANSWERS_BYTES", str(64 * 1024)))

# Request rates (accounts/throttling.py): writes past these, per minute, are answered 429
# with Retry-After. Sign-in steps and code guesses per client address; requests that make
# the service send a code or link (sign-up, password reset, case linking) per address;
# every other write per address, and per person or API token.
PASSAGE_RATE_LIMITS = env_bool("PASSAGE_RATE_LIMITS", True)
PASSAGE_RATE_SIGN_INS_PER_MINUTE = int(os.environ.get("PASSAGE_RATE_SIGN_INS_PER_MINUTE", "20"))
PASSAGE_RATE_CODE_REQUESTS_PER_MINUTE = int(
    os.environ.get("PASSAGE_RATE_CODE_REQUESTS_PER_MINUTE", "10")
)
PASSAGE_RATE_WRITES_PER_MINUTE = int(os.environ.get("PASSAGE_RATE_WRITES_PER_MINUTE", "300"))
# Paper forms filled in and printed without an account (each costs a PDF), and eCOPRs
# checked on the public verification page (each costs a rendering), per address.
PASSAGE_RATE_FORM_PRINTS_PER_MINUTE = int(
    os.environ.get("PASSAGE_RATE_FORM_PRINTS_PER_MINUTE", "20")
)
PASSAGE_RATE_CLIENT_WRITES_PER_MINUTE = int(
    os.environ.get("PASSAGE_RATE_CLIENT_WRITES_PER_MINUTE", "60")
)
# Largest image accepted, in pixels (width times height), checked before it is decoded.
PASSAGE_MAX_IMAGE_PIXELS = int(os.environ.get("PASSAGE_MAX_IMAGE_PIXELS", "50000000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PASSAGE_LOG_LEVEL", "WARNING")},
    # pyHanko logs a warning with a traceback for every forged or altered eCOPR someone
    # checks on the public page: the verdict says it, the logs need not.
    "loggers": {"pyhanko": {"level": "ERROR"}, "pyhanko_certvalidator": {"level": "ERROR"}},
}

# Confirmation of permanent residence (passage.residence). The photo limits (empty: the
# file shipped with the checks, `passage/photos/limits.yaml`, each limit with its source).
PASSAGE_PHOTO_LIMITS_FILE = os.environ.get("PASSAGE_PHOTO_LIMITS_FILE", "")
# The department's eCOPR keys: a folder with the root certificate verifiers trust, the
# signing key and certificate, and the time-stamping authority's (`passage/ecopr/keys.py`
# names the files). With PASSAGE_ECOPR_DEVELOPMENT_KEYS, a development set is made there
# the first time it is needed; in production, put the department's own files there and set
# it to false, so that a missing key stops issuing instead of signing with a stray one.
PASSAGE_ECOPR_KEY_DIR = Path(os.environ.get("PASSAGE_ECOPR_KEY_DIR", str(VAR_DIR / "ecopr-keys")))
PASSAGE_ECOPR_DEVELOPMENT_KEYS = env_bool("PASSAGE_ECOPR_DEVELOPMENT_KEYS", True)
# An RFC 3161 time-stamping service for the signatures (empty: the development authority
# made from the key folder).
PASSAGE_ECOPR_TIMESTAMP_URL = os.environ.get("PASSAGE_ECOPR_TIMESTAMP_URL", "")
