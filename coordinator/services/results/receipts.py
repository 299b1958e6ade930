"""Each organisation's own record of what it answered: one response as a tagged A4 PDF
(the receipt a board can file), and every submitted response of a survey as one zip of
such PDFs named by county code and organisation.

The PDF states which version it shows: the answers that count at the moment it is made
(a submitted response's latest submitted answers, never a draft of changes to them), and
whether changes have been saved since that are not submitted.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import datetime
from typing import IO, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coordinator.extensions import db
from coordinator.models import Organisation, Question, Response, Survey
from coordinator.services.results.pdf import render_html, safe_filename, write_pdf
from coordinator.services.surveys.conditions import not_applicable
from coordinator.services.surveys.kinds import kind_of
from coordinator.services.surveys.questions import answerable_questions
from coordinator.services.surveys.responses import AnswerInput, stored_answers


class ReceiptLine(NamedTuple):
    heading: str  # "2. Hur verkar ni?" above the first of its sub-questions, else ""
    number: str
    question: str
    answer: str


def _answer_text(question: Question, answer: AnswerInput | None, hidden: set[int]) -> str:
    if question.id in hidden:
        return "Ej aktuell"
    if answer is None or answer.empty:
        return "–"
    return kind_of(question).plain_text(question, answer)


def receipt_lines(response: Response) -> list[ReceiptLine]:
    """Every question with its answer as text, in the survey's order: "Ej aktuell" where
    a condition hid the question, "–" where it has no answer."""
    questions = answerable_questions(response.survey)
    answers = stored_answers(response)
    hidden = not_applicable(questions, answers)
    lines = []
    previous = None
    for question in questions:
        parent = question.parent
        heading = f"{parent.number}. {parent.text}" if parent and parent is not previous else ""
        previous = parent
        text = _answer_text(question, answers.get(question.id), hidden)
        lines.append(ReceiptLine(heading, question.number, question.text, text))
    return lines


def receipt_html(response: Response, now: datetime) -> str:
    return render_html(
        "results/pdf/receipt.html",
        response=response,
        survey=response.survey,
        lines=receipt_lines(response),
        now=now,
    )


def write_receipt(response: Response, target: IO[bytes], *, now: datetime) -> None:
    write_pdf(receipt_html(response, now), target)


def receipt_filename(response: Response) -> str:
    """`12_Lansstyrelsen_i_Skane_lan.pdf`: county code and organisation, ASCII only."""
    organisation = response.organisation
    return safe_filename(organisation.county_code or "", organisation.name, extension="pdf")


def _submitted(survey: Survey) -> Iterator[Response]:
    query = (
        select(Response)
        .join(Organisation, Response.organisation_id == Organisation.id)
        .where(Response.survey_id == survey.id, Response.state == "submitted")
        .options(joinedload(Response.organisation))
        .order_by(
            Organisation.county_code.is_(None),
            Organisation.county_code,
            Organisation.name,
            Response.id,
        )
    )
    ids = list(db.session.scalars(query.with_only_columns(Response.id)))
    for response_id in ids:
        response = db.session.scalars(query.where(Response.id == response_id)).one()
        yield response
        db.session.expunge(response)  # one response's answers in memory at a time


def write_receipts_zip(survey: Survey, target: IO[bytes], *, now: datetime) -> int:
    """Every submitted response's receipt into one zip; a second response from the same
    organisation gets `_2`, a third `_3`, and so on. Returns the number of PDFs."""
    used: set[str] = set()
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for response in _submitted(survey):
            name = receipt_filename(response)
            stem, n = name.removesuffix(".pdf"), 1
            while name in used:
                n += 1
                name = f"{stem}_{n}.pdf"
            used.add(name)
            with archive.open(name, "w") as entry:
                write_receipt(response, entry, now=now)
            count += 1
    return count
