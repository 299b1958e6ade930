"""The next round of a survey: copied, pre-filled from each board's previous answer for
unchanged questions only, and compared with the previous round."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import AuditEvent, Invitation, Response
from coordinator.services.results.summary import Selection
from coordinator.services.surveys.board_answers import (
    board_answer_of,
    fingerprints,
    save_board_answer,
)
from coordinator.services.surveys.prefill import prefilled_questions
from coordinator.services.surveys.questions import answerable_questions, update_question
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    save_answers,
    set_coordinated,
    stored_answers,
    submit_response,
)
from coordinator.services.surveys.rounds import (
    previous_answer_texts,
    previous_answers,
    round_changes,
    start_next_round,
)
from tests.factories import make_contact, make_invitation, make_organisation, make_survey, make_user

DEADLINE = datetime(2018, 8, 23, 21, 59, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(days=2)
NOW = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)


def _q(survey):
    return {q.number: q for q in survey.questions}


def _submit(survey, contact, answers, at=BEFORE):
    invitation, _ = make_invitation(survey, contact)
    response = get_or_create_response(invitation, at)
    q = _q(survey)
    save_answers(response, {q[n].id: a for n, a in answers.items()}, response.version, at)
    assert submit_response(response, at) == {}
    return response


def _full(comment, sectors=("C",)):
    return {
        "1": AnswerInput(choice="yes", text=comment),
        "2a": AnswerInput(text="Energikartläggning"),
        "3": AnswerInput(options=list(sectors)),
    }


def _draft_of(survey, organisation):
    """The board's pre-filled draft: its board answer, the only response made."""
    responses = db.session.scalars(
        select(Response).where(
            Response.survey_id == survey.id, Response.organisation_id == organisation.id
        )
    ).all()
    assert all(r.is_board_answer for r in responses)
    return responses[0] if responses else None


def _fields(question):
    return {
        "number": question.number,
        "help_text": "",
        "required": question.required,
        "options": question.options,
        "allow_other": question.allow_other,
        "parent_id": question.parent_id,
        "actor": make_user(),
        "now": NOW,
    }


def test_next_round_copies_questions_and_recipients_unsent_and_prefills(app):
    survey = make_survey(deadline_at=DEADLINE)
    board = make_organisation()
    writer = make_contact(board)
    colleague = make_contact(board)
    make_invitation(survey, colleague)
    _submit(survey, writer, _full("Klimatrådet"))

    new = start_next_round(survey, make_user(), NOW)

    assert new.state == "draft" and new.previous_round_id == survey.id
    assert [q.text for q in new.questions] == [q.text for q in survey.questions]
    invitations = db.session.scalars(select(Invitation).where(Invitation.survey_id == new.id))
    assert {(i.contact_id, i.sent_at) for i in invitations} == {
        (writer.id, None),
        (colleague.id, None),
    }
    draft = _draft_of(new, board)
    assert draft.state == "draft" and draft.invitation is None
    # Everyone invited from the board opens the same pre-filled board answer.
    for invitation in db.session.scalars(select(Invitation).where(Invitation.survey_id == new.id)):
        assert board_answer_of(invitation) is draft
        assert invitation.response is None
    q = _q(new)
    assert stored_answers(draft)[q["1"].id] == AnswerInput(choice="yes", text="Klimatrådet")
    assert stored_answers(draft)[q["3"].id].options == ["C"]
    assert prefilled_questions(draft) == {q["1"].id, q["2a"].id, q["3"].id}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.new_round"))
    assert event.details == {"from": survey.id, "prefilled_boards": 1}


def test_coordinated_answer_is_preferred_over_the_latest(app):
    survey = make_survey(deadline_at=DEADLINE)
    board = make_organisation()
    coordinated = _submit(survey, make_contact(board), _full("Samordnat svar"))
    set_coordinated(coordinated, True, actor=None, now=BEFORE)
    _submit(
        survey, make_contact(board), _full("Senare personligt svar"), at=BEFORE + timedelta(hours=1)
    )
    other_board = make_organisation()
    _submit(survey, make_contact(other_board), _full("Första"))
    _submit(survey, make_contact(other_board), _full("Senaste"), at=BEFORE + timedelta(hours=2))

    new = start_next_round(survey, make_user(), NOW)

    q1 = _q(new)["1"].id
    assert stored_answers(_draft_of(new, board))[q1].text == "Samordnat svar"
    assert stored_answers(_draft_of(new, other_board))[q1].text == "Senaste"


