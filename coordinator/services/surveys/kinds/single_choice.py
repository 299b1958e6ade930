"""One of several options (radio buttons)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordinator.services.surveys.kinds.answers import AnswerInput, field_name, plain, posted_text
from coordinator.services.surveys.kinds.choices import (
    OptionsKind,
    option_label,
    option_values,
    other_label,
)
from coordinator.services.surveys.kinds.summaries import ChoiceTally, Tally

if TYPE_CHECKING:
    from coordinator.models import Question


class SingleChoice(OptionsKind):
    name = "single_choice"
    label = _l("Ett alternativ")
    export_label = "Ett alternativ"

    def parse(self, question: Question, form: Any) -> AnswerInput:
        return AnswerInput(
            choice=posted_text(form, field_name(question, "choice")),
            other=posted_text(form, field_name(question, "other")),
        )

    def normalise(self, question: Question, answer: AnswerInput) -> AnswerInput:
        return AnswerInput(
            choice=answer.choice if answer.choice in option_values(question) else "",
            other=plain(answer.other) if question.allow_other else "",
        )

    def missing(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        if answer.choice:
            return {}
        return {
            field_name(question, "choice"): _(
                "Välj ett alternativ i fråga %(number)s", number=question.number
            )
        }

    def condition_choices(self, question: Question) -> list[tuple[str, str]]:
        return [(o["value"], o["label"]) for o in question.options]

    def chosen_labels(self, question: Question, answer: AnswerInput) -> list[str]:
        return [option_label(question, answer.choice)] if answer.choice else []

    def tally(self, question: Question, collect_texts: bool) -> Tally:
        return ChoiceTally(
            question,
            collect_texts,
            [(o["value"], o["label"]) for o in question.options],
            other_label(question) if question.allow_other else None,
        )
