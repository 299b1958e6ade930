"""Meeting notes: every save is a revision; two people editing at once never lose text;
decisions and action items are picked out of the text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

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


@dataclass
class DiffPart:
    """A run of words: "same" in both versions, or "added" / "removed"."""

    kind: str
    text: str


@dataclass
class DiffRow:
    """One line of each version, side by side; a side is None where the line is only in
    the other version."""

    old: list[DiffPart] | None
    new: list[DiffPart] | None

    @property
    def changed(self) -> bool:
        return any(p.kind != "same" for p in (self.old or []) + (self.new or [])) or (
            self.old is None or self.new is None
        )


@dataclass
class NotesDiff:
    rows: list[DiffRow]
    added: int  # lines only in the newer version
    removed: int  # lines only in the older version
    changed: int  # lines in both, with words changed


_WORDS = re.compile(r"\s+|\S+")


def _word_diff(old: str, new: str) -> tuple[list[DiffPart], list[DiffPart]]:
    """The changed words of a line, whole words only (a word is never split). Changes
    with only spaces between them count as one, so "Beslut: A" → "Åtgärd: B" is one
    removal and one addition, not one per word."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    runs: list[tuple[bool, str, str]] = []  # (changed, old text, new text)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        runs.append((tag != "equal", "".join(a[i1:i2]), "".join(b[j1:j2])))
    merged: list[tuple[bool, str, str]] = []
    for k, run in enumerate(runs):
        between_changes = 0 < k < len(runs) - 1 and runs[k + 1][0]
        if merged and merged[-1][0] and (run[0] or (run[1].isspace() and between_changes)):
            merged[-1] = (True, merged[-1][1] + run[1], merged[-1][2] + run[2])
        else:
            merged.append(run)
    old_parts: list[DiffPart] = []
    new_parts: list[DiffPart] = []
    for changed, old_text, new_text in merged:
        if old_text:
            old_parts.append(DiffPart("removed" if changed else "same", old_text))
        if new_text:
            new_parts.append(DiffPart("added" if changed else "same", new_text))
    return old_parts, new_parts


def compare_texts(old: str, new: str) -> NotesDiff:
    """Two versions line by line; changed lines word by word. The template shows removed
    words as <del> and added ones as <ins>, each with a word for screen readers."""
    a, b = old.splitlines(), new.splitlines()
    diff = NotesDiff([], 0, 0, 0)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            diff.rows += [
                DiffRow([DiffPart("same", x)], [DiffPart("same", y)])
                for x, y in zip(a[i1:i2], b[j1:j2], strict=True)
            ]
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            diff.rows.append(DiffRow(*_word_diff(a[i1 + k], b[j1 + k])))
        diff.changed += paired
        diff.rows += [DiffRow([DiffPart("removed", x)], None) for x in a[i1 + paired : i2]]
        diff.rows += [DiffRow(None, [DiffPart("added", y)]) for y in b[j1 + paired : j2]]
        diff.removed += i2 - i1 - paired
        diff.added += j2 - j1 - paired
    return diff


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
