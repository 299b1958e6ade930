"""The files attached to answers, read in one query for a response or a whole survey."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Answer, AnswerFile, Response
from coordinator.services.surveys.kinds.answers import StoredFile


def files_by_answer(*conditions: Any) -> dict[int, list[StoredFile]]:
    """The files of the answers (and responses) that meet `conditions`, by answer id."""
    found: dict[int, list[StoredFile]] = {}
    for answer_id, file_id, filename, size in db.session.execute(
        select(AnswerFile.answer_id, AnswerFile.id, AnswerFile.filename, AnswerFile.size)
        .join(Answer, AnswerFile.answer_id == Answer.id)
        .join(Response, Answer.response_id == Response.id)
        .where(*conditions)
        .order_by(AnswerFile.id)
    ):
        found.setdefault(answer_id, []).append(StoredFile(file_id, filename, size))
    return found
