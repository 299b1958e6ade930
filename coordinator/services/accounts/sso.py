"""Which staff account a single sign-on is for, from the ID token's validated claims.

Roles stay in Coordinator: a sign-in finds the account with the provider's e-mail address
(only when the provider says the address is verified, or its domain is one the operator
allows), and remembers the provider's subject. A later sign-in with the same address and
another subject is refused: a reused or re-assigned address at the provider must not open
someone else's account. With `create_viewers`, a person from an allowed domain without an
account gets one as a viewer; an admin gives other roles.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import User
from coordinator.services.accounts.users import create_user, find_user_by_email, normalise_email
from coordinator.services.audit import record_event
from coordinator.services.errors import UserError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SsoSettings:
    issuer: str
    allowed_domains: tuple[str, ...] = ()
    create_viewers: bool = False


class SsoError(UserError):
    """The provider vouched for someone who may not sign in here (as that account)."""


def _verified_email(claims: Mapping[str, Any], settings: SsoSettings) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SsoError(_l("Identitetsleverantören skickade ingen e-postadress."))
    email = normalise_email(email)
    verified = claims.get("email_verified") in (True, "true")
    if not verified and email.rpartition("@")[2] not in settings.allowed_domains:
        log.warning("Single sign-on refused: the provider has not verified the address")
        raise SsoError(
            _l(
                "Identitetsleverantören har inte bekräftat din e-postadress, så den kan inte "
                "kopplas till ett konto här."
            )
        )
    return email


def _subject_owner(issuer: str, subject: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.sso_issuer == issuer, User.sso_subject == subject)
    )


def _refuse_changed_subject(user: User, now: datetime) -> None:
    log.warning("Single sign-on refused for user %s: the subject has changed", user.id)
    record_event(None, "user.sso_refused", "user", user.id, user.email, now=now)
    raise SsoError(
        _l(
            "Ditt konto är kopplat till en annan identitet hos identitetsleverantören. "
            "Be en administratör om hjälp."
        )
    )


def _new_viewer(email: str, claims: Mapping[str, Any], settings: SsoSettings) -> User:
    if not settings.create_viewers or email.rpartition("@")[2] not in settings.allowed_domains:
        log.warning("Single sign-on refused: no account for the address")
        raise SsoError(
            _l(
                "Det finns inget konto för %(email)s. Be en administratör om ett konto.",
                email=email,
            )
        )
    name = claims.get("name")
    user = create_user(email, name if isinstance(name, str) else "", "viewer", None)
    return user


def account_for_claims(claims: Mapping[str, Any], settings: SsoSettings, now: datetime) -> User:
    """The account these validated ID-token claims sign in to; raises SsoError if none."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise SsoError(_l("Identitetsleverantören skickade ingen identitet."))
    email = _verified_email(claims, settings)
    user = find_user_by_email(email)
    owner = _subject_owner(settings.issuer, subject)
    if user is None:
        user = _new_viewer(email, claims, settings)
    elif (owner is not None and owner.id != user.id) or (
        user.sso_subject is not None
        and (user.sso_issuer, user.sso_subject) != (settings.issuer, subject)
    ):
        _refuse_changed_subject(user, now)
    if not user.active:
        raise SsoError(_l("Ditt konto är avstängt. Be en administratör om hjälp."))
    if user.sso_subject is None:
        user.sso_issuer, user.sso_subject = settings.issuer, subject
        record_event(user, "user.sso_link", "user", user.id, user.email, now=now)
    return user


def forget_sso_identity(user: User, actor: User, now: datetime) -> None:
    """Let the next single sign-on link the account anew (the provider re-created the
    person, or the operator moved to another provider). Audited."""
    user.sso_issuer = user.sso_subject = None
    record_event(actor, "user.sso_unlink", "user", user.id, user.email, now=now)
