"""News (Aktuellt): dated posts on a project, draft or published, perhaps about a survey."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import NewsItem, Project, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.errors import NewsError


def project_surveys(project: Project) -> list[Survey]:
    """The surveys a post on this project may link to."""
    return list(
        db.session.scalars(
            select(Survey).where(Survey.project_id == project.id).order_by(Survey.deadline_at)
        )
    )


def save_news(
    item: NewsItem | None,
    *,
    project: Project,
    title: str,
    body: str,
    published_on: datetime,
    published: bool,
    survey_id: int | None,
    actor: User,
    language: str = "sv",
    now: datetime,
) -> NewsItem:
    """Create or change a post; a linked survey must belong to the same project."""
    if survey_id is not None and survey_id not in {s.id for s in project_surveys(project)}:
        raise NewsError(_l("Välj en av projektets enkäter."))
    created = item is None
    if item is None:
        item = NewsItem(project=project, author_id=actor.id, created_at=now)
        db.session.add(item)
    was_published = item.published
    item.title, item.body = title.strip(), body.replace("\x00", "")
    item.published_on, item.published, item.survey_id = published_on, published, survey_id
    item.language = language
    db.session.flush()
    action = "news.create" if created else "news.update"
    if published and not was_published:
        action = "news.publish"
    record_event(actor, action, "news", item.id, item.title, {"published": published}, now=now)
    return item
