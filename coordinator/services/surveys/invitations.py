"""Choosing recipients, inviting them with a personal link, and finding an invitation by
the token in that link."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from coordinator.extensions import db
from coordinator.models import Contact, Invitation, Network, Organisation, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.errors import PastDeadlineError, SurveyError
from coordinator.services.mail.outbox import absolute_url, secret_marker
from coordinator.services.surveys.mail_texts import queue_survey_mail
from coordinator.services.surveys.states import effective_deadline
from coordinator.services.surveys.tokens import derived_token_for, hash_token, new_nonce


@dataclass
class RecipientSelection:
    """Who an invitation would go to, and who was left out and why."""

    contacts: list[Contact] = field(default_factory=list)
    duplicates: int = 0
    opted_out: list[Contact] = field(default_factory=list)
    already_invited: list[Contact] = field(default_factory=list)
    bouncing: list[Contact] = field(default_factory=list)  # left out until the address changes


def select_recipients(
    survey: Survey,
    *,
    network_ids: list[int] = (),  # type: ignore[assignment]
    organisation_ids: list[int] = (),  # type: ignore[assignment]
    contact_ids: list[int] = (),  # type: ignore[assignment]
) -> RecipientSelection:
    """Contacts from networks, whole organisations and single picks, each once."""
    candidates: list[Contact] = []
    if network_ids:
        for network in db.session.scalars(
            select(Network)
            .where(Network.id.in_(network_ids))
            .options(selectinload(Network.members))
        ):
            candidates.extend(network.members)
    if organisation_ids:
        candidates.extend(
            db.session.scalars(
                select(Contact).where(
                    Contact.organisation_id.in_(organisation_ids), Contact.source != "pass_on"
                )
            )
        )
    if contact_ids:
        candidates.extend(db.session.scalars(select(Contact).where(Contact.id.in_(contact_ids))))
    invited = set(
        db.session.scalars(select(Invitation.contact_id).where(Invitation.survey_id == survey.id))
    )
    selection = RecipientSelection()
    seen: set[int] = set()
    for contact in sorted(candidates, key=lambda c: (c.organisation.county_code or "99", c.name)):
        if contact.id in seen:
            selection.duplicates += 1
            continue
        seen.add(contact.id)
        if not contact.can_receive_email:
            selection.opted_out.append(contact)
        elif contact.bouncing:
            selection.bouncing.append(contact)
        elif contact.id in invited:
            selection.already_invited.append(contact)
        else:
            selection.contacts.append(contact)
    return selection


def create_invitation(
    survey: Survey,
    contact: Contact,
    actor: User | None,
    now: datetime,
    forwarded_from: Invitation | None = None,
) -> tuple[Invitation, str]:
    """A personal link for `contact`. A contact is invited to a survey at most once: a
    revoked invitation is given a new link, a live one raises SurveyError."""
    existing = db.session.scalar(
        select(Invitation).where(
            Invitation.survey_id == survey.id, Invitation.contact_id == contact.id
        )
    )
    if existing is not None and not existing.revoked:
        raise SurveyError(_l("%(name)s har redan en inbjudan till enkäten.", name=contact.name))
    invitation = existing or Invitation(
        survey=survey,
        contact=contact,
        organisation_id=contact.organisation_id,
        created_at=now,
        created_by_id=actor.id if actor else None,
    )
    invitation.revoked_at = None
    invitation.sent_at = None
    invitation.forwarded_from_id = forwarded_from.id if forwarded_from else None
    token = _new_link(invitation)
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def _new_link(invitation: Invitation) -> str:
    invitation.token_nonce = new_nonce()
    token = invitation_token(invitation.token_nonce)
    invitation.token_hash = hash_token(token)
    return token


def invitation_token(nonce: str, token_hash: str | None = None) -> str:
    """The token in an invitation's link; with the stored hash, the one the link was made
    with even if SECRET_KEY has been rotated since (see SECRET_KEY_FALLBACKS)."""
    return derived_token_for("invitation", nonce, token_hash)


def mail_context(
    survey: Survey, contact: Contact | None, organisation: Organisation, url: str
) -> dict[str, object]:
    """What the invitation and reminder templates show."""
    return {
        "survey": survey,
        "contact": contact,
        "organisation": organisation,
        "deadline": effective_deadline(survey, organisation.id),
        "url": url,
        "reply_to": survey.reply_to_user,
    }


def send_invitation_email(
    invitation: Invitation, now: datetime, template: str = "survey_invitation"
) -> None:
    """The invitation or a reminder, with the invitation's link. The link's token is put
    in by the sender (derived from the invitation's nonce), so it is never stored."""
    survey = invitation.survey
    marker = secret_marker()
    contact = invitation.contact
    assert contact is not None and contact.email
    subjects = {
        "survey_invitation": f"Enkät: {survey.title}",
        "survey_reminder": f"Påminnelse: {survey.title}",
    }
    kind = "invitation" if template == "survey_invitation" else "reminder"
    link = absolute_url("respond.show_form", token=marker)
    queue_survey_mail(
        survey,
        kind,
        contact,
        invitation.organisation,
        link,
        template=template,
        subject=subjects[template],
        context=mail_context(survey, contact, invitation.organisation, link),
        to_name=contact.greeting_name,
        cause=(kind, invitation.id),
        secret_links={marker: ["invitation", invitation.id]},
        now=now,
    )
    if kind == "invitation":
        invitation.sent_at = now


def invite(
    survey: Survey,
    contacts: list[Contact],
    actor: User | None,
    now: datetime,
    past_deadline_confirmed: bool = False,
) -> list[Invitation]:
    """One invitation and one e-mail with a personal link per contact, in this transaction.

    An invitation that would ask for an answer by a deadline that has passed (for the
    contact's organisation) needs `past_deadline_confirmed` (PastDeadlineError otherwise).
    """
    passed = [
        deadline
        for deadline in (effective_deadline(survey, c.organisation_id) for c in contacts)
        if deadline <= now
    ]
    if passed and not past_deadline_confirmed:
        raise PastDeadlineError(max(passed))
    invitations = []
    for contact in contacts:
        invitation, _token = create_invitation(survey, contact, actor, now)
        send_invitation_email(invitation, now)
        invitations.append(invitation)
    record_event(
        actor,
        "survey.invite",
        "survey",
        survey.id,
        survey.title,
        {"invitations": len(invitations)},
        now=now,
    )
    return invitations


def resend_link(invitation: Invitation, actor: User, now: datetime) -> None:
    """A new link for a lost one: the old token stops working."""
    _new_link(invitation)
    invitation.revoked_at = None
    send_invitation_email(invitation, now)
    record_event(
        actor, "invitation.resend", "invitation", invitation.id, survey_label(invitation), now=now
    )


def revoke(invitation: Invitation, actor: User, now: datetime) -> None:
    invitation.revoked_at = now
    record_event(
        actor, "invitation.revoke", "invitation", invitation.id, survey_label(invitation), now=now
    )


def _pass_on_contact(organisation: Organisation, name: str, address: str) -> Contact:
    from coordinator.services.errors import RegisterError

    if not organisation.owns_address(address):
        if organisation.domains:
            message = _l(
                "Enkäten kan bara skickas vidare till en adress som slutar på %(domains)s. "
                "Svara på inbjudan om någon annan behöver den, så når du samordnaren.",
                domains=", ".join("@" + d for d in organisation.domains),
            )
        else:
            message = _l(
                "Enkäten kan inte skickas vidare till en ny adress härifrån. Svara på "
                "inbjudan om någon annan behöver den, så når du samordnaren."
            )
        raise RegisterError(message, field="email")
    contact = Contact(
        name=name.strip() or address,
        email=address,
        organisation_id=organisation.id,
        source="pass_on",
    )
    db.session.add(contact)
    db.session.flush()
    return contact


def survey_label(invitation: Invitation) -> str:
    who = invitation.contact.name if invitation.contact else "?"
    return f"{invitation.survey.title}: {who}"


def find_invitation_by_token(token: str) -> Invitation | None:
    """The live invitation for this token; a wrong or revoked token, or a draft survey,
    finds nothing."""
    if not token or len(token) > 200:
        return None
    # What every page behind a link shows comes in the same query.
    invitation = db.session.scalar(
        select(Invitation)
        .where(Invitation.token_hash == hash_token(token))
        .options(
            joinedload(Invitation.survey).joinedload(Survey.project),
            joinedload(Invitation.organisation),
            joinedload(Invitation.response),
        )
    )
    if invitation is None or invitation.revoked or invitation.survey.state == "draft":
        return None
    return invitation


def record_opened(invitation: Invitation, now: datetime) -> bool:
    """The first sign of a person behind the link (the first save, or the first focus or key
    press in the form). Opening the link alone records nothing, since mail scanners fetch
    every link. Returns whether this was the first."""
    if invitation.opened_at is not None:
        return False
    invitation.opened_at = now
    return True


def organisations_for_picking() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation).order_by(
                Organisation.county_code.is_(None), Organisation.county_code, Organisation.name
            )
        )
    )


