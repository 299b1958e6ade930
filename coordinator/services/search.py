"""One search box for staff over projects, meetings, notes, news and contacts.

Matching is done in Python with str.casefold, so that å, ä and ö (and É, ß …) match the
same way on SQLite, whose lower() folds ASCII only, and on PostgreSQL. The register and
project space are hundreds of rows, not millions; a full-text index can replace this
when they grow.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Contact, Meeting, NewsItem, Project

MAX_RESULTS = 50


@dataclass
class Hit:
    kind: LazyString
    title: str
    endpoint: str
    values: dict[str, object]
    excerpt: str


def _excerpt(text: str, needle: str) -> str:
    index = text.casefold().find(needle)
    start = max(index - 60, 0)
    return ("…" if start else "") + text[start : index + len(needle) + 100].replace("\n", " ")


def search(query: str) -> list[Hit]:
    words = [w for w in query.casefold().split() if w][:10]
    if not words:
        return []

    def matches(*texts: str) -> str | None:
        joined = "\n".join(t for t in texts if t)
        folded = joined.casefold()
        if all(w in folded for w in words):
            return _excerpt(joined, words[0])
        return None

    hits: list[Hit] = []
    for project in db.session.scalars(select(Project)):
        if (
            found := matches(
                project.title, project.summary, project.purpose, project.origin, project.plan
            )
        ) is not None:
            hits.append(
                Hit(
                    _l("Projekt"),
                    project.title,
                    "projects.show_project",
                    {"slug": project.slug},
                    found,
                )
            )
    for meeting in db.session.scalars(select(Meeting)):
        values: dict[str, object] = {"meeting_id": meeting.id}
        if (found := matches(meeting.title, meeting.place, meeting.agenda)) is not None:
            hits.append(Hit(_l("Möte"), meeting.title, "projects.show_meeting", values, found))
        notes = meeting.latest_revision.text if meeting.latest_revision else ""
        if notes and (found := matches(notes)) is not None:
            hits.append(
                Hit(_l("Anteckningar"), meeting.title, "projects.show_meeting", values, found)
            )
    for item in db.session.scalars(select(NewsItem)):
        if (found := matches(item.title, item.body)) is not None:
            values = {"slug": item.project.slug, "_anchor": f"news-{item.id}"}
            hits.append(Hit(_l("Aktuellt"), item.title, "projects.show_project", values, found))
    for contact in db.session.scalars(select(Contact).where(Contact.erased_at.is_(None))):
        email = contact.email or ""
        if (
            found := matches(contact.name, email, contact.title, contact.organisation.name)
        ) is not None:
            values = {"contact_id": contact.id}
            hits.append(Hit(_l("Kontakt"), contact.name, "register.show_contact", values, found))
    return hits[:MAX_RESULTS]
