"""The board answer: who sees it, the per-question version check, who wrote what, and
marking it as the board's coordinated answer."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import AuditEvent, Invitation, Response
from coordinator.services.errors import ClosedError
from coordinator.services.results.summary import Selection, response_heads
from coordinator.services.surveys.board_answers import (
    board_answer_of,
    fingerprints,
    get_or_create_board_answer,
    save_board_answer,
    submit_board_answer,
    writers,
)
from coordinator.services.surveys.followup import build_dashboard
from coordinator.services.surveys.questions import answerable_questions
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    pass_on_to_colleague,
    save_answers,
    set_coordinated,
    submit_response,
    working_answers,
)
from tests.factories import make_contact, make_invitation, make_organisation, make_survey, make_user

DEADLINE = datetime(2018, 8, 23, 21, 59, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(days=1)
LATER = BEFORE + timedelta(minutes=5)


def _q(survey):
    return {q.number: q for q in survey.questions}


def _board(survey, name="Länsstyrelsen Skåne", code="12"):
    org = make_organisation(name, code, mail_domains="lansstyrelsen.se")
    anna, _ = make_invitation(survey, make_contact(org, name="Anna Andersson"))
    bo, _ = make_invitation(survey, make_contact(org, name="Bo Berg"))
    return anna, bo


def _shown(response):
    """The fingerprints a form shows for the board answer as it is stored now."""
    survey = response.survey if response else None
    return fingerprints(answerable_questions(survey), working_answers(response))


def _form(survey, **texts):
    """A whole posted form: every question, as the stored answer shows it, with `texts`."""
    return {q.id: AnswerInput(text=texts.get(f"q{q.number}", "")) for q in survey.questions}


def test_everyone_invited_from_a_board_works_on_one_board_answer(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, bo = _board(survey)
    first = get_or_create_board_answer(anna, BEFORE)
    assert get_or_create_board_answer(bo, BEFORE) is first
    assert first.is_board_answer and first.invitation_id is None
    # The personal answers stay apart.
    personal = get_or_create_response(anna, BEFORE)
    assert personal is not first and not personal.is_board_answer
    colleague = pass_on_to_colleague(bo, "Cecilia Ek", "cecilia@lansstyrelsen.se", BEFORE, limit=5)
    assert board_answer_of(colleague) is first


def test_a_board_never_sees_another_boards_answer(app):
    survey = make_survey(deadline_at=DEADLINE)
    skane, _ = _board(survey)
    halland, _ = _board(survey, "Länsstyrelsen Halland", "13")
    mine = get_or_create_board_answer(skane, BEFORE)
    save_board_answer(mine, _form(survey, q4="Bara Skåne"), _shown(mine), BEFORE, skane)
    assert board_answer_of(halland) is None
    theirs = get_or_create_board_answer(halland, BEFORE)
    assert theirs.id != mine.id and working_answers(theirs) == {}
    # Another survey of the same board has a board answer of its own.
    other_survey = make_survey(deadline_at=DEADLINE)
    other, _ = make_invitation(other_survey, skane.contact)
    assert board_answer_of(other) is None


def test_two_colleagues_editing_different_questions_both_save(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, bo = _board(survey)
    q = _q(survey)
    board = get_or_create_board_answer(anna, BEFORE)
    seen_by_both = _shown(board)
    anna_form = _form(survey, q2a="Klimatklivet")
    bo_form = _form(survey, q4="Vi deltar i LeadIT.")
    assert save_board_answer(board, anna_form, seen_by_both, BEFORE, anna).conflict is None
    result = save_board_answer(board, bo_form, seen_by_both, LATER, bo)
    assert result.conflict is None
    answers = working_answers(board)
    assert answers[q["2a"].id].text == "Klimatklivet"
    assert answers[q["4"].id].text == "Vi deltar i LeadIT."
    who = writers(board)
    assert (who[q["2a"].id].name, who[q["2a"].id].at) == ("Anna Andersson", BEFORE)
    assert (who[q["4"].id].name, who[q["4"].id].at) == ("Bo Berg", LATER)


def test_the_same_question_edited_by_two_is_a_conflict_and_nothing_is_lost(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, bo = _board(survey)
    q = _q(survey)
    board = get_or_create_board_answer(anna, BEFORE)
    seen = _shown(board)
    save_board_answer(board, _form(survey, q2a="Annas text"), seen, BEFORE, anna)
    result = save_board_answer(
        board, _form(survey, q2a="Bos text", q4="Bos övrigt"), seen, LATER, bo
    )
    assert result.conflict is not None
    assert set(result.conflict) == {q["2a"].id}
    assert result.conflict[q["2a"].id].text == "Annas text"
    answers = working_answers(board)
    assert answers[q["2a"].id].text == "Annas text"  # not overwritten
    assert result.written == [q["4"].id]
    assert answers[q["4"].id].text == "Bos övrigt"  # the other question is saved
    # Choosing his own text after seeing both: the form now carries what is stored.
    again = save_board_answer(
        board, _form(survey, q2a="Bos text", q4="Bos övrigt"), _shown(board), LATER, bo
    )
    assert again.conflict is None
    assert working_answers(board)[q["2a"].id].text == "Bos text"
    assert writers(board)[q["2a"].id].name == "Bo Berg"


def test_a_question_that_was_not_on_the_page_is_left_as_it_is(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, bo = _board(survey)
    q = _q(survey)
    board = get_or_create_board_answer(anna, BEFORE)
    save_board_answer(board, _form(survey, q4="Annas övrigt"), _shown(board), BEFORE, anna)
    seen = _shown(board)
    del seen[q["4"].id]  # a page without question 4 posts no answer and no fingerprint
    result = save_board_answer(board, _form(survey, q2a="Bos exempel"), seen, LATER, bo)
    assert result.written == [q["2a"].id]
    assert working_answers(board)[q["4"].id].text == "Annas övrigt"


def test_both_writing_the_same_text_is_no_conflict(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, bo = _board(survey)
    board = get_or_create_board_answer(anna, BEFORE)
    seen = _shown(board)
    save_board_answer(board, _form(survey, q4="Samma"), seen, BEFORE, anna)
    assert save_board_answer(board, _form(survey, q4="Samma"), seen, LATER, bo).conflict is None


def test_a_staff_user_writes_on_the_boards_behalf(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, _ = _board(survey)
    q = _q(survey)
    staff = make_user(name="Kim Samordnare")
    board = get_or_create_board_answer(anna, BEFORE)
    save_board_answer(board, _form(survey, q4="Från mötet"), _shown(board), BEFORE, user=staff)
    assert writers(board)[q["4"].id].name == "Kim Samordnare"


def test_changes_after_submitting_are_a_draft_with_their_writers(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, bo = _board(survey)
    q = _q(survey)
    board = get_or_create_board_answer(anna, BEFORE)
    full = {
        q["1"].id: AnswerInput(choice="yes", text="Klimatråd"),
        q["2a"].id: AnswerInput(text="Exempel"),
    }
    save_board_answer(board, full, _shown(board), BEFORE, anna)
    assert submit_board_answer(board, coordinated=False, actor=None, now=BEFORE) == {}
    changed = {**full, q["2a"].id: AnswerInput(text="Bättre exempel")}
    save_board_answer(board, changed, _shown(board), LATER, bo)
    assert board.has_changes
    assert writers(board)[q["2a"].id].name == "Bo Berg"
    assert writers(board)[q["1"].id].name == "Anna Andersson"
    submit_board_answer(board, coordinated=False, actor=None, now=LATER)
    assert not board.has_changes
    assert writers(board)[q["2a"].id].at == LATER


def test_respondents_submit_it_as_the_coordinated_answer(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, bo = _board(survey)
    q = _q(survey)
    personal = get_or_create_response(anna, BEFORE)
    set_coordinated(personal, True, None, BEFORE)
    board = get_or_create_board_answer(bo, BEFORE)
    assert submit_board_answer(board, coordinated=True, actor=None, now=BEFORE) != {}
    assert not board.submitted and not board.is_coordinated  # required answers missing
    full = {q["1"].id: AnswerInput(choice="no"), q["2a"].id: AnswerInput(text="Inga")}
    save_board_answer(board, full, _shown(board), BEFORE, bo)
    assert submit_board_answer(board, coordinated=True, actor=None, now=BEFORE) == {}
    db.session.flush()
    assert board.submitted and board.is_coordinated
    assert not personal.is_coordinated  # one coordinated answer per board


def test_staff_set_and_clear_the_coordinated_answer_audited(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, _ = _board(survey)
    staff = make_user()
    board = get_or_create_board_answer(anna, BEFORE)
    set_coordinated(board, True, staff, BEFORE)
    assert board.is_coordinated
    set_coordinated(board, False, staff, LATER)
    assert not board.is_coordinated
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "response.coordinated", AuditEvent.object_id == board.id)
        .order_by(AuditEvent.at)
    ).all()
    assert [e.actor_id for e in events] == [staff.id, staff.id]
    assert [e.summary for e in events] == [
        "Markerat som samordnat svar",
        "Avmarkerat som samordnat svar",
    ]


def test_no_board_answer_is_saved_after_the_survey_closes(app):
    survey = make_survey(deadline_at=DEADLINE, closes_at=BEFORE + timedelta(hours=1))
    anna, _ = _board(survey)
    board = get_or_create_board_answer(anna, BEFORE)
    with pytest.raises(ClosedError):
        save_board_answer(
            board, _form(survey, q4="Sent"), _shown(board), DEADLINE + timedelta(1), anna
        )


def test_one_board_answer_per_board_in_the_database(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, _ = _board(survey)
    get_or_create_board_answer(anna, BEFORE)
    db.session.add(
        Response(survey_id=survey.id, organisation_id=anna.organisation_id, is_board_answer=True)
    )
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.flush()
    db.session.rollback()


def test_the_dashboard_shows_each_boards_board_answer_and_personal_answers(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, bo = _board(survey)
    halland, _ = _board(survey, "Länsstyrelsen Halland", "13")
    q = _q(survey)
    get_or_create_response(anna, BEFORE)
    get_or_create_response(bo, BEFORE)
    board = get_or_create_board_answer(anna, BEFORE)
    full = {q["1"].id: AnswerInput(choice="no"), q["2a"].id: AnswerInput(text="Inga")}
    save_board_answer(board, full, _shown(board), BEFORE, anna)
    submit_board_answer(board, coordinated=True, actor=None, now=BEFORE)
    get_or_create_board_answer(halland, BEFORE)
    db.session.flush()
    rows = {r.organisation.name: r for r in build_dashboard(survey).rows}
    skane, hall = rows["Länsstyrelsen Skåne"], rows["Länsstyrelsen Halland"]
    assert (skane.board_answer, skane.personal, skane.coordinated) == ("submitted", 2, True)
    assert (hall.board_answer, hall.personal, hall.coordinated) == ("draft", 0, False)


def test_one_answer_per_board_picks_the_coordinated_board_answer(app):
    survey = make_survey(deadline_at=DEADLINE)
    anna, bo = _board(survey)
    q = _q(survey)
    full = {q["1"].id: AnswerInput(choice="no"), q["2a"].id: AnswerInput(text="Personligt")}
    personal = get_or_create_response(anna, BEFORE)
    save_answers(personal, full, None, LATER)
    submit_response(personal, LATER)  # the latest submitted
    board = get_or_create_board_answer(bo, BEFORE)
    save_board_answer(board, full, _shown(board), BEFORE, bo)
    submit_board_answer(board, coordinated=True, actor=None, now=BEFORE)
    db.session.flush()
    heads = response_heads(survey, Selection(coordinated_only=True))
    assert [h.response_id for h in heads] == [board.id]
    set_coordinated(board, False, make_user(), LATER)
    db.session.flush()
    heads = response_heads(survey, Selection(coordinated_only=True))
    assert [h.response_id for h in heads] == [personal.id]


def test_two_saves_at_once_on_postgresql_wait_for_each_other(app):
    """Two application processes saving the same question at the same moment: the second
    waits for the first to commit and then sees its answer as a conflict."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one write at a time (BEGIN IMMEDIATE)")
    survey = make_survey(deadline_at=DEADLINE)
    anna, bo = _board(survey)
    q4 = _q(survey)["4"].id
    board = get_or_create_board_answer(anna, BEFORE)
    save_board_answer(board, _form(survey, q4="Första"), _shown(board), BEFORE, anna)
    seen = {q4: _shown(board)[q4]}
    anna_id, bo_id = anna.id, bo.id
    db.session.commit()
    anna_saved = threading.Event()
    results = {}

    def save(invitation_id: int, text: str, at: datetime) -> None:
        with app.app_context():
            invitation = db.session.get(Invitation, invitation_id)
            response = get_or_create_board_answer(invitation, at)
            results[text] = save_board_answer(
                response, {q4: AnswerInput(text=text)}, seen, at, invitation
            )
            if text == "Anna":
                anna_saved.set()
                time.sleep(0.5)  # Bo's save has started meanwhile and waits
            db.session.commit()
            db.session.remove()

    def bo_saves() -> None:
        anna_saved.wait(5)
        save(bo_id, "Bo", LATER)

    threads = [threading.Thread(target=save, args=(anna_id, "Anna", BEFORE))]
    threads.append(threading.Thread(target=bo_saves))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results["Anna"].conflict is None
    assert results["Bo"].conflict is not None and results["Bo"].conflict[q4].text == "Anna"
    db.session.expire_all()
    assert working_answers(board)[q4].text == "Anna"
