"""A scale: 1–5 or 1–7 with labels at the ends and an optional "Vet ej" outside the scale.
The results show the distribution and the mean of the answers on the scale."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordinator.services.surveys.kinds.answers import AnswerInput, field_name, posted_text
from coordinator.services.surveys.kinds.base import ExportValue, QuestionKind
from coordinator.services.surveys.kinds.scales import (
    DONT_KNOW,
    clean_scale,
    on_scale,
    point_label,
    reading,
    scale_choices,
    scale_data,
    scale_values,
)
from coordinator.services.surveys.kinds.statistics import ScaleTally
from coordinator.services.surveys.kinds.summaries import Tally

if TYPE_CHECKING:
    from coordinator.models import Question


class RatingScale(QuestionKind):
    name = "rating_scale"
    label = _l("Skala")
    export_label = "Skala"
    settings_fields: ClassVar[tuple[str, ...]] = (
        "scale_points",
        "low_label",
        "high_label",
        "dont_know",
    )
    sheet_widths = (14, 14)

    def clean_settings(
        self, values: Mapping[str, Any], current: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        return clean_scale(values)

    def settings_data(self, question: Question) -> dict[str, Any]:
        return scale_data(question.settings or {})

    def fixed_settings(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"points": settings.get("points"), "dont_know": bool(settings.get("dont_know"))}

    def points(self, question: Question) -> list[tuple[str, str]]:
        """The points of the scale with their labels, "Vet ej" apart."""
        return [(v, label) for v, label in self.condition_choices(question) if v != DONT_KNOW]

    def outside(self, question: Question) -> list[tuple[str, str]]:
        """ "Vet ej", when the scale offers it."""
        return [(v, label) for v, label in self.condition_choices(question) if v == DONT_KNOW]

    def condition_choices(self, question: Question) -> list[tuple[str, str]]:
        return scale_choices(question.settings or {})

    def parse(self, question: Question, form: Any) -> AnswerInput:
        return AnswerInput(choice=posted_text(form, field_name(question, "choice")))

    def normalise(self, question: Question, answer: AnswerInput) -> AnswerInput:
        valid = scale_values(question.settings or {})
        return AnswerInput(choice=answer.choice if answer.choice in valid else "")

    def missing(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        if answer.choice:
            return {}
        return {
            field_name(question, "choice"): _(
                "Välj ett värde på skalan i fråga %(number)s", number=question.number
            )
        }

    def choice_label(self, question: Question, value: str) -> str:
        return point_label(question.settings or {}, value)

    def plain_text(self, question: Question, answer: AnswerInput | None) -> str:
        if answer is None or not answer.choice:
            return ""
        return reading(question.settings or {}, answer.choice)

    def tally(self, question: Question, collect_texts: bool) -> Tally:
        return ScaleTally(question, collect_texts, self.condition_choices(question))

    def cells(self, question: Question, answer: AnswerInput | None) -> list[ExportValue]:
        if answer is None or not answer.choice:
            return [None]
        point = on_scale(answer.choice)
        return [point if point is not None else "Vet ej"]
