"""Results shared back with the boards: visible only while shared, with what was chosen."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import AuditEvent
from coordinator.services.results.sharing import (
    ShareOptions,
    SharingError,
    public_share,
    publicly_shared_surveys,
    share_for_invitation,
    share_results,
    shared_summary,
    sharing_history,
    undo_sharing,
)
from coordinator.services.surveys.invitations import revoke
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    save_answers,
    submit_response,
)
from tests.factories import make_invitation, make_survey, make_user

DEADLINE = datetime(2018, 8, 23, 21, 59, tzinfo=UTC)
SHARED = DEADLINE + timedelta(days=10)


def _answered_survey():
    survey = make_survey(deadline_at=DEADLINE)
    invitation, _ = make_invitation(survey)
    response = get_or_create_response(invitation, DEADLINE)
    q = {q.number: q for q in survey.questions}
    answers = {
        q["1"].id: AnswerInput(choice="yes", text="Vi har ett klimatråd."),
        q["2a"].id: AnswerInput(text="Energikartläggning"),
    }
    save_answers(response, answers, response.version, DEADLINE)
    assert submit_response(response, DEADLINE) == {}
    return survey, invitation


def test_visible_only_from_the_sharing_until_it_is_undone(app):
    survey, invitation = _answered_survey()
    coordinator = make_user()
    assert share_for_invitation(invitation, SHARED) is None
    share = share_results(survey, ShareOptions(), coordinator, SHARED)
    assert share_for_invitation(invitation, SHARED - timedelta(seconds=1)) is None
    assert share_for_invitation(invitation, SHARED) == share
    undo_sharing(survey, coordinator, SHARED + timedelta(hours=1))
    assert share_for_invitation(invitation, SHARED + timedelta(hours=2)) is None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("results.%"))
    ).all()
    assert actions == ["results.share", "results.unshare"]
    assert [s.undone_by_id for s in sharing_history(survey)] == [coordinator.id]
    with pytest.raises(SharingError):
        undo_sharing(survey, coordinator, SHARED + timedelta(hours=3))


def test_a_revoked_link_sees_nothing(app):
    survey, invitation = _answered_survey()
    share_results(survey, ShareOptions(), make_user(), SHARED)
    revoke(invitation, make_user(), SHARED)
    assert share_for_invitation(invitation, SHARED) is None


def test_free_text_can_be_left_out(app):
    survey, _ = _answered_survey()
    with_text = shared_summary(survey, share_results(survey, ShareOptions(), None, SHARED))
    later = SHARED + timedelta(minutes=1)
    without = shared_summary(
        survey, share_results(survey, ShareOptions(include_free_text=False), None, later)
    )
    assert any(q.texts for q in with_text.questions)
    assert not any(q.texts for q in without.questions)
    # The counts stay.
    assert without.questions[0].counts == with_text.questions[0].counts
    # Sharing again replaced the first sharing.
    assert [s.undone_at is None for s in sharing_history(survey)] == [True, False]


def test_the_public_page_only_when_chosen_and_the_project_is_public(app):
    survey, _ = _answered_survey()
    with pytest.raises(SharingError) as error:
        share_results(survey, ShareOptions(on_public_page=True), None, SHARED)
    assert error.value.field == "on_public_page"
    share_results(survey, ShareOptions(), None, SHARED)
    survey.project.visibility = "public"
    assert public_share(survey, SHARED) is None
    share_results(survey, ShareOptions(on_public_page=True), None, SHARED + timedelta(seconds=1))
    assert publicly_shared_surveys(survey.project, SHARED + timedelta(seconds=1)) == [survey]
    survey.project.visibility = "staff"
    assert public_share(survey, SHARED + timedelta(seconds=1)) is None
