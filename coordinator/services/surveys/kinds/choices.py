"""What the kinds with answer options share: options from one label per line or from a
ready-made list (SNI 2007), their labels, and an optional "Annat, nämligen" text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from flask_babel import lazy_gettext as _l

from coordinator.services.errors import SurveyError
from coordinator.services.surveys.kinds.answers import AnswerInput, field_name, too_long
from coordinator.services.surveys.kinds.base import ExportValue, QuestionKind
from coordinator.services.surveys.option_lists import option_items

if TYPE_CHECKING:
    from coordinator.models import Question

SNI_2007 = "sni2007"


def options_from_lines(
    lines: str, use_sni: bool, current: Sequence[Mapping[str, Any]] = ()
) -> list[dict[str, Any]]:
    """Options from one label per line (a label kept from `current` keeps its value), or
    the SNI 2007 list."""
    if use_sni:
        return option_items(SNI_2007)
    values = {o["label"]: o["value"] for o in current}
    labels = [line.strip() for line in lines.splitlines() if line.strip()]
    if not labels:
        raise SurveyError(_l("Ange minst ett svarsalternativ, ett per rad"), field="options")
    return [{"value": values.get(label, label), "label": label} for label in labels]


def option_values(question: Question) -> set[str]:
    return {o["value"] for o in question.options}


def option_label(question: Question, value: str) -> str:
    return next((o["label"] for o in question.options if o["value"] == value), value)


def other_label(question: Question) -> str:
    return question.other_label or "Annat"


class OptionsKind(QuestionKind):
    settings_fields: ClassVar[tuple[str, ...]] = ("options", "use_sni")

    def build_options(
        self, lines: str, use_sni: bool, current: Sequence[Mapping[str, Any]] = ()
    ) -> list[dict[str, Any]]:
        return options_from_lines(lines, use_sni, current)

    def check(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        message = too_long(question, answer.other)
        return {field_name(question, "other"): message} if message else {}

    def choice_label(self, question: Question, value: str) -> str:
        return option_label(question, value)

    def chosen_labels(self, question: Question, answer: AnswerInput) -> list[str]:
        """The labels of what was chosen, in the order chosen."""
        return []

    def plain_text(self, question: Question, answer: AnswerInput | None) -> str:
        if answer is None:
            return ""
        lines = ["; ".join(labels)] if (labels := self.chosen_labels(question, answer)) else []
        if answer.other:
            lines.append(f"{other_label(question)}: {answer.other}")
        return "\n".join(lines)

    def cells(self, question: Question, answer: AnswerInput | None) -> list[ExportValue]:
        """Labels joined with "; ", the other text last."""
        if answer is None:
            return [""]
        parts = self.chosen_labels(question, answer)
        if answer.other.strip():
            parts.append(f"{other_label(question)}: {answer.other}")
        return ["; ".join(parts)]
