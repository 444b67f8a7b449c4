"""The one settings module. Every value comes from an environment variable with a
safe default for development; `.env.example` lists them all."""

import os
from pathlib import Path

import dj_database_url
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
    "django_tasks",
    "django_tasks_db",
    "passage.accounts",
    "passage.intake",
    "passage.cases",
    "passage.messaging",
    "passage.triage",
    "passage.web",
    "passage.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "passage.urls"
WSGI_APPLICATION = "passage.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
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
    # Server-side binding lets psycopg prepare repeated statements, so PostgreSQL plans
    # them once per connection instead of once per request (measured in benchmarks/).
    # Turn it off behind a pooler in transaction mode, which cannot keep prepared statements.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("server_side_binding", env_bool("PASSAGE_DB_SERVER_SIDE_BINDING", True))
    if options["server_side_binding"] in (True, "true", "True", "1"):
        # Django passes no threshold, which tells psycopg never to prepare; 5 is its default.
        options.setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
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

# Program definitions and rulesets: programs/<program>/program.yaml and rules.yaml.
PASSAGE_PROGRAMS_DIR = Path(os.environ.get("PASSAGE_PROGRAMS_DIR", BASE_DIR / "programs"))

# Background tasks: the django.tasks API with the database backend and its worker.
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
DEFAULT_FROM_EMAIL = os.environ.get("PASSAGE_FROM_EMAIL", "Passage <no-reply@passage.example>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("PASSAGE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Largest single document accepted through the JSON API, in bytes (base64 adds a third).
PASSAGE_MAX_DOCUMENT_BYTES = int(
    os.environ.get("PASSAGE_MAX_DOCUMENT_BYTES", str(10 * 1024 * 1024))
)
DATA_UPLOAD_MAX_MEMORY_SIZE = int(PASSAGE_MAX_DOCUMENT_BYTES * 1.4) * 4

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PASSAGE_LOG_LEVEL", "WARNING")},
}
