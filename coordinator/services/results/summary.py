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

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import TypeVar

from sqlalchemy import Select, select

from coordinator.extensions import db
from coordinator.models import Answer, Organisation, Response, Survey
from coordinator.services.surveys.answer_files import files_by_answer
from coordinator.services.surveys.conditions import has_conditions, not_applicable
from coordinator.services.surveys.kinds import kind_of
from coordinator.services.surveys.kinds.answers import ANSWER_COLUMNS, AnswerInput, read_answer
from coordinator.services.surveys.kinds.summaries import QuestionSummary, TextAnswer
from coordinator.services.surveys.questions import answerable_questions

__all__ = ["QuestionSummary", "TextAnswer"]

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
    # Questions whose condition the answers do not meet ("Ej aktuell").
    not_applicable: set[int] = field(default_factory=set)

    @property
    def status(self) -> str:
        if self.state != "submitted":
            return "draft"
        return "late" if self.late else "on_time"


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
                Answer.id,
                *(getattr(Answer, column) for column in ANSWER_COLUMNS),
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
    questions = answerable_questions(survey)
    stores_files = any(kind_of(q).stores_files for q in questions)
    files = files_by_answer(Response.survey_id == survey.id) if stores_files else {}
    conditional = has_conditions(questions)
    pending = next(groups, None)
    try:
        for index, head in enumerate(heads):
            # Skip answers of responses not selected (or saved since the first query).
            while pending is not None and position.get(pending[0], -1) < index:
                pending = next(groups, None)
            answers = {}
            if pending is not None and pending[0] == head.response_id:
                for _, question_id, answer_id, *columns in pending[1]:
                    choice, text, options, other, number, day, rows = columns
                    answers[question_id] = read_answer(
                        choice, text, options, other, number, day, rows, files.get(answer_id)
                    )
                pending = next(groups, None)
            head.answers = answers
            head.not_applicable = not_applicable(questions, answers) if conditional else set()
            yield head
            head.answers = {}
    finally:
        stream.close()


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
    tallies = [kind_of(q).tally(q, collect_texts) for q in answerable_questions(survey)]
    responses = 0
    for row in iter_response_rows(survey, selection, heads):
        responses += 1
        for tally in tallies:
            if tally.question.id in row.not_applicable:
                tally.skip()
            else:
                tally.add(row.organisation, row.respondent, row.answers.get(tally.question.id))
        if each is not None:
            each(row)
    return SurveySummary(responses, [tally.summary() for tally in tallies])
