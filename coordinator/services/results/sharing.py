"""Results shared back with the boards: "Dela resultatet med länsstyrelserna".

A coordinator shares a survey's compiled results (the same summary as the results page)
from a recorded moment, choosing whether free text and attachments are included and
whether the project's public page shows them too. Every invited board then opens them
through its answer link; before that moment, and after the sharing is undone, nothing is
there. Sharing again replaces the options of the current sharing (the old one is closed,
so the history keeps both).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import (
    Answer,
    AnswerFile,
    Invitation,
    Project,
    Response,
    ResultsShare,
    Survey,
    User,
)
from coordinator.services.audit import record_event
from coordinator.services.errors import RuleError
from coordinator.services.mail.outbox import absolute_url, secret_marker
from coordinator.services.results.summary import Selection, SurveySummary, summarise_survey
from coordinator.services.surveys.mail_texts import queue_survey_mail
from coordinator.services.surveys.revisions import per_revision


class SharingError(RuleError):
    """A rule about sharing results with the boards."""


@dataclass(frozen=True)
class ShareOptions:
    include_free_text: bool = True
    include_attachments: bool = False
    on_public_page: bool = False


def current_share(survey: Survey, now: datetime) -> ResultsShare | None:
    """The sharing in force at `now`: made at or before it and not undone."""
    return db.session.scalar(
        select(ResultsShare)
        .where(
            ResultsShare.survey_id == survey.id,
            ResultsShare.shared_at <= now,
            ResultsShare.undone_at.is_(None),
        )
        .order_by(ResultsShare.shared_at.desc(), ResultsShare.id.desc())
        .limit(1)
    )


def share_results(
    survey: Survey, options: ShareOptions, actor: User | None, now: datetime
) -> ResultsShare:
    """Open the compiled results to the invited boards from `now` (audited)."""
    if options.on_public_page and survey.project.visibility != "public":
        raise SharingError(
            _l("Projektet har ingen öppen sida. Välj bort den öppna sidan."),
            field="on_public_page",
        )
    previous = current_share(survey, now)
    if previous is not None:
        previous.undone_at = now
        previous.undone_by_id = actor.id if actor else None
    share = ResultsShare(
        survey_id=survey.id,
        shared_at=now,
        shared_by_id=actor.id if actor else None,
        include_free_text=options.include_free_text,
        include_attachments=options.include_attachments,
        on_public_page=options.on_public_page,
    )
    db.session.add(share)
    db.session.flush()
    details = {
        "free_text": options.include_free_text,
        "attachments": options.include_attachments,
        "public_page": options.on_public_page,
    }
    record_event(actor, "results.share", "survey", survey.id, survey.title, details, now=now)
    return share


def undo_sharing(survey: Survey, actor: User | None, now: datetime) -> ResultsShare:
    """Close the sharing in force: the boards' results pages are gone again (audited)."""
    share = current_share(survey, now)
    if share is None:
        raise SharingError(_l("Resultatet är inte delat med länsstyrelserna."))
    share.undone_at = now
    share.undone_by_id = actor.id if actor else None
    db.session.flush()
    record_event(
        actor, "results.unshare", "survey", survey.id, survey.title, {"share": share.id}, now=now
    )
    return share


def queue_results_shared_mail(survey: Survey, share: ResultsShare, now: datetime) -> int:
    """ "Resultatet är delat": to everyone whose invitation was sent and is not revoked,
    with the link to the results through their own answer link. Returns how many."""
    invitations = db.session.scalars(
        select(Invitation)
        .where(
            Invitation.survey_id == survey.id,
            Invitation.sent_at.is_not(None),
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.id)
    )
    queued = 0
    for invitation in invitations:
        contact = invitation.contact
        if contact is None or not contact.email:
            continue
        marker = secret_marker()
        link = absolute_url("shared_results.for_board", token=marker)
        context: dict[str, Any] = {
            "survey": survey,
            "contact": contact,
            "organisation": invitation.organisation,
            "share": share,
            "url": link,
        }
        queue_survey_mail(
            survey,
            "results_shared",
            contact,
            invitation.organisation,
            link,
            template="results_shared",
            subject=f"Resultat: {survey.title}",
            context=context,
            to_name=contact.name,
            cause=("results_shared", share.id),
            secret_links={marker: ["invitation", invitation.id]},
            now=now,
        )
        queued += 1
    return queued


@per_revision
def _share_times(survey: Survey) -> list[datetime]:
    """When each sharing of the survey not undone was made (or is to be made)."""
    return list(
        db.session.scalars(
            select(ResultsShare.shared_at).where(
                ResultsShare.survey_id == survey.id, ResultsShare.undone_at.is_(None)
            )
        )
    )


def results_shared(invitation: Invitation, now: datetime) -> bool:
    """Whether share_for_invitation finds a sharing, without asking the database again
    while the survey's revision stays the same."""
    return not invitation.revoked and any(at <= now for at in _share_times(invitation.survey))


def share_for_invitation(invitation: Invitation, now: datetime) -> ResultsShare | None:
    """What the board behind `invitation` may see now; None for a revoked link."""
    if invitation.revoked:
        return None
    return current_share(invitation.survey, now)


def public_share(survey: Survey, now: datetime) -> ResultsShare | None:
    """The sharing that the project's public page shows, if any."""
    share = current_share(survey, now)
    if share is None or not share.on_public_page or survey.project.visibility != "public":
        return None
    return share


def publicly_shared_surveys(project: Project, now: datetime) -> list[Survey]:
    """The surveys of a public project whose results its public page shows."""
    if project.visibility != "public":
        return []
    surveys = db.session.scalars(
        select(Survey).where(Survey.project_id == project.id).order_by(Survey.deadline_at.desc())
    )
    return [s for s in surveys if public_share(s, now) is not None]


def shared_summary(survey: Survey, share: ResultsShare) -> SurveySummary:
    """The compiled results of the submitted answers, with only what the sharing includes.
    The respondents' names are left to the template to leave out."""
    summary = summarise_survey(survey, Selection(), collect_texts=share.include_free_text)
    if not share.include_attachments:
        for question in summary.questions:
            question.files = []
    return summary


def shared_file(survey: Survey, share: ResultsShare, file_id: int) -> AnswerFile | None:
    """A file of a submitted answer to `survey`, when the sharing includes attachments."""
    if not share.include_attachments:
        return None
    return db.session.scalar(
        select(AnswerFile)
        .join(Answer, AnswerFile.answer_id == Answer.id)
        .join(Response, Answer.response_id == Response.id)
        .where(
            AnswerFile.id == file_id,
            Response.survey_id == survey.id,
            Response.state == "submitted",
            ~Answer.pending,
        )
    )


def sharing_history(survey: Survey) -> list[ResultsShare]:
    """Every sharing of the survey, newest first."""
    return list(
        db.session.scalars(
            select(ResultsShare)
            .where(ResultsShare.survey_id == survey.id)
            .order_by(ResultsShare.shared_at.desc(), ResultsShare.id.desc())
        )
    )
