"""What a survey's answers add up to. The workbook, the CSV, the results page and the
workshop notes all read the answers through `summarise_survey`, so their numbers agree.

Answers are read with a constant number of queries whatever the number of responses:
one for the responses (plain columns joined with their organisation, no ORM objects) and
one streamed query for the answers in the same order, merged one response at a time.
Only the current response's answers are held in memory.

Which responses count (`Selection`):
- submitted responses only, unless drafts are included;
- optionally only those first submitted on time, or only late ones;
- with `coordinated_only`, one response per organisation: the one marked as its
  coordinated answer; when none is marked, its most recently submitted one (for drafts,
  the most recently saved); on a tie, the newest response.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import TypeVar

from sqlalchemy import Select, select

from coordinator.extensions import db
from coordinator.models import Answer, Organisation, Question, Response, Survey
from coordinator.services.surveys.questions import answerable_questions
from coordinator.services.surveys.responses import AnswerInput

OTHER = "__other__"
ANSWER_BATCH = 1000


@dataclass(frozen=True)
class Selection:
    include_drafts: bool = False
    coordinated_only: bool = False
    late: bool | None = None  # None: on time and late alike


@dataclass
class ResponseRow:
    """One response and (while it is being read) its answers by question id."""

    response_id: int
    organisation_id: int
    county_code: str
    organisation: str
    respondent: str
    state: str
    late: bool
    coordinated: bool
    submitted_at: datetime | None
    updated_at: datetime
    answers: dict[int, AnswerInput] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.state != "submitted":
            return "draft"
        return "late" if self.late else "on_time"


@dataclass
class TextAnswer:
    organisation: str
    respondent: str
    text: str


@dataclass
class QuestionSummary:
    question: Question
    counts: list[tuple[str, int]]  # (label, count) in the question's order; empty for text
    unanswered: int
    texts: list[TextAnswer]  # comments, free text and "other" text, by county code


@dataclass
class SurveySummary:
    responses: int
    questions: list[QuestionSummary]


SelectT = TypeVar("SelectT", bound=Select)  # type: ignore[type-arg]


def _filtered(query: SelectT, survey: Survey, selection: Selection) -> SelectT:
    query = query.where(Response.survey_id == survey.id).order_by(
        Organisation.county_code.is_(None),
        Organisation.county_code,
        Organisation.name,
        Response.id,
    )
    if not selection.include_drafts:
        query = query.where(Response.state == "submitted")
    if selection.late is not None:
        query = query.where(Response.state == "submitted", Response.late.is_(selection.late))
    return query


def response_heads(survey: Survey, selection: Selection) -> list[ResponseRow]:
    """The selected responses without their answers, in county-code order (one query)."""
    query = _filtered(
        select(
            Response.id,
            Organisation.id,
            Organisation.county_code,
            Organisation.name,
            Response.respondent_name,
            Response.state,
            Response.late,
            Response.is_coordinated,
            Response.submitted_at,
            Response.updated_at,
        ).join(Organisation, Response.organisation_id == Organisation.id),
        survey,
        selection,
    )
    rows = [
        ResponseRow(
            response_id=response_id,
            organisation_id=organisation_id,
            county_code=county_code or "",
            organisation=organisation,
            respondent=respondent,
            state=state,
            late=late,
            coordinated=coordinated,
            submitted_at=submitted_at,
            updated_at=updated_at,
        )
        for (
            response_id,
            organisation_id,
            county_code,
            organisation,
            respondent,
            state,
            late,
            coordinated,
            submitted_at,
            updated_at,
        ) in db.session.execute(query)
    ]
    if not selection.coordinated_only:
        return rows
    chosen: dict[int, ResponseRow] = {}
    for row in rows:
        current = chosen.get(row.organisation_id)
        if current is None or _rank(row) >= _rank(current):
            chosen[row.organisation_id] = row
    return [row for row in rows if chosen[row.organisation_id] is row]


def _rank(row: ResponseRow) -> tuple[bool, datetime, int]:
    return (row.coordinated, row.submitted_at or row.updated_at, row.response_id)


def iter_response_rows(
    survey: Survey, selection: Selection, heads: list[ResponseRow] | None = None
) -> Iterator[ResponseRow]:
    """The selected responses in order, each with its answers, read in one streamed query."""
    if heads is None:
        heads = response_heads(survey, selection)
    if not heads:
        return
    stream = db.session.execute(
        _filtered(
            select(
                Answer.response_id,
                Answer.question_id,
                Answer.choice,
                Answer.text,
                Answer.options,
                Answer.other_text,
            )
            .join(Response, Answer.response_id == Response.id)
            .join(Organisation, Response.organisation_id == Organisation.id)
            .where(~Answer.pending),  # a draft of changes is not what was submitted
            survey,
            # Coordinated-only picks among the responses: read them all, keep the chosen.
            Selection(selection.include_drafts, False, selection.late),
        ).execution_options(yield_per=ANSWER_BATCH)
    )
    groups = groupby(stream, key=itemgetter(0))
    position = {row.response_id: i for i, row in enumerate(heads)}
    pending = next(groups, None)
    try:
        for index, head in enumerate(heads):
            # Skip answers of responses not selected (or saved since the first query).
            while pending is not None and position.get(pending[0], -1) < index:
                pending = next(groups, None)
            answers = {}
            if pending is not None and pending[0] == head.response_id:
                for _, question_id, choice, text, options, other in pending[1]:
                    answers[question_id] = AnswerInput(
                        choice=choice or "",
                        text=text or "",
                        options=list(options or []),
                        other=other or "",
                    )
                pending = next(groups, None)
            head.answers = answers
            yield head
            head.answers = {}
    finally:
        stream.close()


class _Tally:
    """Counts for one question, fed one answer at a time."""

    def __init__(self, question: Question, collect_texts: bool) -> None:
        self.question = question
        self.collect_texts = collect_texts
        self.counter: Counter[str] = Counter()
        self.unanswered = 0
        self.texts: list[TextAnswer] = []

    def add(self, row: ResponseRow, answer: AnswerInput | None) -> None:  # noqa: C901 - one branch per kind
        kind = self.question.kind
        if answer is None or answer.empty:
            self.unanswered += 1
            return
        if kind in ("yes_no_comment", "single_choice"):
            if answer.choice:
                self.counter[answer.choice] += 1
            elif not answer.other.strip():
                self.unanswered += 1
            if kind == "single_choice" and answer.other.strip():
                self.counter[OTHER] += 1
        elif kind == "multiple_choice":
            self.counter.update(set(answer.options))
            if answer.other.strip():
                self.counter[OTHER] += 1
        if self.collect_texts:
            for text in (answer.text, answer.other):
                if text.strip():
                    self.texts.append(TextAnswer(row.organisation, row.respondent, text))

    def summary(self) -> QuestionSummary:
        question = self.question
        if question.kind == "yes_no_comment":
            counts = [("Ja", self.counter["yes"]), ("Nej", self.counter["no"])]
        elif question.kind in ("single_choice", "multiple_choice"):
            counts = [(o["label"], self.counter[o["value"]]) for o in question.options]
            if question.allow_other:
                counts.append((question.other_label or "Annat", self.counter[OTHER]))
        else:
            counts = []
        return QuestionSummary(question, counts, self.unanswered, self.texts)


def summarise_survey(
    survey: Survey,
    selection: Selection,
    *,
    heads: list[ResponseRow] | None = None,
    collect_texts: bool = True,
    each: Callable[[ResponseRow], None] | None = None,
) -> SurveySummary:
    """Counts per yes/no question (Ja, Nej, unanswered) and per option, and the free text
    by organisation. `each` sees every response with its answers on the way (the export
    writes its rows there), so that the numbers and the rows come from the same pass."""
    tallies = [_Tally(q, collect_texts) for q in answerable_questions(survey)]
    responses = 0
    for row in iter_response_rows(survey, selection, heads):
        responses += 1
        for tally in tallies:
            tally.add(row, row.answers.get(tally.question.id))
        if each is not None:
            each(row)
    return SurveySummary(responses, [tally.summary() for tally in tallies])
