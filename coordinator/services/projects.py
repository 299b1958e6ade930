"""Projects: creating and changing them, and what their pages and the overview show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Document, Meeting, NewsItem, Project, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.notes import items

EDITABLE = ("title", "slug", "summary", "purpose", "origin", "plan", "state", "visibility")


class ProjectError(ValueError):
    """A rule about projects was broken; `field` names the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


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
    """Create or change a project. The creator and the leader are always members."""
    clash = db.session.scalar(select(Project).where(Project.slug == values["slug"]))
    if clash is not None and clash is not project:
        raise ProjectError("slug", _("Kortnamnet används redan av ett annat projekt."))
    created = project is None
    if project is None:
        project = Project(created_at=now)
        db.session.add(project)
    for name in EDITABLE:
        setattr(project, name, (values.get(name) or "").strip())
    project.leader = db.session.get(User, leader_id) if leader_id else None
    wanted = set(member_ids) | {i for i in (leader_id, actor.id if created else None) if i}
    project.members = list(db.session.scalars(select(User).where(User.id.in_(wanted))))
    db.session.flush()
    record_event(
        actor,
        "project.create" if created else "project.update",
        "project",
        project.id,
        project.title,
        {"visibility": project.visibility, "state": project.state},
        now=now,
    )
    return project


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
