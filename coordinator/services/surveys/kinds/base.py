"""What every question kind answers for the rest of the app.

A kind is one class in one module of this package, with one template under
`templates/kinds/`. The rest of the app asks the kind of a question (`kind_of(question)`)
and never compares kind strings:

- building: the settings of the question form that apply, and the options they give;
- answering: the posted fields read into an `AnswerInput`, what is refused (with a
  message at the field), what counts as empty or missing, what is stored;
- reading: the plain text of an answer (mails, printouts) and the partial template with
  the macros `form(q, a, errors, readonly)` and `read(q, a)`;
- results: a tally that sums the answers up for the results page and the workbook;
- export: the columns of "Alla svar" (and CSV), the rows of the question's own sheet and
  the cells of one answer. Cells are plain values (text, numbers, dates, links); the
  writers give each type its cell type, so a new writer (XlsxWriter, a PDF) stays generic.
- conditions: whether a follow-up question can depend on this kind's answer, on which
  values, and the value of an answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from coordinator.services.surveys.kinds.answers import AnswerInput, field_name, write_answer
from coordinator.services.surveys.kinds.summaries import Tally

if TYPE_CHECKING:
    from flask_babel.speaklater import LazyString

    from coordinator.models import Answer, Question


@dataclass(frozen=True)
class Link:
    """A cell that is text with a link (a staff address that needs a login)."""

    text: str
    url: str


# What an export cell holds. Text stays text (never a formula); numbers and dates become
# number and date cells; a link becomes text with a hyperlink.
ExportValue = str | int | Decimal | date | Link | None


@dataclass(frozen=True)
class Column:
    """A column of "Alla svar" (and CSV): its header and its width in the workbook."""

    header: str
    width: int = 40


class QuestionKind:
    """The default behaviour; each kind overrides what it does differently."""

    name: ClassVar[str]
    label: ClassVar[LazyString]
    # The kind's name in the workbook's "Frågor" sheet (the workbook is always Swedish).
    export_label: ClassVar[str]
    # A heading holds sub-questions and has no answer of its own.
    answerable: ClassVar[bool] = True
    # Fields of the question form (surveys/forms.py) that set this kind up.
    settings_fields: ClassVar[tuple[str, ...]] = ()
    # The question's own sheet: the headers and widths of its two answer columns. The
    # default `sheet_cells` leaves the second empty, so it gets little of the printed width.
    sheet_headers: ClassVar[tuple[str, str]] = ("Svar", "Kommentar")
    sheet_widths: ClassVar[tuple[int, int]] = (100, 13)
    # Whether answers carry files (read with one more query, and zipped for download).
    stores_files: ClassVar[bool] = False

    @property
    def template(self) -> str:
        return f"kinds/{self.name}.html"

    # Building

    def build_options(
        self, lines: str, use_sni: bool, current: Sequence[Mapping[str, Any]] = ()
    ) -> list[dict[str, Any]]:
        """The answer options a question of this kind offers; none unless it has options."""
        return []

    def offers_other(self) -> bool:
        """Whether the builder's "Annat, nämligen" applies."""
        return False

    def clean_settings(
        self, values: Mapping[str, Any], current: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The question's settings from the builder's fields named in `settings_fields`
        (SurveyError with the field when one is wrong); `current` are the settings stored."""
        return {}

    def settings_data(self, question: Question) -> dict[str, Any]:
        """The builder's fields for the question's stored settings."""
        return {}

    def fixed_settings(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The settings that decide what a stored answer means: they cannot change once the
        question has answers or the survey has opened (labels and units can)."""
        return {}

    def condition_choices(self, question: Question) -> list[tuple[str, str]]:
        """The values a follow-up question can be shown on, with their labels; none when a
        condition cannot depend on this kind."""
        return []

    def condition_value(self, answer: AnswerInput | None) -> str:
        """The value of an answer that conditions compare."""
        return answer.choice if answer else ""

    def condition_field(self, question: Question) -> str:
        """The posted field (radios) whose value conditions compare, for the page's script."""
        return field_name(question, "choice")

    # Answering

    def parse(self, question: Question, form: Any) -> AnswerInput:
        """The posted fields of `question` (`form` is a MultiDict or a plain mapping)."""
        return AnswerInput()

    def carry_over(self, posted: AnswerInput, stored: AnswerInput | None) -> AnswerInput:
        """A posted answer with what the form cannot post but the answer still holds (the
        files already stored with it)."""
        return posted

    def normalise(self, question: Question, answer: AnswerInput) -> AnswerInput:
        """Exactly what storing `answer` keeps (values not offered dropped, NUL removed)."""
        return AnswerInput()

    def check(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        """Refused input: field name to a message. A refused answer is not stored; the rest
        of the survey is, and the form shows everything as typed."""
        return {}

    def accept(
        self, question: Question, answer: AnswerInput
    ) -> tuple[AnswerInput | None, dict[str, str]]:
        """What of `answer` can be stored (None: nothing, the stored answer stays), and the
        messages for what is refused."""
        errors = self.check(question, answer)
        return (None if errors else answer), errors

    def is_empty(self, question: Question, answer: AnswerInput) -> bool:
        return self.normalise(question, answer).empty

    def missing(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        """For a required question without an answer: field name to a message."""
        return {}

    def same(
        self, question: Question, given: AnswerInput | None, stored: AnswerInput | None
    ) -> bool:
        """Whether storing `given` would leave the stored answer as it is. Refused input
        is never "the same": it must be answered with its message."""
        if given is None:
            return True
        if self.check(question, given):
            return False
        normalised = self.normalise(question, given)
        if stored is None:
            return normalised.empty
        return normalised == stored

    def store(self, question: Question, answer: AnswerInput, row: Answer, now: datetime) -> None:
        write_answer(row, self.normalise(question, answer))

    def copy_answer(self, source: Answer, target: Answer) -> None:
        """What a copy of a stored answer (a draft of changes) needs beyond its columns."""

    # Reading

    def choice_label(self, question: Question, value: str) -> str:
        """How a stored choice reads (the label of an option, Ja for yes)."""
        return value

    def plain_text(self, question: Question, answer: AnswerInput | None) -> str:
        """The answer as plain text for mails and printouts; "" when there is none."""
        return answer.text if answer else ""

    # Results and export

    def tally(self, question: Question, collect_texts: bool) -> Tally:
        return Tally(question, collect_texts)

    def columns(self, question: Question) -> list[Column]:
        return [Column(f"{question.number}: {question.text}")]

    def cells(self, question: Question, answer: AnswerInput | None) -> list[ExportValue]:
        """The cells of "Alla svar", one per column."""
        return [self.plain_text(question, answer)]

    def sheet_cells(
        self, question: Question, answer: AnswerInput | None
    ) -> tuple[ExportValue, ExportValue]:
        """The two answer cells of the question's own sheet (see `sheet_headers`)."""
        return self.cells(question, answer)[0], ""

    def sheet_rows(
        self, question: Question, answer: AnswerInput | None
    ) -> list[tuple[ExportValue, ExportValue]]:
        """The rows of one response on the question's own sheet: one, unless the kind
        lists an answer's parts on rows of their own (a grid's rows, attachments)."""
        return [self.sheet_cells(question, answer)]
