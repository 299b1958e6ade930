"""One search box for staff over projects, meetings, notes, news and contacts.

Matching is done in Python with str.casefold, so that å, ä and ö (and É, ß …) match the
same way on SQLite, whose lower() folds ASCII only, and on PostgreSQL. The register and
project space are hundreds of rows, not millions; a full-text index can replace this
when they grow.
"""

from __future__ import annotations

from collections.abc import Iterator
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


class _Matcher:
    """Every word of the query, in any of the texts, in any case (å, ä and ö alike on
    SQLite and PostgreSQL, as the casefolding is done here)."""

    def __init__(self, query: str) -> None:
        self.words = [w for w in query.casefold().split() if w][:10]

    def __call__(self, *texts: str | None) -> str | None:
        joined = "\n".join(t for t in texts if t)
        folded = joined.casefold()
        if all(w in folded for w in self.words):
            return _excerpt(joined, self.words[0])
        return None


def search(query: str) -> list[Hit]:
    matches = _Matcher(query)
    if not matches.words:
        return []
    hits = [
        *_project_hits(matches),
        *_meeting_hits(matches),
        *_news_hits(matches),
        *_contact_hits(matches),
    ]
    return hits[:MAX_RESULTS]


def _project_hits(matches: _Matcher) -> Iterator[Hit]:
    for project in db.session.scalars(select(Project)):
        texts = (project.title, project.summary, project.purpose, project.origin, project.plan)
        if (found := matches(*texts)) is not None:
            values: dict[str, object] = {"slug": project.slug}
            yield Hit(_l("Projekt"), project.title, "projects.show_project", values, found)


def _meeting_hits(matches: _Matcher) -> Iterator[Hit]:
    for meeting in db.session.scalars(select(Meeting)):
        values: dict[str, object] = {"meeting_id": meeting.id}
        if (found := matches(meeting.title, meeting.place, meeting.agenda)) is not None:
            yield Hit(_l("Möte"), meeting.title, "projects.show_meeting", values, found)
        notes = meeting.latest_revision.text if meeting.latest_revision else ""
        if notes and (found := matches(notes)) is not None:
            yield Hit(_l("Anteckningar"), meeting.title, "projects.show_meeting", values, found)


def _news_hits(matches: _Matcher) -> Iterator[Hit]:
    for item in db.session.scalars(select(NewsItem)):
        if (found := matches(item.title, item.body)) is not None:
            values: dict[str, object] = {"slug": item.project.slug, "_anchor": f"news-{item.id}"}
            yield Hit(_l("Aktuellt"), item.title, "projects.show_project", values, found)


def _contact_hits(matches: _Matcher) -> Iterator[Hit]:
    for contact in db.session.scalars(select(Contact).where(Contact.erased_at.is_(None))):
        texts = (contact.name, contact.email, contact.title, contact.organisation.name)
        if (found := matches(*texts)) is not None:
            values: dict[str, object] = {"contact_id": contact.id}
            yield Hit(_l("Kontakt"), contact.name, "register.show_contact", values, found)
