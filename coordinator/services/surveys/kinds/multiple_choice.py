"""Any number of options (checkboxes), with an optional "Annat, nämligen" text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordinator.services.surveys.kinds.answers import (
    AnswerInput,
    field_name,
    plain,
    posted_list,
    posted_text,
)
from coordinator.services.surveys.kinds.choices import (
    OptionsKind,
    option_label,
    option_values,
    other_label,
)
from coordinator.services.surveys.kinds.summaries import OptionsTally, Tally

if TYPE_CHECKING:
    from coordinator.models import Question


class MultipleChoice(OptionsKind):
    name = "multiple_choice"
    label = _l("Flera alternativ")
    export_label = "Flera alternativ"
    settings_fields = ("options", "use_sni", "allow_other")

    def offers_other(self) -> bool:
        return True

    def parse(self, question: Question, form: Any) -> AnswerInput:
        return AnswerInput(
            options=posted_list(form, field_name(question, "options")),
            other=posted_text(form, field_name(question, "other")),
        )

    def normalise(self, question: Question, answer: AnswerInput) -> AnswerInput:
        valid = option_values(question)
        return AnswerInput(
            options=[o for o in answer.options if o in valid],
            other=plain(answer.other) if question.allow_other else "",
        )

    def missing(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        if answer.options or answer.other.strip():
            return {}
        return {
            field_name(question, "options"): _(
                "Välj minst ett alternativ i fråga %(number)s", number=question.number
            )
        }

    def chosen_labels(self, question: Question, answer: AnswerInput) -> list[str]:
        return [option_label(question, v) for v in answer.options]

    def tally(self, question: Question, collect_texts: bool) -> Tally:
        return OptionsTally(
            question,
            collect_texts,
            [(o["value"], o["label"]) for o in question.options],
            other_label(question) if question.allow_other else None,
        )
