"""All attachments of a survey's answers in one zip, for "Ladda ner alla bilagor": a
folder per organisation named by county code and name, each file named by its question."""

from __future__ import annotations

import re
import shutil
import zipfile
from typing import IO

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Answer, AnswerFile, Question, Survey
from coordinator.services.projects.storage import storage
from coordinator.services.results.summary import (
    ResponseRow,
    Selection,
    iter_response_rows,
    response_heads,
)
from coordinator.services.surveys.conditions import has_conditions
from coordinator.services.surveys.questions import answerable_questions

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _part(text: str) -> str:
    """One component of a path inside the zip: no separators, nothing that climbs."""
    return _UNSAFE.sub("-", text).strip().lstrip(".") or "-"


def write_attachments_zip(survey: Survey, target: IO[bytes], selection: Selection) -> int:
    """The files of the selected responses, in county-code order, but none of a question
    whose condition the response does not meet; returns how many."""
    heads = response_heads(survey, selection)
    hidden = _not_applicable(survey, selection, heads)
    order = {head.response_id: index for index, head in enumerate(heads)}
    folders = {
        head.response_id: _part(f"{head.county_code} {head.organisation}".strip()) for head in heads
    }
    files = db.session.execute(
        select(
            Answer.response_id,
            Answer.question_id,
            Question.number,
            Question.position,
            AnswerFile.id,
            AnswerFile.filename,
            AnswerFile.storage_key,
        )
        .join(Answer, AnswerFile.answer_id == Answer.id)
        .join(Question, Answer.question_id == Question.id)
        .where(Question.survey_id == survey.id, ~Answer.pending)  # what was submitted
    ).all()
    chosen = sorted(
        (
            f
            for f in files
            if f.response_id in order and (f.response_id, f.question_id) not in hidden
        ),
        key=lambda f: (order[f.response_id], f.position, f.id),
    )
    used: set[str] = set()
    store = storage()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for f in chosen:
            name = _unique(f"{folders[f.response_id]}/{_part(f'{f.number} {f.filename}')}", used)
            with store.open(f.storage_key) as source, archive.open(name, "w") as sink:
                shutil.copyfileobj(source, sink)
    return len(chosen)


def _not_applicable(
    survey: Survey, selection: Selection, heads: list[ResponseRow]
) -> set[tuple[int, int]]:
    """(response, question) of every follow-up question a response does not meet."""
    if not has_conditions(answerable_questions(survey)):
        return set()
    return {
        (row.response_id, question_id)
        for row in iter_response_rows(survey, selection, heads)
        for question_id in row.not_applicable
    }


def _unique(name: str, used: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate = f"{stem} ({n}){dot}{suffix}"
        n += 1
    used.add(candidate.lower())
    return candidate
