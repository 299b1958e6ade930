"""Everything stored about one e-mail address: find it, export it, erase it; retention.

Answers belong to the organisation on whose behalf they were given, so erasing a person
clears who answered, not what was answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult

from coordinator.extensions import db
from coordinator.models import (
    Contact,
    InboundMessage,
    Invitation,
    OutboxMessage,
    Response,
    Survey,
    User,
)
from coordinator.services.audit import pseudonymise_audit_trail, record_event
from coordinator.services.register.entries import erase_contact

ERASED = "[raderad]"


@dataclass
class PersonalData:
    email: str
    contacts: list[Contact] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    messages: list[OutboxMessage] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.contacts or self.users or self.responses or self.messages)


def find_personal_data(email: str) -> PersonalData:
    address = email.strip().lower()
    data = PersonalData(email=address)
    data.contacts = list(db.session.scalars(select(Contact).where(Contact.email == address)))
    data.users = list(db.session.scalars(select(User).where(func.lower(User.email) == address)))
    contact_ids = [c.id for c in data.contacts]
    if contact_ids:
        data.invitations = list(
            db.session.scalars(select(Invitation).where(Invitation.contact_id.in_(contact_ids)))
        )
    invitation_ids = [i.id for i in data.invitations]
    data.responses = list(
        db.session.scalars(
            select(Response).where(
                (func.lower(Response.respondent_email) == address)
                | (Response.invitation_id.in_(invitation_ids) if invitation_ids else False)
            )
        )
    )
    data.messages = list(
        db.session.scalars(
            select(OutboxMessage)
            .where(func.lower(OutboxMessage.recipient_email) == address)
            .order_by(OutboxMessage.created_at)
        )
    )
    return data


def export_personal_data(data: PersonalData) -> bytes:
    """An .xlsx with one sheet per kind of record; text is always stored as text."""
    workbook = Workbook()
    sheets: list[tuple[str, list[str], list[list[object]]]] = [
        (
            "Kontakter",
            ["Namn", "E-post", "Titel", "Organisation", "Avregistrerad", "Skapad"],
            [
                [c.name, c.email, c.title, c.organisation.name, c.opted_out_at, c.created_at]
                for c in data.contacts
            ],
        ),
        (
            "Konton",
            ["Namn", "E-post", "Roll", "Skapat", "Senast inloggad"],
            [[u.name, u.email, u.role, u.created_at, u.last_login_at] for u in data.users],
        ),
        (
            "Inbjudningar",
            ["Enkät", "Organisation", "Skickad", "Öppnad", "Påminnelser"],
            [
                [i.survey.title, i.organisation.name, i.sent_at, i.opened_at, i.reminded_count]
                for i in data.invitations
            ],
        ),
        (
            "Svar",
            ["Enkät", "Organisation", "Namn", "E-post", "Status", "Inskickat"],
            [
                [
                    r.survey.title,
                    r.organisation.name,
                    r.respondent_name,
                    r.respondent_email,
                    r.state,
                    r.submitted_at,
                ]
                for r in data.responses
            ],
        ),
        (
            "E-post",
            ["Skapat", "Ämne", "Status", "Skickat"],
            [[m.created_at, m.subject, m.state, m.sent_at] for m in data.messages],
        ),
    ]
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append([_plain(value) for value in row])
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text begins with
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return "" if value is None else value


def erase_personal_data(data: PersonalData, actor: User, now: datetime) -> dict[str, int]:
    """Erase the person everywhere; staff accounts are deactivated, not deleted."""
    for contact in data.contacts:
        if not contact.erased:
            erase_contact(contact, actor, now)
    for response in data.responses:
        _anonymise_response(response)
    for message in data.messages:
        _anonymise_message(message)
    for user in data.users:
        pseudonymise_audit_trail("user", user.id, [user.name, user.email], ERASED)
        user.active = False
        user.name = ERASED
    counts = {
        "contacts": len(data.contacts),
        "responses": len(data.responses),
        "messages": len(data.messages),
        "users": len(data.users),
    }
    record_event(
        actor, "personal_data.erase", "person", None, "Personuppgifter raderade", counts, now=now
    )
    db.session.flush()
    return counts


def _anonymise_response(response: Response) -> None:
    response.respondent_name = ""
    response.respondent_email = None


def _anonymise_message(message: OutboxMessage) -> None:
    message.recipient_email = ERASED
    message.recipient_name = ""
    message.text_body = ""
    message.html_body = ""
    message.contact_id = None
    if message.bounced_at is not None:
        message.last_error = ""  # a bounce's reason names the address
    # What came back for it (a bounce, an automatic reply) may name the person too.
    db.session.execute(
        update(InboundMessage)
        .where(InboundMessage.outbox_message_id == message.id)
        .values(detail="")
        .execution_options(synchronize_session=False)
    )


def apply_retention(months: int, now: datetime, actor: User | None = None) -> int:
    """Erase respondents' personal data from surveys closed more than `months` ago.

    The answers stay, attributed to their organisation. Returns the responses cleared.
    """
    cutoff = now - timedelta(days=round(months * 30.44))
    closed = select(Survey.id).where(Survey.state == "closed", Survey.closed_at < cutoff)
    result: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        update(Response)
        .where(Response.survey_id.in_(closed))
        .where((Response.respondent_name != "") | Response.respondent_email.is_not(None))
        .values(respondent_name="", respondent_email=None)
        .execution_options(synchronize_session=False)
    )
    cleared = result.rowcount
    db.session.execute(
        update(Invitation)
        .where(Invitation.survey_id.in_(closed), Invitation.contact_id.is_not(None))
        .values(contact_id=None)
        .execution_options(synchronize_session=False)
    )
    if cleared:
        record_event(
            actor,
            "personal_data.retention",
            "survey",
            None,
            f"Respondenters personuppgifter rensade efter {months} månader",
            {"responses": cleared},
            now=now,
        )
    return int(cleared or 0)
