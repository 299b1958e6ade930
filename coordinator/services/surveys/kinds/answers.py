"""An answer as it travels between the form, the database and the readers, whatever its
kind: each kind uses some of the parts and leaves the others empty.

Stored answers are read back into this shape without asking the kind (one row of columns
gives one `AnswerInput`), so reading many responses costs no more than reading their rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask_babel import format_decimal
from flask_babel import gettext as _

if TYPE_CHECKING:
    from coordinator.models import Answer, Question

MAX_ANSWER_LENGTH = 20_000


@dataclass
class StoredFile:
    """An attachment stored with an answer."""

    id: int
    filename: str
    size: int


@dataclass
class Upload:
    """A file posted with the form, not yet checked or stored."""

    filename: str
    data: bytes


@dataclass
class AnswerInput:
    """One question's answer as posted or as stored."""

    choice: str = ""
    # Free text, a comment, or a number or date as typed.
    text: str = ""
    options: list[str] = field(default_factory=list)
    other: str = ""
    # The number or date the kind read from `text`, or that is stored.
    value: Decimal | date | None = None
    # A grid: the chosen value of each row, by the row's value.
    rows: dict[str, str] = field(default_factory=dict)
    # Attachments: those stored, those posted now, and the stored ones to remove.
    files: list[StoredFile] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.choice
            or self.text.strip()
            or self.options
            or self.other.strip()
            or self.value is not None
            or any(self.rows.values())
            or self.files
            or self.uploads
        )


def field_name(question: Question, part: str) -> str:
    """The name of a posted field of `question`: q<id>_<part>. A part ending in _choice or
    _options is a group of radios or checkboxes whose first input has the id <name>-0."""
    return f"q{question.id}_{part}"


def posted_text(form: Any, name: str) -> str:
    """One posted value as text ("" for a missing or non-text value)."""
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def posted_list(form: Any, name: str) -> list[str]:
    """Every posted value of a repeated field, as text."""
    if hasattr(form, "getlist"):
        return [v for v in form.getlist(name) if isinstance(v, str)]
    value = form.get(name, [])
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) and value else []


def plain(text: str) -> str:
    """NUL means nothing in text and PostgreSQL cannot store it."""
    return text.replace("\x00", "")


def too_long(question: Question, value: str) -> str | None:
    """The message for a text longer than an answer may be, or None."""
    if len(value) <= MAX_ANSWER_LENGTH:
        return None
    return _(
        "Texten i fråga %(number)s är för lång: %(length)s av högst %(limit)s "
        "tecken. Den är inte sparad; korta den i fältet.",
        number=question.number,
        length=format_decimal(len(value)),
        limit=format_decimal(MAX_ANSWER_LENGTH),
    )


def write_answer(row: Answer, answer: AnswerInput) -> None:
    """The parts of a normalised answer into its row (its files apart)."""
    row.choice = answer.choice or None
    row.text = answer.text
    row.options = list(answer.options)
    row.other_text = answer.other
    row.number_value = answer.value if isinstance(answer.value, Decimal) else None
    row.date_value = answer.value if isinstance(answer.value, date) else None
    row.row_choices = dict(answer.rows)


# The columns of an answer row that `read_answer` takes, in its order.
ANSWER_COLUMNS = (
    "choice",
    "text",
    "options",
    "other_text",
    "number_value",
    "date_value",
    "row_choices",
)


def read_answer(
    choice: str | None,
    text: str | None,
    options: list[Any] | None,
    other: str | None,
    number: Decimal | None = None,
    day: date | None = None,
    rows: Mapping[str, str] | None = None,
    files: list[StoredFile] | None = None,
) -> AnswerInput:
    """A stored answer from its columns (in the order of ANSWER_COLUMNS), whatever its kind."""
    return AnswerInput(
        choice=choice or "",
        text=text or "",
        options=list(options or []),
        other=other or "",
        value=number if number is not None else day,
        rows=dict(rows or {}),
        files=list(files or []),
    )
