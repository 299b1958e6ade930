"""The register of organisations, contacts and networks."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select, update

from coordinator.extensions import db
from coordinator.models import Contact, Invitation, Network, Organisation, Response, User
from coordinator.services.audit import pseudonymise_audit_trail, record_event
from coordinator.services.errors import RegisterError


def normalise_contact_email(raw: str) -> str:
    """The address in canonical form, or RegisterError with a message fit to show."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise RegisterError(
            _l("Ange en e-postadress i rätt format, till exempel namn@lansstyrelsen.se"), "email"
        ) from exc
    return result.normalized.lower()


def contact_query(
    *,
    q: str = "",
    organisation_id: int | None = None,
    network_id: int | None = None,
    include_erased: bool = False,
) -> Select[Any]:
    """Contacts matching a search in name, e-mail or title, by organisation and network."""
    query = select(Contact).join(Contact.organisation)
    if not include_erased:
        query = query.where(Contact.erased_at.is_(None))
    if q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Contact.name).like(like),
                func.lower(Contact.email).like(like),
                func.lower(Contact.title).like(like),
            )
        )
    if organisation_id:
        query = query.where(Contact.organisation_id == organisation_id)
    if network_id:
        query = query.where(Contact.networks.any(Network.id == network_id))
    return query.order_by(
        Organisation.county_code.is_(None),
        Organisation.county_code,
        Organisation.name,
        Contact.name,
    )


def _organisation_order() -> tuple[Any, ...]:
    return (Organisation.county_code.is_(None), Organisation.county_code, Organisation.name)


def organisations_in_order() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(*_organisation_order())))


def organisations_with_counts(q: str = "") -> list[tuple[Organisation, int]]:
    """Organisations (county boards first, by code) with their number of live contacts."""
    live = (
        select(Contact.organisation_id, func.count().label("n"))
        .where(Contact.erased_at.is_(None))
        .group_by(Contact.organisation_id)
        .subquery()
    )
    query = select(Organisation, func.coalesce(live.c.n, 0)).outerjoin(
        live, live.c.organisation_id == Organisation.id
    )
    if q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(
            or_(func.lower(Organisation.name).like(like), Organisation.county_code == q.strip())
        )
    return [(org, int(n)) for org, n in db.session.execute(query.order_by(*_organisation_order()))]


def networks_with_counts() -> list[tuple[Network, int]]:
    live = (
        select(Network.id, func.count(Contact.id).label("n"))
        .join(Network.members)
        .where(Contact.erased_at.is_(None))
        .group_by(Network.id)
        .subquery()
    )
    query = (
        select(Network, func.coalesce(live.c.n, 0))
        .outerjoin(live, live.c.id == Network.id)
        .order_by(Network.name)
    )
    return [(network, int(n)) for network, n in db.session.execute(query)]


def find_contact_by_email(email: str) -> Contact | None:
    return db.session.scalar(select(Contact).where(Contact.email == email.lower()))


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    changes = {}
    for field, value in values.items():
        old = getattr(obj, field)
        if old != value:
            changes[field] = [old, value]
            setattr(obj, field, value)
    return changes


def save_organisation(
    org: Organisation | None,
    *,
    name: str,
    kind: str,
    county_code: str | None,
    actor: User,
    mail_domains: str | None = None,
) -> Organisation:
    """Create or change an organisation; `mail_domains` (None keeps them) is a list of
    domains separated by spaces, commas or line breaks."""
    name = name.strip()
    county_code = (county_code or "").strip() or None
    clash = db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.lower())
    )
    if clash is not None and clash is not org:
        raise RegisterError(_l("Det finns redan en organisation med det namnet."), "name")
    if county_code:
        clash = db.session.scalar(
            select(Organisation).where(Organisation.county_code == county_code)
        )
        if clash is not None and clash is not org:
            raise RegisterError(
                _l(
                    "Länskoden %(code)s används redan av %(name)s.",
                    code=county_code,
                    name=clash.name,
                ),
                "county_code",
            )
    values: dict[str, Any] = {"name": name, "kind": kind, "county_code": county_code}
    if mail_domains is not None:
        values["mail_domains"] = normalise_mail_domains(mail_domains)
    if org is None:
        org = Organisation(**values)
        db.session.add(org)
        db.session.flush()
        record_event(actor, "organisation.create", "organisation", org.id, name)
        return org
    changes = _changes(org, values)
    if changes:
        record_event(
            actor, "organisation.update", "organisation", org.id, name, {"changes": changes}
        )
    return org


def normalise_mail_domains(text: str) -> str:
    """Domains as stored: lower case, without "@", each once, separated by one space."""
    domains: list[str] = []
    for part in re.split(r"[\s,;]+", text.lower()):
        domain = part.strip().lstrip("@").strip(".")
        if not domain:
            continue
        if not re.fullmatch(r"[a-z0-9åäöü-]+(\.[a-z0-9åäöü-]+)+", domain):
            raise RegisterError(
                _l(
                    "%(domain)s är ingen e-postdomän. Skriv till exempel lansstyrelsen.se.",
                    domain=part,
                ),
                "mail_domains",
            )
        if domain not in domains:
            domains.append(domain)
    return " ".join(domains)


def delete_organisation(org: Organisation, actor: User) -> None:
    if org.contacts:
        raise RegisterError(
            _l("Organisationen har kontaktpersoner. Flytta eller ta bort dem först.")
        )
    used = db.session.scalar(
        select(func.count()).select_from(Response).where(Response.organisation_id == org.id)
    ) or db.session.scalar(
        select(func.count()).select_from(Invitation).where(Invitation.organisation_id == org.id)
    )
    if used:
        raise RegisterError(_l("Organisationen har inbjudningar eller svar och kan inte tas bort."))
    record_event(actor, "organisation.delete", "organisation", org.id, org.name)
    db.session.delete(org)
    db.session.flush()


