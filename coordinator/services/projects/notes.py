"""Meeting notes: every save is a revision; two people editing at once never lose text;
decisions and action items are picked out of the text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

from coordinator.extensions import db
from coordinator.models import Meeting, NoteRevision, User
from coordinator.services.audit import record_event

ITEM = re.compile(r"^\s*[-*]?\s*(Beslut|Åtgärd)\s*:\s*(.+?)\s*$", re.IGNORECASE)
DETAILS = re.compile(
    r"\((?:ansvarig:\s*(?P<who>[^,)]+))?,?\s*(?:senast\s*(?P<when>\d{4}-\d{2}-\d{2}))?\)\s*$"
)


class NotesConflict(Exception):
    """Someone saved the notes after this editor opened them."""

    def __init__(self, latest: NoteRevision) -> None:
        super().__init__("conflict")
        self.latest = latest


@dataclass
class NoteItem:
    kind: str  # "Beslut" or "Åtgärd"
    text: str
    who: str
    when: str
    meeting: Meeting


def save_notes(
    meeting: Meeting,
    text: str,
    *,
    published: bool,
    based_on: int | None,
    actor: User,
    now: datetime,
) -> NoteRevision:
    latest = meeting.latest_revision
    if latest is not None and based_on != latest.id:
        raise NotesConflict(latest)
    revision = NoteRevision(
        meeting=meeting,
        text=text.replace("\x00", ""),
        published=published,
        author_id=actor.id,
        created_at=now,
    )
    db.session.add(revision)
    db.session.flush()
    record_event(
        actor,
        "notes.save",
        "meeting",
        meeting.id,
        meeting.title,
        {"revision": revision.id, "published": published},
        now=now,
    )
    return revision


def restore(meeting: Meeting, revision: NoteRevision, actor: User, now: datetime) -> NoteRevision:
    latest = meeting.latest_revision
    return save_notes(
        meeting,
        revision.text,
        published=bool(latest and latest.published),
        based_on=latest.id if latest else None,
        actor=actor,
        now=now,
    )


def side_by_side(old: str, new: str, old_label: str, new_label: str) -> Markup:
    """Two texts side by side, changed lines marked (difflib escapes the text)."""
    table = difflib.HtmlDiff(wrapcolumn=70).make_table(
        old.splitlines(),
        new.splitlines(),
        fromdesc=str(escape(old_label)),
        todesc=str(escape(new_label)),
        context=False,
    )
    return Markup(table.replace(' nowrap="nowrap"', ""))  # noqa: S704 - difflib escapes the lines


def items(meetings: list[Meeting], published_only: bool) -> list[NoteItem]:
    found = []
    for meeting in meetings:
        revision = meeting.published_revision if published_only else meeting.latest_revision
        if revision is None:
            continue
        for line in revision.text.splitlines():
            match = ITEM.match(line)
            if not match:
                continue
            kind, rest = match.group(1).capitalize(), match.group(2)
            details = DETAILS.search(rest)
            who = (details.group("who") or "").strip() if details else ""
            when = (details.group("when") or "") if details else ""
            text = rest[: details.start()].strip() if details and (who or when) else rest
            found.append(
                NoteItem(
                    "Åtgärd" if kind.lower() == "åtgärd" else "Beslut", text, who, when, meeting
                )
            )
    return found
