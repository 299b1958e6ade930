"""What the kinds' tests share: a response to save into, and hypothesis settings for
tests that use the database."""

from datetime import UTC, datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from coordinator.extensions import db
from coordinator.models import Question
from coordinator.services.surveys.responses import get_or_create_response
from tests.factories import make_invitation, make_survey

NOW = datetime(2025, 9, 10, 8, 0, tzinfo=UTC)
WITH_DATABASE = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
# Text a respondent may type in the comment beside (PostgreSQL cannot store NUL).
comments = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1)


def survey_with(question: Question):
    """A survey with `question` and a long text question after it, and a response."""
    question.position = 0
    comment = Question(number="9", text="Kommentar", kind="long_text", position=1)
    survey = make_survey(questions=[question, comment])
    invitation, _ = make_invitation(survey)
    return question, comment, get_or_create_response(invitation, NOW)


def reread(response):
    from coordinator.services.surveys.responses import stored_answers

    db.session.expire_all()
    return stored_answers(response)
