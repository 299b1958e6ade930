"""An answer as it travels between the form, the database and the readers, whatever its
kind: each kind uses some of the parts and leaves the others empty.

Stored answers are read back into this shape without asking the kind (one row of columns
gives one `AnswerInput`), so reading many responses costs no more than reading their rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

if TYPE_CHECKING:
    from coordinator.models import Answer, Question

MAX_ANSWER_LENGTH = 20_000


@dataclass
class AnswerInput:
    """One question's answer as posted or as stored."""

    choice: str = ""
    text: str = ""
    options: list[str] = field(default_factory=list)
    other: str = ""

    @property
    def empty(self) -> bool:
        return not (self.choice or self.text.strip() or self.options or self.other.strip())


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
        "Svaret på fråga %(number)s är %(length)s tecken. Korta det till högst "
        "%(limit)s tecken; texten finns kvar i fältet.",
        number=question.number,
        length=len(value),
        limit=MAX_ANSWER_LENGTH,
    )


def write_answer(row: Answer, answer: AnswerInput) -> None:
    """The parts of a normalised answer into its row."""
    row.choice = answer.choice or None
    row.text = answer.text
    row.options = list(answer.options)
    row.other_text = answer.other


def read_answer(
    choice: str | None, text: str | None, options: list[Any] | None, other: str | None
) -> AnswerInput:
    """A stored answer from its columns, whatever its kind."""
    return AnswerInput(
        choice=choice or "", text=text or "", options=list(options or []), other=other or ""
    )
