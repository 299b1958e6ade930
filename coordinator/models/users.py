"""Staff accounts, their second factor and the counters that slow down guessing."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.extensions import db
from coordinator.models.types import UTCDateTime, utcnow

ROLES = ("admin", "coordinator", "viewer")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'coordinator', 'viewer')", name="role"),
        UniqueConstraint("sso_issuer", "sso_subject", name="uq_users_sso_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(String(5), default="sv")
    # Changes whenever the password changes, so that sessions and reset links made
    # before the change stop working.
    session_nonce: Mapped[str] = mapped_column(String(64), default="")
    # Raised by logout, a password change and "log out everywhere": every session cookie
    # made before then stops working (the cookie carries the version it was made with).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The identity provider's subject for this account, remembered at the first single
    # sign-on; a later sign-in with the same address but another subject is refused.
    sso_issuer: Mapped[str | None] = mapped_column(String(255))
    sso_subject: Mapped[str | None] = mapped_column(String(255))
    # Time-based one-time passwords (RFC 6238): the shared secret (base32) once confirmed,
    # and the time step of the last accepted code, so that no code is accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}:{self.session_version}"

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def can_edit(self) -> bool:
        return self.role in ("admin", "coordinator")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class RecoveryCode(db.Model):
    """A one-time code that stands in for the second factor; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginThrottle(db.Model):
    """Failed attempts at one account (or one address that has no account), shared by every
    process through the database: each failure past a few doubles the wait before the next
    attempt is even checked."""

    __tablename__ = "login_throttles"

    # sha256 of "<purpose>:<identifier>", so the table lists no e-mail addresses.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
