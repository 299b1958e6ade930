"""The questions of the respondent's form as HTML, kept and used again.

The fieldsets are most of the work of rendering the form, and they depend only on the
survey's questions (its revision), the interface language and what the page shows in
them: the answers, which ones are pre-filled, who wrote each (a board answer) and
whether the survey is open. Everyone who has not answered yet sees the same block, so a
block is found again across respondents as well as across reloads of one page. A page
with error messages is rendered afresh, as is one with files just posted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from typing import Any

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from coordinator.models import Survey
from coordinator.services.lru import LRUCache
from coordinator.services.surveys.kinds.answers import AnswerInput
from coordinator.services.surveys.questions import question_tree


def _cache() -> LRUCache[Markup]:
    """The app's kept blocks, at most QUESTION_BLOCK_CACHE_MB million characters of them."""
    cache = current_app.extensions.get("question_blocks")
    if cache is None:
        limit = int(current_app.config["QUESTION_BLOCK_CACHE_MB"]) * 1024 * 1024
        cache = current_app.extensions.setdefault("question_blocks", LRUCache(limit, len))
    return cache


def _key(
    survey: Survey,
    answers: Mapping[int, AnswerInput],
    readonly: bool,
    prefilled: Collection[int],
    writers: Mapping[int, Any],
) -> tuple[Any, ...]:
    shown = repr(sorted(answers.items()))
    # Links to attached files go through the respondent's own link.
    files = any(a.files for a in answers.values())
    return (
        survey.id,
        survey.revision,
        str(get_locale()),
        readonly,
        tuple(sorted(prefilled)),
        hashlib.blake2b(f"{shown}|{sorted(writers.items())!r}".encode(), digest_size=16).digest(),
        (request.view_args or {}).get("token") if files else None,
    )


def question_block(
    survey: Survey,
    answers: Mapping[int, AnswerInput],
    errors: Mapping[str, str],
    readonly: bool,
    prefilled: Collection[int] = (),
    writers: Mapping[int, Any] | None = None,
) -> Markup:
    """The fieldsets of every question (templates/respond/_questions.html)."""
    writers = writers or {}
    key = None
    if not errors and not any(a.uploads for a in answers.values()):
        key = _key(survey, answers, readonly, prefilled, writers)
        block = _cache().get(key)
        if block is not None:
            return block
    html = render_template(
        "respond/_questions.html",
        survey=survey,
        groups=question_tree(survey),
        answers=answers,
        errors=errors,
        readonly=readonly,
        prefilled=prefilled,
        writers=writers,
    )
    block = Markup(html)  # noqa: S704 - Jinja escaped every text in it
    if key is not None:
        _cache().put(key, block)
    return block
