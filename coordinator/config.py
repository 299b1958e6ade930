"""Configuration read from the environment, with Development/Test/Production variants."""

from __future__ import annotations

import math
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

INSECURE_KEYS = {"", "dev", "change-me", "secret"}


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _list(name: str, default: str = "") -> list[str]:
    """A list from a variable whose items are separated by commas or white space."""
    return os.environ.get(name, default).replace(",", " ").split()


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev")
    # Earlier keys, still accepted for sessions and signed links after a rotation (Flask
    # 3.1); invitation links keep working with them until the surveys close.
    SECRET_KEY_FALLBACKS = _list("SECRET_KEY_FALLBACKS")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "")
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    PRODUCT_NAME = "Coordinator"
    # Who is asking: the body that sends surveys and runs the project pages. Shown in the
    # header, the page title and e-mails; PRODUCT_NAME stays in the footer.
    SENDER_NAME = os.environ.get(
        "SENDER_NAME", "RUS – Länsstyrelsernas samverkan i miljömålssystemet"
    )
    # An image file (PNG, SVG, JPEG) shown beside the name in the header; none by default.
    SENDER_LOGO = os.environ.get("SENDER_LOGO", "")
    # The accessibility statement (tillgänglighetsredogörelse): a Markdown file of the
    # operator's own, or the default text built from these settings.
    ACCESSIBILITY_STATEMENT_FILE = os.environ.get("ACCESSIBILITY_STATEMENT_FILE", "")
    ACCESSIBILITY_STATEMENT_FILE_EN = os.environ.get("ACCESSIBILITY_STATEMENT_FILE_EN", "")
    ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")

    BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE", "sv")
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LANGUAGES = ("sv", "en")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "coordinator@example.org")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 30)
    # Deliver queued mail in a background thread after each request that queued some
    # (development convenience; production runs `flask tick` from cron).
    MAIL_SEND_AFTER_REQUEST = _bool("MAIL_SEND_AFTER_REQUEST")

    # The inbound mailbox (IMAP) that `tick` reads: bounces, automatic replies and
    # meeting answers. Nothing of it runs unless INBOUND_HOST and INBOUND_ADDRESS are set.
    INBOUND_HOST = os.environ.get("INBOUND_HOST", "")
    INBOUND_PORT = _int("INBOUND_PORT", 993)
    # "ssl" (IMAPS, port 993), "starttls" (port 143, then STARTTLS) or "off" (loopback only).
    INBOUND_TLS = os.environ.get("INBOUND_TLS", "ssl").strip().lower()
    INBOUND_CA_FILE = os.environ.get("INBOUND_CA_FILE", "")  # trust a private CA
    INBOUND_USER = os.environ.get("INBOUND_USER", "")
    INBOUND_PASSWORD = os.environ.get("INBOUND_PASSWORD", "")
    INBOUND_FOLDER = os.environ.get("INBOUND_FOLDER", "INBOX")
    INBOUND_DONE_FOLDER = os.environ.get("INBOUND_DONE_FOLDER", "Done")
    INBOUND_REJECTED_FOLDER = os.environ.get("INBOUND_REJECTED_FOLDER", "Rejected")
    # The mailbox's address, e.g. bounces@coordinator.example.org. Outgoing mail gets
    # the return path bounces+<id>.<hmac>@… (VERP), and meetings name it as organiser.
    INBOUND_ADDRESS = os.environ.get("INBOUND_ADDRESS", "")
    INBOUND_VERP_DELIMITER = os.environ.get("INBOUND_VERP_DELIMITER", "+")
    # Signs the return path; by default derived from SECRET_KEY.
    INBOUND_VERP_SECRET = os.environ.get("INBOUND_VERP_SECRET", "")
    INBOUND_TIMEOUT = _int("INBOUND_TIMEOUT", 30)
    # Larger messages are judged by their headers alone (a bounce is never this big).
    INBOUND_MAX_BYTES = _int("INBOUND_MAX_BYTES", 2 * 1024 * 1024)
    INBOUND_BATCH = _int("INBOUND_BATCH", 200)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = BASE_URL.startswith("https://")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=_int("SESSION_IDLE_MINUTES", 120))
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 20 * 1024 * 1024)
    # The respondent form's questions kept as HTML, per worker process (respond/question_block.py).
    QUESTION_BLOCK_CACHE_MB = _int("QUESTION_BLOCK_CACHE_MB", 32)
    UPLOAD_MAX_BYTES = _int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    # Uploaded documents (default: instance/uploads); a shared volume with several hosts.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", "")
    IMPORT_MAX_BYTES = _int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
    IMPORT_MAX_ROWS = _int("IMPORT_MAX_ROWS", 20_000)
    # Reading one contact file (parsing and checking) stops after this many seconds.
    IMPORT_MAX_SECONDS = _int("IMPORT_MAX_SECONDS", 30)

    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto; 0 trusts
    # none of these headers (werkzeug's ProxyFix).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour")
    # Per account (shared by all processes through the database): this many failed
    # logins, then each further failure doubles the wait, up to the maximum.
    LOGIN_FREE_ATTEMPTS = _int("LOGIN_FREE_ATTEMPTS", 5)
    LOGIN_MAX_DELAY_SECONDS = _int("LOGIN_MAX_DELAY_SECONDS", 60)
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per 15 minutes")
    # Look-ups of secret tokens in links (opt-out, password reset, survey answers).
    TOKEN_RATE_LIMIT = os.environ.get("TOKEN_RATE_LIMIT", "60 per minute")
    # How many colleagues one answer link can pass its survey on to.
    PASS_ON_LIMIT = int(os.environ.get("PASS_ON_LIMIT", "5"))

    # Respondents' names and e-mail addresses are erased from surveys closed longer ago
    # than this (0 keeps them); the answers stay with their organisation.
    RETENTION_MONTHS = _int("RETENTION_MONTHS", 0)

    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a method name, not a password)
    # false: staff sign in only through the identity provider; the password pages are gone.
    PASSWORD_LOGIN = _bool("PASSWORD_LOGIN", True)
    # Roles that must use a second factor with a password (comma-separated; "" for none).
    REQUIRE_2FA_FOR = _list("REQUIRE_2FA_FOR")

    # Single sign-on with OpenID Connect; off while OIDC_ISSUER is empty.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
    # Domains whose addresses the provider vouches for even without email_verified.
    OIDC_ALLOWED_DOMAINS = [d.lower().lstrip("@") for d in _list("OIDC_ALLOWED_DOMAINS")]
    # true: a person from an allowed domain without an account gets one, as a viewer.
    OIDC_CREATE_VIEWERS = _bool("OIDC_CREATE_VIEWERS")
    OIDC_BUTTON_LABEL = os.environ.get("OIDC_BUTTON_LABEL", "")
    OIDC_CLOCK_SKEW_SECONDS = _int("OIDC_CLOCK_SKEW_SECONDS", 60)
    SQLITE_BUSY_TIMEOUT_MS = _int("SQLITE_BUSY_TIMEOUT_MS", 15_000)