def contacts_for_picking() -> list[Contact]:
    """Contacts that can be invited, by organisation (county boards first)."""
    return list(
        db.session.scalars(
            select(Contact)
            .join(Contact.organisation)
            .where(Contact.erased_at.is_(None), Contact.email.is_not(None))
            .options(contains_eager(Contact.organisation))
            .order_by(
                Organisation.county_code.is_(None),
                Organisation.county_code,
                Organisation.name,
                Contact.name,
            )
        )
    )


def pass_on(invitation: Invitation, name: str, email: str, now: datetime, limit: int) -> Invitation:
    """A colleague at the same organisation gets an invitation and a link of their own.

    Whoever holds a link may use this, so it can reach only the organisation's own people:
    a contact of it already in the register, or a new address in its mail domains (kept
    as a contact marked "pass_on", left out of later invitations to the whole
    organisation until staff confirm it). A link passes the survey on at most `limit`
    times, and never revives an invitation that staff revoked."""
    from coordinator.services.errors import RegisterError
    from coordinator.services.register.entries import normalise_contact_email

    address = normalise_contact_email(email)
    passed = select(func.count()).where(Invitation.forwarded_from_id == invitation.id)
    if (db.session.scalar(passed) or 0) >= limit:
        raise RegisterError(
            _l(
                "Enkäten har redan skickats vidare %(n)s gånger från den här länken. Svara på "
                "inbjudan om fler behöver den, så når du samordnaren.",
                n=limit,
            ),
            field="email",
        )
    contact = db.session.scalar(select(Contact).where(Contact.email == address))
    if contact is None:
        contact = _pass_on_contact(invitation.organisation, name, address)
    elif contact.organisation_id != invitation.organisation_id:
        raise RegisterError(_l("Kollegan måste arbeta på samma organisation."), field="email")
    if not contact.can_receive_email:
        raise RegisterError(_l("Den adressen tar inte emot e-post från oss."), field="email")
    existing = db.session.scalar(
        select(Invitation).where(
            Invitation.survey_id == invitation.survey_id, Invitation.contact_id == contact.id
        )
    )
    if existing is not None and existing.revoked:
        raise RegisterError(
            _l(
                "Kollegans inbjudan är återkallad och kan inte skickas härifrån. Svara på "
                "inbjudan, så når du samordnaren."
            ),
            field="email",
        )
    if existing is not None:
        raise RegisterError(_l("Kollegan har redan en inbjudan till enkäten."), field="email")
    colleague, _token = create_invitation(
        invitation.survey, contact, None, now, forwarded_from=invitation
    )
    send_invitation_email(colleague, now)
    record_event(
        None,
        "invitation.pass_on",
        "invitation",
        colleague.id,
        survey_label(colleague),
        {"from_invitation": invitation.id},
        now=now,
    )
    return colleague
