"""A survey's revision changes with the survey, its questions, extensions and sharing, and
what is kept under it follows every change, also one made by another process."""

from datetime import UTC, datetime, timedelta

from coordinator.extensions import db
from coordinator.models import DeadlineExtension, Question
from coordinator.services.results.sharing import (
    ShareOptions,
    results_shared,
    share_results,
    undo_sharing,
)
from coordinator.services.surveys.kinds.answers import AnswerInput
from coordinator.services.surveys.responses import get_or_create_response, save_answers
from coordinator.services.surveys.states import effective_deadline, extend_deadline
from tests.factories import make_invitation, make_survey, make_user

NOW = datetime.now(UTC)
FUTURE = NOW + timedelta(days=30)


def test_every_change_to_what_the_survey_shows_gives_a_new_revision(app):
    survey = make_survey(deadline_at=FUTURE)
    invitation, _ = make_invitation(survey)
    actor = make_user()
    db.session.commit()
    seen = {survey.revision}

    def new_revision() -> None:
        db.session.commit()
        assert survey.revision not in seen
        seen.add(survey.revision)

    survey.questions[0].text = "Har ni en strategi för näringslivet?"
    new_revision()
    survey.title = "Ny titel"
    new_revision()
    db.session.add(Question(survey=survey, number="5", text="Ny", kind="long_text", position=9))
    new_revision()
    db.session.delete(survey.questions[-1])
    new_revision()
    extend_deadline(survey, invitation.organisation_id, FUTURE + timedelta(days=3), actor, NOW)
    new_revision()
    share_results(survey, ShareOptions(), actor, NOW)
    new_revision()
    undo_sharing(survey, actor, NOW + timedelta(seconds=1))
    new_revision()


def test_answering_leaves_the_revision_alone(app):
    survey = make_survey(deadline_at=FUTURE)
    invitation, _ = make_invitation(survey)
    db.session.commit()
    before = survey.revision
    response = get_or_create_response(invitation, NOW)
    text = next(q for q in survey.questions if q.kind == "long_text")
    save_answers(response, {text.id: AnswerInput(text="Ett svar")}, None, NOW)
    db.session.commit()
    assert survey.revision == before


def test_what_is_kept_follows_every_committed_change(app):
    """Nothing tells a worker's kept values about a change: the next request finds a new
    revision in the survey's row, as a worker would after another process's change."""
    survey = make_survey(deadline_at=FUTURE)
    invitation, _ = make_invitation(survey)
    actor = make_user()
    db.session.commit()
    organisation_id = invitation.organisation_id
    assert effective_deadline(survey, organisation_id) == FUTURE
    assert not results_shared(invitation, NOW)
    later = FUTURE + timedelta(days=7)
    extend_deadline(survey, organisation_id, later, actor, NOW)
    share_results(survey, ShareOptions(), actor, NOW)
    db.session.commit()
    db.session.expire_all()  # the next request reads the survey again
    assert effective_deadline(survey, organisation_id) == later
    assert results_shared(invitation, NOW + timedelta(seconds=1))


def test_a_change_not_yet_flushed_is_seen_at_once(app):
    survey = make_survey(deadline_at=FUTURE)
    invitation, _ = make_invitation(survey)
    db.session.commit()
    assert effective_deadline(survey, invitation.organisation_id) == FUTURE
    later = FUTURE + timedelta(days=2)
    with db.session.no_autoflush:
        survey.deadline_extensions.append(
            DeadlineExtension(organisation_id=invitation.organisation_id, deadline_at=later)
        )
        assert effective_deadline(survey, invitation.organisation_id) == later