class DevelopmentConfig(Config):
    DEBUG = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    BASE_URL = "http://localhost"
    SERVER_NAME = None
    MAIL_SERVER = "127.0.0.1"
    RATELIMIT_ENABLED = True
    # Cheap hashing keeps the suite fast; production keeps scrypt's defaults.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REQUIRE_2FA_FOR = _list("REQUIRE_2FA_FOR", "admin")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def default_sqlite_uri(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "coordinator.sqlite3")


MIN_KEY_LENGTH = 32
MIN_KEY_DISTINCT = 8
MIN_KEY_BITS = 80


def estimated_bits(key: str) -> float:
    """The key's length times the Shannon entropy of its characters: what the key would
    hold if its characters were drawn at random with the frequencies they have."""
    counts = Counter(key)
    return -sum(n * math.log2(n / len(key)) for n in counts.values())


def is_repetition(key: str) -> bool:
    """True for a key made of one shorter string repeated ("abcabcabc…")."""
    return len(key) > 1 and (key + key).find(key, 1) < len(key)


def check_production_secret(config: dict[str, Any]) -> None:
    key = config.get("SECRET_KEY") or ""
    if (
        key.strip().lower() in INSECURE_KEYS
        or len(key) < MIN_KEY_LENGTH
        or len(set(key)) < MIN_KEY_DISTINCT
        or estimated_bits(key) < MIN_KEY_BITS
        or is_repetition(key)
    ):
        raise RuntimeError(
            f"SECRET_KEY must be a random value of at least {MIN_KEY_LENGTH} characters with "
            f"at least {MIN_KEY_DISTINCT} different ones in production "
            '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )
