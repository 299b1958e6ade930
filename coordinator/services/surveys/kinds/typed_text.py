"""Kinds typed into one text field and stored as a value (a number, a date): what a
respondent typed is kept as typed until it reads as a value, and the field shows the
stored value written back the way people write it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from coordinator.services.surveys.kinds.answers import AnswerInput, field_name, posted_text
from coordinator.services.surveys.kinds.base import QuestionKind

if TYPE_CHECKING:
    from coordinator.models import Question


class TypedText(QuestionKind):
    """A kind whose answer is one value read from one text field."""

    value_type: type
    # The value a text stands for (ValueError if none), and the value as people write it.
    read: Callable[[str], Any]
    write: Callable[[Any], str]

    def parse(self, question: Question, form: Any) -> AnswerInput:
        return AnswerInput(text=posted_text(form, field_name(question, "text")))

    def _value(self, answer: AnswerInput) -> Any:
        """The value typed, or else the value stored."""
        if answer.text.strip():
            try:
                return self.read(answer.text)
            except ValueError:
                return None
        return answer.value if isinstance(answer.value, self.value_type) else None

    def normalise(self, question: Question, answer: AnswerInput) -> AnswerInput:
        return AnswerInput(value=self._value(answer))

    def is_empty(self, question: Question, answer: AnswerInput) -> bool:
        return not answer.text.strip() and answer.value is None

    def missing(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        if not self.is_empty(question, answer):
            return {}
        return {
            field_name(question, "text"): _("Svara på fråga %(number)s", number=question.number)
        }

    def form_text(self, answer: AnswerInput | None) -> str:
        """The field's text: as typed, or the stored value written back."""
        if answer is None:
            return ""
        if answer.text or not isinstance(answer.value, self.value_type):
            return answer.text
        return self.write(answer.value)
