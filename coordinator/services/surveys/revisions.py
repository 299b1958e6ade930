"""A survey's revision changes in the same flush as any change to the survey, its
questions, its deadline extensions or its sharing, however the change is made. What is
worked out from those alone is kept under the revision and found again without a query
(`per_revision`); the respondent's form keeps the HTML of its questions the same way
(coordinator/respond/question_block.py)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from coordinator.models import DeadlineExtension, Question, ResultsShare, Survey
from coordinator.services.lru import LRUCache

T = TypeVar("T")

# Kinds of row that belong to one survey and change what it shows.
_PARTS = (Question, DeadlineExtension, ResultsShare)


def watch_revisions() -> None:
    """Listen to every session's flushes (once per process)."""
    if not event.contains(Session, "before_flush", new_revision_on_change):
        event.listen(Session, "before_flush", new_revision_on_change)


def new_revision_on_change(session: Session, _context: Any, _instances: Any) -> None:
    changed: set[Survey] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _PARTS):
            survey = obj.survey or session.get(Survey, obj.survey_id)
            if survey is not None:
                changed.add(survey)
        elif isinstance(obj, Survey) and obj not in session.new and session.is_modified(obj):
            changed.add(obj)
    for survey in changed:
        if survey not in session.deleted:
            survey.revision = secrets.token_hex(8)


def per_revision(compute: Callable[[Survey], T]) -> Callable[[Survey], T]:
    """Keep what `compute` gives for a survey (a plain value, never a database object)
    under the survey's revision. While the session holds changes not yet flushed, the
    revision does not cover them, so the value is computed afresh."""
    kept: LRUCache[tuple[T]] = LRUCache(1024)

    @wraps(compute)
    def cached(survey: Survey) -> T:
        session = object_session(survey)
        if session is None or session.new or session.dirty or session.deleted:
            return compute(survey)
        key = (survey.id, survey.revision)
        found = kept.get(key)
        if found is None:
            found = (compute(survey),)
            kept.put(key, found)
        return found[0]

    return cached
