"""A grid: several rows (e.g. sectors) answered on the same options or the same scale.
A table on wide screens, one fieldset per row on narrow ones; results and the workbook
have one row per grid row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordinator.services.errors import SurveyError
from coordinator.services.surveys.kinds.answers import AnswerInput, field_name, posted_text
from coordinator.services.surveys.kinds.base import Column, ExportValue, QuestionKind
from coordinator.services.surveys.kinds.choices import options_from_lines
from coordinator.services.surveys.kinds.scales import (
    clean_scale,
    on_scale,
    reading,
    scale_choices,
    scale_data,
)
from coordinator.services.surveys.kinds.statistics import GridTally
from coordinator.services.surveys.kinds.summaries import Tally

if TYPE_CHECKING:
    from coordinator.models import Question

MAX_ROWS = 30


def row_field(question: Question, index: int) -> str:
    return field_name(question, f"row{index}_choice")


class ChoiceGrid(QuestionKind):
    name = "choice_grid"
    label = _l("Rutnät (flera rader med samma alternativ)")
    export_label = "Rutnät"
    settings_fields: ClassVar[tuple[str, ...]] = (
        "grid_rows",
        "options",
        "grid_scale",
        "scale_points",
        "low_label",
        "high_label",
        "dont_know",
    )
    sheet_headers = ("Rad", "Svar")
    sheet_widths = (30, 14)

    def build_options(self, lines: str, use_sni: bool, current: Any = ()) -> list[dict[str, Any]]:
        """The columns, when the grid is answered on options rather than a scale."""
        return options_from_lines(lines, False, current) if lines.strip() else []

    def clean_settings(
        self, values: Mapping[str, Any], current: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        kept = {row["label"]: row["value"] for row in (current or {}).get("rows", [])}
        labels = [line.strip() for line in str(values.get("grid_rows") or "").splitlines()]
        labels = list(dict.fromkeys(label for label in labels if label))
        if not labels:
            raise SurveyError(_l("Ange rutnätets rader, en per rad"), "grid_rows")
        if len(labels) > MAX_ROWS:
            raise SurveyError(_l("Ett rutnät kan ha högst %(n)s rader", n=MAX_ROWS), "grid_rows")
        scale = bool(values.get("grid_scale"))
        if not scale and not str(values.get("options") or "").strip():
            raise SurveyError(
                _l("Ange svarsalternativen, ett per rad, eller välj att svara på en skala"),
                "options",
            )
        rows = [{"value": kept.get(label, label), "label": label} for label in labels]
        return {"rows": rows, "scale": scale, **(clean_scale(values) if scale else {})}

    def settings_data(self, question: Question) -> dict[str, Any]:
        settings = question.settings or {}
        return {
            "grid_rows": "\n".join(row["label"] for row in settings.get("rows", [])),
            "grid_scale": bool(settings.get("scale")),
            **(scale_data(settings) if settings.get("scale") else {}),
        }

    def fixed_settings(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "rows": [row["value"] for row in settings.get("rows", [])],
            "scale": bool(settings.get("scale")),
            "points": settings.get("points"),
            "dont_know": bool(settings.get("dont_know")),
        }

    def rows(self, question: Question) -> list[tuple[str, str]]:
        return [(row["value"], row["label"]) for row in (question.settings or {}).get("rows", [])]

    def answer_columns(self, question: Question) -> list[tuple[str, str]]:
        """What each row is answered with: the points of the scale, or the options."""
        settings = question.settings or {}
        if settings.get("scale"):
            return scale_choices(settings)
        return [(o["value"], o["label"]) for o in question.options]

    def is_scale(self, question: Question) -> bool:
        return bool((question.settings or {}).get("scale"))

    def parse(self, question: Question, form: Any) -> AnswerInput:
        return AnswerInput(
            rows={
                value: posted_text(form, row_field(question, index))
                for index, (value, _label) in enumerate(self.rows(question))
            }
        )

    def normalise(self, question: Question, answer: AnswerInput) -> AnswerInput:
        rows = {value for value, _ in self.rows(question)}
        columns = {value for value, _ in self.answer_columns(question)}
        return AnswerInput(
            rows={r: v for r, v in answer.rows.items() if r in rows and v in columns}
        )

    def missing(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        unanswered = [
            index
            for index, (value, _label) in enumerate(self.rows(question))
            if not answer.rows.get(value)
        ]
        if not unanswered:
            return {}
        return {
            row_field(question, unanswered[0]): _(
                "Svara på varje rad i fråga %(number)s (%(n)s saknas)",
                number=question.number,
                n=len(unanswered),
            )
        }

    def choice_label(self, question: Question, value: str) -> str:
        return dict(self.answer_columns(question)).get(value, value)

    def plain_text(self, question: Question, answer: AnswerInput | None) -> str:
        if answer is None:
            return ""
        return "\n".join(
            f"{label}: {self.reading(question, answer.rows[value])}"
            for value, label in self.rows(question)
            if answer.rows.get(value)
        )

    def reading(self, question: Question, value: str) -> str:
        """One row's answer on its own: "4 av 5 – Bra", "Vet ej", an option's label."""
        if self.is_scale(question):
            return reading(question.settings or {}, value)
        return self.choice_label(question, value)

    def tally(self, question: Question, collect_texts: bool) -> Tally:
        return GridTally(
            question,
            collect_texts,
            self.rows(question),
            self.answer_columns(question),
            self.is_scale(question),
        )

    def _cell(self, question: Question, value: str) -> ExportValue:
        if not value:
            return None
        point = on_scale(value) if self.is_scale(question) else None
        return point if point is not None else self.choice_label(question, value)

    def columns(self, question: Question) -> list[Column]:
        return [
            Column(f"{question.number}: {question.text} – {label}", 14)
            for _value, label in self.rows(question)
        ]

    def cells(self, question: Question, answer: AnswerInput | None) -> list[ExportValue]:
        chosen = answer.rows if answer else {}
        return [self._cell(question, chosen.get(value, "")) for value, _ in self.rows(question)]

    def sheet_rows(
        self, question: Question, answer: AnswerInput | None
    ) -> list[tuple[ExportValue, ExportValue]]:
        chosen = answer.rows if answer else {}
        return [
            (label, self._cell(question, chosen.get(value, "")))
            for value, label in self.rows(question)
        ]
