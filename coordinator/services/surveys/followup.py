"""The follow-up dashboard: per organisation, who is invited, has opened, drafted,
submitted on time or late, and how the last e-mail fared. A fixed number of queries,
whatever the number of responses."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
        return _status(self.invited, self.opened, self.drafts, self.on_time, self.late)

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


def _status(invited: int, opened: int, drafts: int, on_time: int, late: int) -> str:
    if on_time:
        return STATUS_ON_TIME
    if late:
        return STATUS_LATE
    if drafts:
        return STATUS_DRAFT
    if opened:
        return STATUS_OPENED
    if invited:
        return STATUS_INVITED
    return STATUS_NONE


@dataclass
class _Figures:
    """What the database counts per organisation id, for one survey."""

    invitations: dict[int, tuple[int, int, datetime | None]]
    responses: dict[int, tuple[int, int, int, int, datetime | None, int, int]]
    mail_states: dict[int, str]
    notes: dict[int, list[Invitation]]

    def status(self, organisation_id: int) -> str:
        invited, opened, _ = self.invitations.get(organisation_id, (0, 0, None))
        drafts, on_time, late, *_ = self.responses.get(organisation_id, (0, 0, 0, 0, None, 0, 0))
        return _status(invited, opened, drafts, on_time, late)

    def row(self, organisation: Organisation) -> OrganisationRow:
        invited, opened, last_opened = self.invitations.get(organisation.id, (0, 0, None))
        drafts, on_time, late, coordinated, last_saved, board, personal = self.responses.get(
            organisation.id, (0, 0, 0, 0, None, 0, 0)
        )
        notes = self.notes.get(organisation.id, [])
        return OrganisationRow(
            organisation=organisation,
            invited=invited,
            opened=opened,
            drafts=drafts,
            on_time=on_time,
            late=late,
            coordinated=bool(coordinated),
            board_answer=_BOARD_ANSWER_STATES[board],
            personal=personal,
            last_activity=_latest([last_opened, last_saved]),
            mail_state=self.mail_states.get(organisation.id),
            bouncing=[i.contact for i in notes if i.contact and i.contact.bouncing],
            away=[i for i in notes if i.auto_reply_at],
        )


def _figures(survey: Survey) -> _Figures:
    invitations = {
        org_id: (invited, opened, last)
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
    }
    responses = {
        org_id: (
            int(drafts or 0),
            int(on_time or 0),
            int(late or 0),
            coordinated,
            last,
            int(board or 0),
            int(personal or 0),
        )
        for org_id, drafts, on_time, late, coordinated, last, board, personal in db.session.execute(
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
    return _Figures(invitations, responses, mail_states, _mail_notes(survey))


def _shown(figures: _Figures) -> Any:
    """Every county board (invited or not) and every other invited organisation, boards
    first by county code, then by name."""
    involved = set(figures.invitations) | set(figures.responses)
    return (
        Organisation.county_code.is_not(None) | Organisation.id.in_(involved),
        (Organisation.county_code.is_(None), Organisation.county_code, Organisation.name),
    )


def build_dashboard(survey: Survey) -> Dashboard:
    """Every county board (invited or not) and every other invited organisation."""
    figures = _figures(survey)
    where, order = _shown(figures)
    organisations = db.session.scalars(select(Organisation).where(where).order_by(*order))
    return Dashboard(rows=[figures.row(organisation) for organisation in organisations])


PAGE_SIZE = 50


@dataclass
class DashboardPage:
    """One page of the dashboard's organisations (those with `status`, if given), with
    the counts of all of them."""

    rows: list[OrganisationRow]
    counts: dict[str, int]
    boards: int
    boards_answered: int
    bouncing: int
    page: int
    pages: int

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def dashboard_page(
    survey: Survey, status: str = "", page: int = 1, per_page: int = PAGE_SIZE
) -> DashboardPage:
    """The counts come from the organisations' ids and figures alone; only the page's
    organisations are loaded and shown (a page past the last is the last)."""
    figures = _figures(survey)
    where, order = _shown(figures)
    keys = db.session.execute(
        select(Organisation.id, Organisation.county_code).where(where).order_by(*order)
    ).all()
    statuses = [(org_id, county, figures.status(org_id)) for org_id, county in keys]
    counts = Counter(s for _, _, s in statuses)
    chosen = [org_id for org_id, _, s in statuses if not status or s == status]
    pages = max(1, -(-len(chosen) // per_page))
    page = min(max(page, 1), pages)
    ids = chosen[(page - 1) * per_page : page * per_page]
    by_id = {
        o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    }
    boards = [s for _, county, s in statuses if county]
    return DashboardPage(
        rows=[figures.row(by_id[org_id]) for org_id in ids],
        counts=dict(counts),
        boards=len(boards),
        boards_answered=sum(1 for s in boards if s in (STATUS_ON_TIME, STATUS_LATE)),
        bouncing=sum(
            1 for notes in figures.notes.values() for i in notes if i.contact and i.contact.bouncing
        ),
        page=page,
        pages=pages,
    )


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