def test_only_unchanged_questions_keep_the_prefill(app):
    survey = make_survey(deadline_at=DEADLINE)
    board = make_organisation()
    _submit(survey, make_contact(board), _full("Klimatrådet"))
    new = start_next_round(survey, make_user(), NOW)
    q = _q(new)
    first = q["1"]
    update_question(first, text="Har ni en ny strategi?", kind=first.kind, **_fields(first))
    sectors = q["3"]
    changed = [*sectors.options, {"value": "G", "label": "G Handel"}]
    update_question(
        sectors, text=sectors.text, kind=sectors.kind, **{**_fields(sectors), "options": changed}
    )
    db.session.expire_all()

    draft = _draft_of(new, board)
    assert set(stored_answers(draft)) == {q["2a"].id}
    assert prefilled_questions(draft) == {q["2a"].id}
    changes = round_changes(new, Selection())
    assert changes[q["1"].id].status == "changed"
    assert changes[q["2a"].id].status == "same"


def _open_round(survey):
    new = start_next_round(survey, make_user(), NOW)
    new.state = "open"
    new.deadline_at = NOW + timedelta(days=30)
    return new


def test_saving_clears_only_the_marks_of_changed_or_confirmed_answers(app):
    survey = make_survey(deadline_at=DEADLINE)
    board = make_organisation()
    _submit(survey, make_contact(board), _full("Klimatrådet"))
    new = _open_round(survey)
    draft = _draft_of(new, board)
    invitation = db.session.scalar(select(Invitation).where(Invitation.survey_id == new.id))
    q = {n: question.id for n, question in _q(new).items()}

    def save(answers, confirmed=()):
        shown = stored_answers(draft)
        seen = fingerprints(answerable_questions(new), shown)
        posted = {**shown, **answers}
        save_board_answer(draft, posted, seen, NOW, invitation=invitation, confirmed=confirmed)

    # The form posts every answer as shown (autosave too); the respondent changed one.
    save({q["3"]: AnswerInput(options=["F"])})
    assert prefilled_questions(draft) == {q["1"], q["2a"]}
    save({})
    assert prefilled_questions(draft) == {q["1"], q["2a"]}
    save({}, confirmed={q["1"]})
    assert prefilled_questions(draft) == {q["2a"]}
    assert round_changes(new, Selection(include_drafts=True))[q["3"]].changed_answers == 1
    assert round_changes(new, Selection(include_drafts=True))[q["1"]].changed_answers == 0
    # Submitting confirms every answer that was shown.
    assert submit_response(draft, NOW) == {}
    assert prefilled_questions(draft) == set() and not any(a.prefilled for a in draft.answers)


def test_a_personal_save_clears_only_the_marks_of_changed_or_confirmed_answers(app):
    survey = make_survey(deadline_at=DEADLINE)
    board = make_organisation()
    _submit(survey, make_contact(board), _full("Klimatrådet"))
    new = _open_round(survey)
    invitation = db.session.scalar(select(Invitation).where(Invitation.survey_id == new.id))
    response = get_or_create_response(invitation, NOW)
    q = {n: question.id for n, question in _q(new).items()}
    answers = {q[n]: a for n, a in _full("Eget svar").items()}
    save_answers(response, answers, response.version, NOW)
    for answer in response.answers:
        answer.prefilled = True

    save_answers(response, {**answers, q["3"]: AnswerInput(options=["F"])}, response.version, NOW)
    assert prefilled_questions(response) == {q["1"], q["2a"]}
    save_answers(response, {**answers, q["3"]: AnswerInput(options=["F"])}, None, NOW)
    assert prefilled_questions(response) == {q["1"], q["2a"]}
    save_answers(response, answers, None, NOW, confirmed={q["2a"]})
    assert prefilled_questions(response) == {q["1"]}


def test_a_board_that_did_not_answer_gets_no_draft_and_a_board_answering_keeps_its_own(app):
    survey = make_survey(deadline_at=DEADLINE)
    silent = make_organisation()
    make_invitation(survey, make_contact(silent))
    new = start_next_round(survey, make_user(), NOW)
    assert _draft_of(new, silent) is None
    assert previous_answers(new) == {}


def test_previous_answers_beside_the_new_ones(app):
    survey = make_survey(deadline_at=DEADLINE)
    board = make_organisation()
    _submit(survey, make_contact(board), _full("Klimatrådet"))
    new = start_next_round(survey, make_user(), NOW)
    q = _q(new)
    assert previous_answers(new)[board.id][q["1"].id].text == "Klimatrådet"
    texts = previous_answer_texts(new)
    assert texts[board.id, q["3"].id] == "C Tillverkning"
    assert "Klimatrådet" in texts[board.id, q["1"].id]
