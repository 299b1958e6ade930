"""The results a coordinator shared with the boards (services/results/sharing.py): for a
board through its answer link, and on the project's public page when chosen.

Before the sharing, after it is undone, or for what it leaves out, these pages are 404
(a link never tells whether there is something to see).
"""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from coordinator.downloads import send_stored
from coordinator.extensions import db, limiter
from coordinator.models import Invitation, Project, ResultsShare, Survey
from coordinator.models.types import utcnow
from coordinator.services.results.charts import summary_charts
from coordinator.services.results.sharing import (
    public_share,
    share_for_invitation,
    shared_file,
    shared_summary,
)
from coordinator.services.surveys.invitations import find_invitation_by_token
from coordinator.web import token_rate_limit

bp = Blueprint("shared_results", __name__)


@bp.after_request
def private_page(response: WerkzeugResponse) -> WerkzeugResponse:
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _board(token: str) -> tuple[Invitation, ResultsShare]:
    g.no_store = True
    invitation = find_invitation_by_token(token)
    share = share_for_invitation(invitation, utcnow()) if invitation else None
    if invitation is None or share is None:
        abort(404)
    return invitation, share


def _send_file(survey: Survey, share: ResultsShare, file_id: int) -> WerkzeugResponse:
    """An attachment the sharing includes; 404 for any other."""
    file = shared_file(survey, share, file_id)
    if file is None:
        abort(404)
    return send_stored(file.storage_key, file.filename, file.content_type)


def _render(
    survey: Survey, share: ResultsShare, back: str, file_endpoint: str, **values: object
) -> str:
    summary = shared_summary(survey, share)
    return render_template(
        "results/shared.html",
        survey=survey,
        share=share,
        summary=summary,
        charts=summary_charts(summary.questions),
        back=back,
        file_endpoint=file_endpoint,
        file_values=values,
        public="slug" in values,
    )


@bp.get("/r/<token>/results")
@limiter.limit(token_rate_limit)
def for_board(token: str) -> str:
    invitation, share = _board(token)
    back = url_for("respond.show_form", token=token)
    return _render(invitation.survey, share, back, "shared_results.board_file", token=token)


@bp.get("/r/<token>/results/files/<int:file_id>")
@limiter.limit(token_rate_limit)
def board_file(token: str, file_id: int) -> WerkzeugResponse:
    invitation, share = _board(token)
    return _send_file(invitation.survey, share, file_id)


def _public(slug: str, survey_id: int) -> tuple[Survey, ResultsShare]:
    survey = db.get_or_404(Survey, survey_id)
    project: Project = survey.project
    share = public_share(survey, utcnow())
    if project.slug != slug or share is None:
        abort(404)
    return survey, share


@bp.get("/p/<slug>/results/<int:survey_id>")
def public_results(slug: str, survey_id: int) -> str:
    survey, share = _public(slug, survey_id)
    back = url_for("projects.public_project", slug=slug)
    return _render(
        survey, share, back, "shared_results.public_file", slug=slug, survey_id=survey_id
    )


@bp.get("/p/<slug>/results/<int:survey_id>/files/<int:file_id>")
def public_file(slug: str, survey_id: int, file_id: int) -> WerkzeugResponse:
    return _send_file(*_public(slug, survey_id), file_id)
