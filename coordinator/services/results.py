"""What a survey's answers add up to: the rows and counts that the workbook, the CSV and
the results page all show, read with a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Answer, Organisation, Question, Response, Survey
from coordinator.services.responses import AnswerInput
from coordinator.services.surveys import answerable_questions


@dataclass
class ResponseRow:
    response_id: int
    organisation: Organisation
    respondent: str
    state: str
    late: bool
    coordinated: bool
    submitted_at: datetime | None
    answers: dict[int, AnswerInput] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.state != "submitted":
            return "draft"
        return "late" if self.late else "on_time"


@dataclass
class QuestionSummary:
    question: Question
    counts: list[tuple[str, int]]  # (label, count), in the question's order
    unanswered: int
    texts: list[tuple[str, str]]  # (organisation, text) for comments and free text


def selected_responses(
    survey: Survey,
    *,
    include_drafts: bool = False,
    coordinated_only: bool = False,
    late: bool | None = None,
) -> list[tuple[int, Organisation, Response]]:
    """The responses to show. With `coordinated_only`, one per organisation: its
    coordinated answer, or else its most recently submitted one."""
    query = (
        select(Response, Organisation)
        .join(Organisation, Response.organisation_id == Organisation.id)
        .where(Response.survey_id == survey.id)
        .order_by(
            Organisation.county_code.is_(None),
            Organisation.county_code,
            Organisation.name,
            Response.id,
        )
    )
    if not include_drafts:
        query = query.where(Response.state == "submitted")
    if late is not None:
        query = query.where(Response.late.is_(late))
    rows = [(r.id, org, r) for r, org in db.session.execute(query)]
    if not coordinated_only:
        return rows
    chosen: dict[int, tuple[int, Organisation, Response]] = {}
    for row in rows:
        _, org, response = row
        current = chosen.get(org.id)
        if current is None or _better(response, current[2]):
            chosen[org.id] = row
    return [row for row in rows if chosen.get(row[1].id) is row]


def _better(candidate: Response, current: Response) -> bool:
    if candidate.is_coordinated != current.is_coordinated:
        return candidate.is_coordinated
    return (candidate.submitted_at or candidate.updated_at) > (
        current.submitted_at or current.updated_at
    )


def response_rows(
    survey: Survey,
    *,
    include_drafts: bool = False,
    coordinated_only: bool = False,
    late: bool | None = None,
) -> Iterator[ResponseRow]:
    """One row per response with its answers; answers are streamed in one query."""
    selected = selected_responses(
        survey, include_drafts=include_drafts, coordinated_only=coordinated_only, late=late
    )
    ids = {response_id for response_id, _, _ in selected}
    answers: dict[int, dict[int, AnswerInput]] = {}
    stream = db.session.execute(
        select(
            Answer.response_id,
            Answer.question_id,
            Answer.choice,
            Answer.text,
            Answer.options,
            Answer.other_text,
        )
        .join(Response, Answer.response_id == Response.id)
        .where(Response.survey_id == survey.id)
        .execution_options(yield_per=2000)
    )
    for response_id, question_id, choice, text, options, other in stream:
        if response_id in ids:
            answers.setdefault(response_id, {})[question_id] = AnswerInput(
                choice=choice or "", text=text or "", options=list(options or []), other=other or ""
            )
    for response_id, organisation, response in selected:
        yield ResponseRow(
            response_id=response_id,
            organisation=organisation,
            respondent=response.respondent_name,
            state=response.state,
            late=response.late,
            coordinated=response.is_coordinated,
            submitted_at=response.submitted_at,
            answers=answers.get(response_id, {}),
        )


def summarise(survey: Survey, rows: list[ResponseRow]) -> list[QuestionSummary]:
    """Counts per yes/no question and per option, and the free text by organisation."""
    summaries = []
    for question in answerable_questions(survey):
        given = [(row, row.answers.get(question.id)) for row in rows]
        counter: Counter[str] = Counter()
        unanswered = 0
        texts = []
        for row, answer in given:
            if answer is None or answer.empty:
                unanswered += 1
                continue
            if question.kind == "yes_no_comment" or question.kind == "single_choice":
                if answer.choice:
                    counter[answer.choice] += 1
                else:
                    unanswered += 1
            elif question.kind == "multiple_choice":
                counter.update(set(answer.options))
                if answer.other.strip():
                    counter["__other__"] += 1
            if answer.text.strip():
                texts.append((row.organisation.name, answer.text))
            if answer.other.strip():
                texts.append((row.organisation.name, answer.other))
        if question.kind == "yes_no_comment":
            counts = [("Ja", counter["yes"]), ("Nej", counter["no"])]
        elif question.kind in ("single_choice", "multiple_choice"):
            counts = [(o["label"], counter[o["value"]]) for o in question.options]
            if question.allow_other:
                counts.append((question.other_label or "Annat", counter["__other__"]))
        else:
            counts = []
        summaries.append(QuestionSummary(question, counts, unanswered, texts))
    return summaries


def workshop_notes_markdown(
    survey: Survey, summaries: list[QuestionSummary], responses: int
) -> str:
    """A starting point for the workshop's notes: per question the counts and what each
    board wrote, to be edited during the discussion."""
    lines = [f"# Workshop: {survey.title}", "", f"Underlag: {responses} svar.", ""]
    for summary in summaries:
        question = summary.question
        lines += [f"## {question.number}. {question.text}", ""]
        for label, count in summary.counts:
            lines.append(f"- {label}: {count}")
        if summary.counts:
            lines += [f"- Obesvarade: {summary.unanswered}", ""]
        for organisation, text in summary.texts:
            first, *rest = text.strip().splitlines() or [""]
            lines.append(f"- **{organisation}:** {first}")
            lines += [f"  {line}" for line in rest]
        lines += ["", "Diskussion:", "", "Beslut:", "", "Åtgärd:", ""]
    return "\n".join(lines).rstrip() + "\n"
