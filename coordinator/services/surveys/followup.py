"""The follow-up dashboard: per organisation, who is invited, has opened, drafted,
submitted on time or late, and how the last e-mail fared. A fixed number of queries,
whatever the number of responses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager

from coordinator.extensions import db
from coordinator.models import Contact, Invitation, Organisation, OutboxMessage, Response, Survey

STATUS_ON_TIME = "on_time"
STATUS_LATE = "late"
STATUS_DRAFT = "draft"
STATUS_OPENED = "opened"
STATUS_INVITED = "invited"
STATUS_NONE = "none"


@dataclass
class OrganisationRow:
    organisation: Organisation
    invited: int = 0
    opened: int = 0
    drafts: int = 0
    on_time: int = 0
    late: int = 0
    coordinated: bool = False
    # The board answer: "" (none yet), "draft" or "submitted"; and the personal answers.
    board_answer: str = ""
    personal: int = 0
    last_activity: datetime | None = None
    mail_state: str | None = None
    # Invited contacts whose address bounces, and invitations with an automatic reply.
    bouncing: list[Contact] = field(default_factory=list)
    away: list[Invitation] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.on_time:
            return STATUS_ON_TIME
        if self.late:
            return STATUS_LATE
        if self.drafts:
            return STATUS_DRAFT
        if self.opened:
            return STATUS_OPENED
        if self.invited:
            return STATUS_INVITED
        return STATUS_NONE

    @property
    def answered(self) -> bool:
        return bool(self.on_time or self.late)


@dataclass
class Dashboard:
    rows: list[OrganisationRow] = field(default_factory=list)

    @property
    def boards(self) -> list[OrganisationRow]:
        return [r for r in self.rows if r.organisation.county_code]

    @property
    def boards_answered(self) -> int:
        return sum(1 for r in self.boards if r.answered)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def bouncing(self) -> int:
        return sum(len(r.bouncing) for r in self.rows)


_BOARD_ANSWER_STATES = ("", "draft", "submitted")


def _latest(values: list[datetime | None]) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def build_dashboard(survey: Survey) -> Dashboard:
    """Every county board (invited or not) and every other invited organisation."""
    invitations = dict(
        (org_id, (invited, opened, last))
        for org_id, invited, opened, last in db.session.execute(
            select(
                Invitation.organisation_id,
                func.count(Invitation.id),
                func.count(Invitation.opened_at),
                func.max(Invitation.opened_at),
            )
            .where(Invitation.survey_id == survey.id, Invitation.revoked_at.is_(None))
            .group_by(Invitation.organisation_id)
        )
    )
    responses = {
        org_id: row
        for org_id, *row in db.session.execute(
            select(
                Response.organisation_id,
                func.sum(case((Response.state == "draft", 1), else_=0)),
                func.sum(
                    case(((Response.state == "submitted") & Response.late.is_(False), 1), else_=0)
                ),
                func.sum(
                    case(((Response.state == "submitted") & Response.late.is_(True), 1), else_=0)
                ),
                func.max(case((Response.is_coordinated.is_(True), 1), else_=0)),
                func.max(Response.updated_at),
                func.max(
                    case(
                        (Response.is_board_answer.is_(True) & (Response.state == "submitted"), 2),
                        (Response.is_board_answer.is_(True), 1),
                        else_=0,
                    )
                ),
                func.sum(case((Response.is_board_answer.is_(False), 1), else_=0)),
            )
            .where(Response.survey_id == survey.id)
            .group_by(Response.organisation_id)
        )
    }
    latest_mail = (
        select(OutboxMessage.organisation_id, func.max(OutboxMessage.id).label("last_id"))
        .join(
            Invitation,
            (OutboxMessage.cause_id == Invitation.id)
            & OutboxMessage.cause_type.in_(("invitation", "reminder")),
        )
        .where(Invitation.survey_id == survey.id)
        .group_by(OutboxMessage.organisation_id)
        .subquery()
    )
    mail_states: dict[int, str] = dict(
        db.session.execute(
            select(latest_mail.c.organisation_id, OutboxMessage.state).join(
                OutboxMessage, OutboxMessage.id == latest_mail.c.last_id
            )
        ).all()
    )
    involved = set(invitations) | set(responses)
    organisations = db.session.scalars(
        select(Organisation)
        .where(Organisation.county_code.is_not(None) | Organisation.id.in_(involved))
        .order_by(Organisation.county_code.is_(None), Organisation.county_code, Organisation.name)
    )
    notes = _mail_notes(survey)
    dashboard = Dashboard()
    for organisation in organisations:
        invited, opened, last_opened = invitations.get(organisation.id, (0, 0, None))
        drafts, on_time, late, coordinated, last_saved, board, personal = responses.get(
            organisation.id, (0, 0, 0, 0, None, 0, 0)
        )
        dashboard.rows.append(
            OrganisationRow(
                organisation=organisation,
                invited=invited,
                opened=opened,
                drafts=int(drafts or 0),
                on_time=int(on_time or 0),
                late=int(late or 0),
                coordinated=bool(coordinated),
                board_answer=_BOARD_ANSWER_STATES[int(board or 0)],
                personal=int(personal or 0),
                last_activity=_latest([last_opened, last_saved]),
                mail_state=mail_states.get(organisation.id),
                bouncing=[
                    i.contact
                    for i in notes.get(organisation.id, [])
                    if i.contact and i.contact.bouncing
                ],
                away=[i for i in notes.get(organisation.id, []) if i.auto_reply_at],
            )
        )
    return dashboard


def _mail_notes(survey: Survey) -> dict[int, list[Invitation]]:
    """Live invitations whose contact's address bounces or that got an automatic reply,
    per organisation ("Adressen studsar – byt kontakt", "Frånvarande till …")."""
    found: dict[int, list[Invitation]] = {}
    for invitation in db.session.scalars(
        select(Invitation)
        .join(Invitation.contact)
        .where(
            Invitation.survey_id == survey.id,
            Invitation.revoked_at.is_(None),
            Contact.bouncing_at.is_not(None) | Invitation.auto_reply_at.is_not(None),
        )
        .options(contains_eager(Invitation.contact))
        .order_by(Contact.name)
    ):
        found.setdefault(invitation.organisation_id, []).append(invitation)
    return found
