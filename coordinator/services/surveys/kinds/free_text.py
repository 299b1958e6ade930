"""What the short and the long text kinds share: one text, kept exactly as typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from coordinator.services.surveys.kinds.answers import (
    AnswerInput,
    field_name,
    plain,
    posted_text,
    too_long,
)
from coordinator.services.surveys.kinds.base import QuestionKind

if TYPE_CHECKING:
    from coordinator.models import Question


class FreeText(QuestionKind):
    def parse(self, question: Question, form: Any) -> AnswerInput:
        return AnswerInput(text=posted_text(form, field_name(question, "text")))

    def normalise(self, question: Question, answer: AnswerInput) -> AnswerInput:
        return AnswerInput(text=plain(answer.text))

    def check(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        message = too_long(question, answer.text)
        return {field_name(question, "text"): message} if message else {}

    def missing(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        if answer.text.strip():
            return {}
        return {
            field_name(question, "text"): _("Svara på fråga %(number)s", number=question.number)
        }
