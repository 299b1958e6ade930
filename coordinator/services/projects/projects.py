"""Projects: creating and changing them, and what their pages and the overview show."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import Document, Meeting, NewsItem, Project, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.errors import ProjectError
from coordinator.services.projects.notes import items

EDITABLE = (
    "title",
    "slug",
    "summary",
    "purpose",
    "origin",
    "plan",
    "state",
    "visibility",
    "language",
)


@dataclass
class OverviewRow:
    project: Project
    next_meeting: Meeting | None
    open_surveys: list[Survey]
    latest_news: NewsItem | None


def save_project(
    project: Project | None,
    *,
    values: dict[str, str],
    leader_id: int | None,
    member_ids: list[int],
    actor: User,
    now: datetime,
) -> Project:
    """Create (when `project` is None) or change a project."""
    if project is None:
        return create_project(
            values=values, leader_id=leader_id, member_ids=member_ids, actor=actor, now=now
        )
    _check_free_slug(values["slug"], project)
    _apply(project, values, leader_id, member_ids)
    db.session.flush()
    _record(actor, "project.update", project, now)
    return project


def create_project(
    *,
    values: dict[str, str],
    leader_id: int | None,
    member_ids: list[int],
    actor: User,
    now: datetime,
) -> Project:
    """The one way a project comes to be: its creator and its leader are members, so they
    can add meetings, notes and workshop notes to it at once."""
    _check_free_slug(values["slug"], None)
    project = Project(created_at=now)
    db.session.add(project)
    _apply(project, values, leader_id, [*member_ids, actor.id])
    db.session.flush()
    _record(actor, "project.create", project, now)
    return project


def project_for_survey(title: str, actor: User, now: datetime) -> Project:
    """The project with this title (any case), or a new staff-only one with a free slug.
    Only the members of an existing project may add a survey to it."""
    title = title.strip()
    project = db.session.scalar(select(Project).where(func.lower(Project.title) == title.lower()))
    if project is not None:
        if not project.is_member(actor):
            raise ProjectError(
                _l(
                    "Du är inte medlem i projektet %(title)s. Be projektledaren att lägga "
                    "till dig, eller ange ett nytt projekt.",
                    title=project.title,
                ),
                "project_title",
            )
        return project
    values = {
        "title": title,
        "slug": free_slug(title),
        "state": "running",
        "visibility": "staff",
        "language": "sv",
    }
    return create_project(values=values, leader_id=None, member_ids=[], actor=actor, now=now)


def free_slug(title: str) -> str:
    """A short name for URLs made from `title` that no project uses yet."""
    table = str.maketrans("åäöéü", "aaoeu")
    base = re.sub(r"[^a-z0-9]+", "-", title.lower().translate(table)).strip("-")[:60] or "projekt"
    slug, n = base, 1
    while db.session.scalar(select(Project.id).where(Project.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_free_slug(slug: str, project: Project | None) -> None:
    clash = db.session.scalar(select(Project).where(Project.slug == slug))
    if clash is not None and clash is not project:
        raise ProjectError(_l("Kortnamnet används redan av ett annat projekt."), "slug")


def _apply(
    project: Project, values: dict[str, str], leader_id: int | None, member_ids: list[int]
) -> None:
    for name in EDITABLE:
        setattr(project, name, (values.get(name) or "").strip())
    project.leader = db.session.get(User, leader_id) if leader_id else None
    wanted = set(member_ids) | ({leader_id} if leader_id else set())
    project.members = list(db.session.scalars(select(User).where(User.id.in_(wanted))))


def _record(actor: User, action: str, project: Project, now: datetime) -> None:
    record_event(
        actor,
        action,
        "project",
        project.id,
        project.title,
        {"visibility": project.visibility, "state": project.state},
        now=now,
    )


def overview(now: datetime) -> list[OverviewRow]:
    """Every project with its next meeting, its open surveys and its latest news."""
    rows = []
    for project in db.session.scalars(select(Project).order_by(Project.title)):
        next_meeting = db.session.scalar(
            select(Meeting)
            .where(
                Meeting.project_id == project.id,
                Meeting.starts_at >= now,
                Meeting.cancelled_at.is_(None),
            )
            .order_by(Meeting.starts_at)
            .limit(1)
        )
        open_surveys = list(
            db.session.scalars(
                select(Survey)
                .where(Survey.project_id == project.id, Survey.state == "open")
                .order_by(Survey.deadline_at)
            )
        )
        latest = db.session.scalar(
            select(NewsItem)
            .where(NewsItem.project_id == project.id)
            .order_by(NewsItem.published_on.desc(), NewsItem.id.desc())
            .limit(1)
        )
        rows.append(OverviewRow(project, next_meeting, open_surveys, latest))
    return rows


def page_data(project: Project, *, public: bool) -> dict[str, Any]:
    """What a project page shows; the public page gets published content only."""
    meetings = list(
        db.session.scalars(
            select(Meeting).where(Meeting.project_id == project.id).order_by(Meeting.starts_at)
        )
    )
    news = (
        select(NewsItem)
        .where(NewsItem.project_id == project.id)
        .order_by(NewsItem.published_on.desc(), NewsItem.id.desc())
    )
    if public:
        news = news.where(NewsItem.published.is_(True))
    surveys = select(Survey).where(Survey.project_id == project.id).order_by(Survey.deadline_at)
    if public:
        surveys = surveys.where(Survey.state != "draft")
    documents = select(Document).where(Document.project_id == project.id).order_by(Document.id)
    attachments: dict[int, list[Document]] = {}
    plan_documents = []
    for document in db.session.scalars(documents):
        if document.meeting_id is None:
            plan_documents.append(document)
        else:
            attachments.setdefault(document.meeting_id, []).append(document)
    return {
        "project": project,
        "meetings": meetings,
        "news": list(db.session.scalars(news)),
        "surveys": list(db.session.scalars(surveys)),
        "items": items(meetings, published_only=public),
        "documents": plan_documents,
        "attachments": attachments,
        "public": public,
    }
