"""Ja or nej, with a comment ("Svara ja eller nej samt beskriv det kort")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordinator.services.surveys.kinds.answers import (
    AnswerInput,
    field_name,
    plain,
    posted_text,
    too_long,
)
from coordinator.services.surveys.kinds.base import Column, ExportValue, QuestionKind
from coordinator.services.surveys.kinds.summaries import ChoiceTally, Tally

if TYPE_CHECKING:
    from coordinator.models import Question

VALUES = ("yes", "no")
# The workbook and the results' counts are in Swedish whatever the interface language.
SWEDISH = {"yes": "Ja", "no": "Nej"}


class YesNoComment(QuestionKind):
    name = "yes_no_comment"
    label = _l("Ja/nej med kommentar")
    export_label = "Ja/nej med kommentar"
    sheet_widths = (50, 60)

    def parse(self, question: Question, form: Any) -> AnswerInput:
        return AnswerInput(
            choice=posted_text(form, field_name(question, "choice")),
            text=posted_text(form, field_name(question, "text")),
        )

    def normalise(self, question: Question, answer: AnswerInput) -> AnswerInput:
        return AnswerInput(
            choice=answer.choice if answer.choice in VALUES else "", text=plain(answer.text)
        )

    def check(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        message = too_long(question, answer.text)
        return {field_name(question, "text"): message} if message else {}

    def missing(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        if answer.choice in VALUES:
            return {}
        return {
            field_name(question, "choice"): _(
                "Svara ja eller nej på fråga %(number)s", number=question.number
            )
        }

    def choice_label(self, question: Question, value: str) -> str:
        return {"yes": _("Ja"), "no": _("Nej")}.get(value, value)

    def condition_choices(self, question: Question) -> list[tuple[str, str]]:
        return [(value, self.choice_label(question, value)) for value in VALUES]

    def plain_text(self, question: Question, answer: AnswerInput | None) -> str:
        if answer is None:
            return ""
        lines = [self.choice_label(question, answer.choice)] if answer.choice else []
        return "\n".join([*lines, answer.text] if answer.text else lines)

    def tally(self, question: Question, collect_texts: bool) -> Tally:
        return ChoiceTally(question, collect_texts, list(SWEDISH.items()))

    def columns(self, question: Question) -> list[Column]:
        return [
            Column(f"{question.number} Ja/Nej: {question.text}", 10),
            Column(f"{question.number} Kommentar", 40),
        ]

    def cells(self, question: Question, answer: AnswerInput | None) -> list[ExportValue]:
        if answer is None:
            return ["", ""]
        return [SWEDISH.get(answer.choice, answer.choice), answer.text]

    def sheet_cells(
        self, question: Question, answer: AnswerInput | None
    ) -> tuple[ExportValue, ExportValue]:
        main, comment = self.cells(question, answer)
        return main, comment