def save_contact(
    contact: Contact | None,
    *,
    name: str,
    email: str,
    organisation_id: int,
    title: str = "",
    phone: str = "",
    network_ids: list[int] | None = None,
    opted_out: bool | None = None,
    actor: User,
    now: datetime,
) -> Contact:
    if contact is not None and contact.erased:
        raise RegisterError(_l("Kontaktpersonens uppgifter är raderade och kan inte ändras."))
    email = normalise_contact_email(email)
    clash = find_contact_by_email(email)
    if clash is not None and clash is not contact:
        raise RegisterError(_l("Det finns redan en kontaktperson med den e-postadressen."), "email")
    if db.session.get(Organisation, organisation_id) is None:
        raise RegisterError(_l("Välj en organisation."), "organisation")
    values: dict[str, Any] = {
        "name": name.strip(),
        "email": email,
        "organisation_id": organisation_id,
        "title": title.strip(),
        "phone": phone.strip(),
    }
    created = contact is None
    if contact is None:
        contact = Contact(**values, created_at=now, updated_at=now)
        db.session.add(contact)
        changes: dict[str, list[Any]] = {}
    else:
        changes = _changes(contact, values)
        if contact.from_pass_on:  # staff saving it confirm a contact a respondent added
            changes["source"] = [contact.source, "staff"]
            contact.source = "staff"
    if opted_out is not None and opted_out != contact.opted_out:
        contact.opted_out_at = now if opted_out else None
        changes["opted_out"] = [not opted_out, opted_out]
    if network_ids is not None:
        _set_networks(contact, network_ids, changes)
    db.session.flush()
    if created:
        record_event(actor, "contact.create", "contact", contact.id, contact.name, now=now)
    elif changes:
        record_event(
            actor,
            "contact.update",
            "contact",
            contact.id,
            contact.name,
            {"changes": changes},
            now=now,
        )
    return contact


def _set_networks(contact: Contact, network_ids: list[int], changes: dict[str, Any]) -> None:
    networks = list(db.session.scalars(select(Network).where(Network.id.in_(network_ids))))
    before = sorted(n.id for n in contact.networks)
    if before != sorted(n.id for n in networks):
        changes["networks"] = [before, sorted(n.id for n in networks)]
        contact.networks = networks


def delete_contact(contact: Contact, actor: User) -> None:
    """Remove the contact; invitations sent to it keep their organisation, not the person."""
    record_event(actor, "contact.delete", "contact", contact.id, contact.name)
    db.session.delete(contact)
    db.session.flush()


def erase_contact(contact: Contact, actor: User, now: datetime) -> None:
    """Remove the personal data of a contact (GDPR) but keep the row, so that answers
    given on behalf of the organisation still have a respondent to point at. The audit
    trail keeps the events without the person, and their survey links stop opening."""
    pseudonymise_audit_trail(
        "contact", contact.id, [contact.name, contact.email or ""], "Raderad kontakt"
    )
    db.session.execute(
        update(Invitation)
        .where(Invitation.contact_id == contact.id, Invitation.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    contact.name = "Raderad kontakt"
    contact.email = None
    contact.title = ""
    contact.phone = ""
    contact.notes = ""
    contact.erased_at = now
    contact.networks = []
    record_event(actor, "contact.erase", "contact", contact.id, "Personuppgifter raderade", now=now)
    db.session.flush()


def save_network(network: Network | None, *, name: str, description: str, actor: User) -> Network:
    name = name.strip()
    clash = db.session.scalar(select(Network).where(func.lower(Network.name) == name.lower()))
    if clash is not None and clash is not network:
        raise RegisterError(_l("Det finns redan ett nätverk med det namnet."), "name")
    if network is None:
        network = Network(name=name, description=description.strip())
        db.session.add(network)
        db.session.flush()
        record_event(actor, "network.create", "network", network.id, name)
        return network
    changes = _changes(network, {"name": name, "description": description.strip()})
    if changes:
        record_event(actor, "network.update", "network", network.id, name, {"changes": changes})
    return network


def set_network_members(network: Network, contact_ids: list[int], actor: User) -> None:
    contacts = list(db.session.scalars(select(Contact).where(Contact.id.in_(contact_ids))))
    before = sorted(c.id for c in network.members)
    after = sorted(c.id for c in contacts)
    if before != after:
        for contact in contacts:
            contact.source = "staff"  # putting it in a network confirms a passed-on contact
        network.members = contacts
        record_event(
            actor,
            "network.members",
            "network",
            network.id,
            network.name,
            {
                "added": sorted(set(after) - set(before)),
                "removed": sorted(set(before) - set(after)),
            },
        )
        db.session.flush()


def add_network_member(network: Network, contact: Contact, actor: User) -> None:
    if contact.erased:
        raise RegisterError(_l("Kontaktpersonens uppgifter är raderade."), "contact")
    set_network_members(network, [c.id for c in network.members] + [contact.id], actor)


def remove_network_member(network: Network, contact: Contact, actor: User) -> None:
    """Take the contact out of the network; nothing happens when it is not a member."""
    set_network_members(network, [c.id for c in network.members if c.id != contact.id], actor)


def delete_network(network: Network, actor: User) -> None:
    record_event(actor, "network.delete", "network", network.id, network.name)
    db.session.delete(network)
    db.session.flush()
