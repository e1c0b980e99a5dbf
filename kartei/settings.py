"""Kartei settings: one file, configured by environment variables (see docs/deploy.md)."""

import os
import secrets
import tempfile
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
env = environ.Env()

DATA_DIR = Path(env.str("KARTEI_DATA_DIR", default=str(Path.cwd() / "var")))
# The data directory holds the customer file: only the user Kartei runs as may read what Kartei creates in it.
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
DATA_DIR.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data directory."""
    if env.str("SECRET_KEY", default=""):
        return env.str("SECRET_KEY")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Private from the moment it exists, not chmod-ed afterwards; O_EXCL: two first starts write one key.
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE), "w") as file:
                file.write(secrets.token_urlsafe(50))
        except FileExistsError:
            pass
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_countries",
    "django_htmx",
    "template_partials",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "kartei.core",
    "kartei.accounts",
    "kartei.timeline",
    "kartei.customers",
    "kartei.transfer",
    "kartei.catalog",
    "kartei.orders",
    "kartei.portal",
    "kartei.messaging",
    "kartei.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kartei.accounts.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kartei.urls"
WSGI_APPLICATION = "kartei.wsgi.application"

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
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "kartei.timeline.context_processors.mentions_unread",
                "kartei.messaging.context_processors.replies_unread",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# Database: SQLite in the data directory unless DATABASE_URL names another one.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'kartei.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite makes a new database (and its -wal and -shm files, which copy its mode) readable by all.
    _database = Path(DATABASES["default"]["NAME"])
    if str(_database) != ":memory:" and not _database.exists() and _database.parent.is_dir():
        os.close(os.open(_database, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server and the task worker write side by side; reads go through memory-mapped
        # pages (up to 1 GiB) and a 64 MiB cache per connection.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory: the browser tests' live server answers from several threads at once.
    # One file per test process, so parallel test runs never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"kartei-test-{os.getpid()}.sqlite3")}
# Connections are kept open between requests: a new one costs a connect (PostgreSQL) or a fresh page cache and
# schema read (SQLite), a fifth of a quick-order page's time.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (rate limits, sessions' neighbours): Redis when REDIS_URL is set, else the database.
if env.str("REDIS_URL", default=""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.str("REDIS_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kartei_cache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Invitation links (staff choose their first password) work this long, and until they are used.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "customers:list"
LOGOUT_REDIRECT_URL = "login"
# Log-in lock-out: after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair waits
# 15 minutes, counted from the last failure before the lock-out (trying on does not make it longer). Others
# trying the same username elsewhere, or other usernames from the same address, are not locked out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "kartei.accounts.client.client_address"
# How many proxies in front of Kartei append the visitor's address to X-Forwarded-For (1 behind one TLS
# proxy); 0 reads the connection's address and ignores the header.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Mail (staff invitations): smtp://user:password@host:587, smtp+tls://…, smtp+ssl://…; console by default.
# Unset parts (None) keep Django's defaults (localhost, port 25).
globals().update({k: v for k, v in env.email_url("EMAIL_URL", default="consolemail://").items() if v is not None})
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kartei <kartei@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German")), ("pl", _("Polish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kartei.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(mode=PRIVATE_DIR, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Files attached to notes and comments: outside MEDIA_ROOT, served only by timeline.views.attachment.
KARTEI_ATTACHMENTS_ROOT = DATA_DIR / "attachments"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come straight from the apps' static folders; no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = PRIVATE_FILE  # customers' pictures
FILE_UPLOAD_DIRECTORY_PERMISSIONS = PRIVATE_DIR

SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS (a TLS proxy in front of `kartei serve`), set HTTPS=true: secure cookies, HSTS, redirects.
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
if not HTTPS:
    # Plain HTTP on one box or a LAN is the default; these checks only make sense with HTTPS=true.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

# Kartei's own settings.
KARTEI_DEFAULT_COUNTRY = env.str("KARTEI_DEFAULT_COUNTRY", default="DE")
# The business's own currency: new customers' preferred currency, and the currency of products' base prices.
KARTEI_DEFAULT_CURRENCY = env.str("KARTEI_DEFAULT_CURRENCY", default="EUR")
# The business's name, on order confirmations and the pages customers see.
KARTEI_BUSINESS_NAME = env.str("KARTEI_BUSINESS_NAME", default="Kartei")
# The address of the business's logo (an image on this site or another: https://…), beside its name.
KARTEI_BUSINESS_LOGO = env.str("KARTEI_BUSINESS_LOGO", default="")
if KARTEI_BUSINESS_LOGO.startswith("https://"):  # a logo on another site: pages may show images from there
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append("https://" + KARTEI_BUSINESS_LOGO[8:].split("/")[0])
# The language every product is named in; a name missing in another language falls back to it.
KARTEI_CATALOG_LANGUAGE = env.str("KARTEI_CATALOG_LANGUAGE", default="de")
KARTEI_TRASH_DAYS = 30
KARTEI_PICTURE_MAX_BYTES = 5 * 1024 * 1024
KARTEI_ATTACHMENT_MAX_BYTES = env.int("KARTEI_ATTACHMENT_MAX_MB", default=25) * 1024 * 1024  # each file
# The largest file the import page takes (about two million rows of CSV); `kartei import customers` takes any size.
# Messages to customers. Links in e-mails the worker sends start with KARTEI_BASE_URL (the address staff and
# customers reach Kartei at, e.g. https://kartei.example.com); without it, with the address the page that sent
# them was opened at. Replies by e-mail go to reply+<token>@KARTEI_INBOUND_DOMAIN (without one, the e-mail has
# no Reply-To and the customer replies through the link); INBOUND_IMAP_URL is a mailbox the worker reads them
# from (imaps://user:password@host/INBOX), if no mail server pipes them to `kartei mail receive`.
KARTEI_BASE_URL = env.str("KARTEI_BASE_URL", default="").rstrip("/")
KARTEI_INBOUND_DOMAIN = env.str("KARTEI_INBOUND_DOMAIN", default="")
INBOUND_IMAP_URL = env.str("INBOUND_IMAP_URL", default="")
KARTEI_IMAP_POLL_SECONDS = env.int("KARTEI_IMAP_POLL_SECONDS", default=20)
KARTEI_REPLY_LINK_DAYS = env.int("KARTEI_REPLY_LINK_DAYS", default=180)
KARTEI_IMPORT_MAX_BYTES = env.int("KARTEI_IMPORT_MAX_MB", default=256) * 1024 * 1024
KARTEI_PAGE_SIZE = 24

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
