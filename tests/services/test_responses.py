"""Saving, submitting, versions and the token rules, without HTTP."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import AuditEvent, Invitation, OutboxMessage, Response
from coordinator.services.errors import ClosedError, RegisterError
from coordinator.services.mail.secret_links import fill, tokens_for
from coordinator.services.surveys.invitations import find_invitation_by_token, resend_link, revoke
from coordinator.services.surveys.responses import (
    AnswerInput,
    discard_changes,
    get_or_create_response,
    pass_on_to_colleague,
    queue_receipt,
    register_response,
    save_answers,
    set_coordinated,
    stored_answers,
    submit_response,
    working_answers,
)
from coordinator.services.surveys.states import extend_deadline
from tests.factories import make_contact, make_invitation, make_organisation, make_survey, make_user

DEADLINE = datetime(2018, 8, 23, 21, 59, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(days=1)


def _questions(survey):
    return {q.number: q for q in survey.questions}


def _full_answers(survey):
    q = _questions(survey)
    return {
        q["1"].id: AnswerInput(choice="yes", text="Vi har ett klimatråd."),
        q["2a"].id: AnswerInput(text="- Energikartläggning\n- Klimatklivet"),
        q["3"].id: AnswerInput(options=["C", "X"], other="Besöksnäring"),
    }


def test_token_lookup(app):
    survey = make_survey()
    invitation, token = make_invitation(survey)
    other_survey = make_survey()
    other, other_token = make_invitation(other_survey)
    assert find_invitation_by_token(token) is invitation
    assert find_invitation_by_token(other_token) is other
    assert find_invitation_by_token(token + "x") is None
    assert find_invitation_by_token("") is None
    assert token not in invitation.token_hash
    revoke(invitation, make_user(), BEFORE)
    assert find_invitation_by_token(token) is None
    draft = make_survey(state="draft")
    _, draft_token = make_invitation(draft)
    assert find_invitation_by_token(draft_token) is None


def test_resending_a_link_makes_the_old_one_stop_working(app):
    invitation, token = make_invitation(make_survey())
    resend_link(invitation, make_user(), BEFORE)
    assert find_invitation_by_token(token) is None


def test_draft_then_submit_on_time_and_change_after_deadline_is_late(app):
    survey = make_survey(deadline_at=DEADLINE)
    invitation, _ = make_invitation(survey)
    response = get_or_create_response(invitation, BEFORE)
    partial = {_questions(survey)["1"].id: AnswerInput(choice="no")}
    assert save_answers(response, partial, response.version, BEFORE).saved
    assert response.state == "draft"
    missing = submit_response(response, BEFORE)
    assert set(missing) == {f"q{_questions(survey)['2a'].id}_text"}
    save_answers(response, _full_answers(survey), response.version, BEFORE)
    assert submit_response(response, DEADLINE) == {}  # at the deadline second: on time
    assert response.submitted and not response.late
    assert stored_answers(response)[_questions(survey)["3"].id].options == [
        "C"
    ]  # unknown X dropped
    after = DEADLINE + timedelta(minutes=1)
    save_answers(
        response, {_questions(survey)["4"].id: AnswerInput(text="Tillägg")}, response.version, after
    )
    # Saved, not submitted: a draft of changes is never late.
    assert response.has_changes and not response.late and response.submitted_at == DEADLINE
    assert submit_response(response, after) == {}
    assert (
        response.late and response.first_submitted_at == DEADLINE and response.submitted_at == after
    )
    assert stored_answers(response)[_questions(survey)["4"].id].text == "Tillägg"


def test_double_submit_gives_one_response(app):
    survey = make_survey(deadline_at=DEADLINE)
    invitation, _ = make_invitation(survey)
    first = get_or_create_response(invitation, BEFORE)
    second = get_or_create_response(invitation, BEFORE)
    assert first is second
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_an_older_version_never_overwrites(app):
    survey = make_survey(deadline_at=DEADLINE)
    invitation, _ = make_invitation(survey)
    response = get_or_create_response(invitation, BEFORE)
    db.session.commit()
    opened_version = response.version
    q1 = _questions(survey)["1"].id
    assert save_answers(
        response, {q1: AnswerInput(choice="yes", text="Flik ett")}, opened_version, BEFORE
    ).saved
    db.session.commit()
    result = save_answers(
        response, {q1: AnswerInput(choice="no", text="Flik två")}, opened_version, BEFORE
    )
    assert not result.saved
    assert result.conflict[q1].text == "Flik ett"
    db.session.rollback()
    assert stored_answers(response)[q1].text == "Flik ett"


def test_closed_survey_refuses_saves_and_submits(app):
    survey = make_survey(deadline_at=DEADLINE, closes_at=DEADLINE + timedelta(days=7))
    invitation, _ = make_invitation(survey)
    response = get_or_create_response(invitation, BEFORE)
    closed = DEADLINE + timedelta(days=7)
    with pytest.raises(ClosedError):
        save_answers(response, _full_answers(survey), response.version, closed)
    with pytest.raises(ClosedError):
        submit_response(response, closed)


def test_over_long_text_is_refused_but_the_rest_is_saved(app):
    survey = make_survey()
    invitation, _ = make_invitation(survey)
    response = get_or_create_response(invitation, BEFORE)
    q = _questions(survey)
    answers = {
        q["1"].id: AnswerInput(choice="yes", text="x" * 20_001),
        q["2a"].id: AnswerInput(text="kort"),
    }
    result = save_answers(response, answers, response.version, BEFORE)
    assert result.saved and list(result.errors) == [f"q{q['1'].id}_text"]
    stored = stored_answers(response)
    assert q["1"].id not in stored and stored[q["2a"].id].text == "kort"


def test_only_one_coordinated_answer_per_board(app):
    survey = make_survey()
    org = make_organisation("Länsstyrelsen Skåne", "12")
    a = get_or_create_response(make_invitation(survey, make_contact(org))[0], BEFORE)
    b = get_or_create_response(make_invitation(survey, make_contact(org))[0], BEFORE)
    set_coordinated(a, True, None, BEFORE)
    set_coordinated(b, True, None, BEFORE)
    db.session.flush()
    assert (a.is_coordinated, b.is_coordinated) == (False, True)


def test_the_same_answers_saved_twice_from_one_page_are_no_conflict(app):
    survey = make_survey(deadline_at=DEADLINE)
    invitation, _ = make_invitation(survey)
    response = get_or_create_response(invitation, BEFORE)
    db.session.commit()
    shown = response.version
    answers = _full_answers(survey)
    assert save_answers(response, answers, shown, BEFORE).saved
    db.session.commit()
    saved_version = response.version
    again = save_answers(response, _full_answers(survey), shown, BEFORE)  # a double click
    assert again.saved and again.conflict is None
    db.session.commit()
    assert response.version == saved_version


def test_an_extended_deadline_is_on_time_to_its_last_second(app):
    survey = make_survey(deadline_at=DEADLINE)
    invitation, _ = make_invitation(survey)
    extended = DEADLINE + timedelta(days=3)
    extend_deadline(survey, invitation.organisation_id, extended, make_user(), BEFORE)
    response = get_or_create_response(invitation, BEFORE)
    save_answers(response, _full_answers(survey), response.version, BEFORE)
    assert submit_response(response, extended) == {}
    assert not response.late
    later = extended + timedelta(seconds=1)
    save_answers(response, _full_answers(survey), response.version, later)
    assert not response.late  # the same answers again change nothing, so nothing is late
    q4 = _questions(survey)["4"].id
    save_answers(response, {q4: AnswerInput(text="Ändrat")}, None, later)
    assert not response.late  # a draft of changes is not a submission
    assert submit_response(response, later) == {}
    assert response.late and response.submitted_at == later


def test_pass_on_gives_a_colleague_at_the_same_board_a_link(app):
    survey = make_survey(deadline_at=DEADLINE, closes_at=DEADLINE + timedelta(days=7))
    org = make_organisation("Länsstyrelsen Örebro", "18", mail_domains="example.org")
    invitation, token = make_invitation(survey, make_contact(org))
    colleague = pass_on_to_colleague(invitation, "Olle Ek", "Olle.Ek@example.org", BEFORE, limit=5)
    assert colleague.organisation_id == org.id and colleague.forwarded_from_id == invitation.id
    assert colleague.contact.organisation_id == org.id
    assert colleague.contact.email == "olle.ek@example.org"
    mail = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient_email == "olle.ek@example.org")
    )
    assert mail is not None and token not in mail.text_body
    assert find_invitation_by_token(token) is invitation  # the first link still works
    elsewhere = make_contact(make_organisation("Region Örebro län", None))
    with pytest.raises(RegisterError):
        pass_on_to_colleague(invitation, "Annan", elsewhere.email, BEFORE, limit=5)
    with pytest.raises(ClosedError):
        pass_on_to_colleague(
            invitation, "Sen", "sen@example.org", DEADLINE + timedelta(days=7), limit=5
        )
    count = select(func.count()).select_from(Invitation).where(Invitation.survey_id == survey.id)
    assert db.session.scalar(count) == 2


def test_a_coordinator_registers_an_answer_that_came_by_email(app):
    survey = make_survey(deadline_at=DEADLINE, state="closed")
    org = make_organisation("Länsstyrelsen Gotland", "09")
    staff = make_user("coordinator")
    response = register_response(
        survey, org, " Karin Berg ", _full_answers(survey), staff, DEADLINE + timedelta(days=1)
    )
    assert response.invitation_id is None and response.registered_by_id == staff.id
    assert response.submitted and response.late and response.respondent_name == "Karin Berg"
    assert stored_answers(response)[_questions(survey)["2a"].id].text.startswith("- Energi")
    assert (
        db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "response.register")
        ).actor_id
        == staff.id
    )
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def _submitted(survey, at=BEFORE):
    invitation, _ = make_invitation(survey)
    response = get_or_create_response(invitation, at)
    save_answers(response, _full_answers(survey), response.version, at)
    assert submit_response(response, at) == {}
    return response


def test_saving_a_submitted_response_keeps_what_was_submitted(app):
    survey = make_survey(deadline_at=DEADLINE)
    response = _submitted(survey)
    q = _questions(survey)
    emptied = {q["1"].id: AnswerInput(), q["2a"].id: AnswerInput()}
    later = BEFORE + timedelta(hours=2)
    result = save_answers(response, emptied, response.version, later)
    assert result.saved and result.errors == {}
    db.session.commit()
    db.session.expire_all()
    # What counts is still the submitted answer, at its submission time, on time.
    assert response.submitted and response.submitted_at == BEFORE and not response.late
    assert stored_answers(response)[q["1"].id].choice == "yes"
    assert stored_answers(response)[q["2a"].id].text.startswith("- Energikartläggning")
    # The respondent sees their changes, marked as such.
    assert response.has_changes and response.changes_saved_at == later
    assert working_answers(response)[q["1"].id].empty
    assert working_answers(response)[q["3"].id].other == "Besöksnäring"
    # Submitting the changes goes through the required-answer check.
    missing = submit_response(response, later)
    assert set(missing) == {f"q{q['1'].id}_choice", f"q{q['2a'].id}_text"}
    assert response.submitted_at == BEFORE and stored_answers(response)[q["1"].id].choice == "yes"


def test_submitting_a_draft_of_changes_replaces_the_answers(app):
    survey = make_survey(deadline_at=DEADLINE)
    response = _submitted(survey)
    q = _questions(survey)
    later = BEFORE + timedelta(hours=1)
    changed = {q["1"].id: AnswerInput(choice="no", text=""), q["3"].id: AnswerInput()}
    save_answers(response, changed, response.version, later)
    assert submit_response(response, later) == {}
    db.session.commit()
    db.session.expire_all()
    answers = stored_answers(response)
    assert answers[q["1"].id] == AnswerInput(choice="no")
    assert answers[q["3"].id].empty
    assert answers[q["2a"].id].text.startswith("- Energikartläggning")
    assert not response.has_changes and response.submitted_at == later and not response.late
    assert working_answers(response) == answers


def test_changes_back_to_the_submitted_answers_are_no_draft(app):
    survey = make_survey(deadline_at=DEADLINE)
    response = _submitted(survey)
    q = _questions(survey)
    save_answers(response, {q["4"].id: AnswerInput(text="Tillägg")}, response.version, BEFORE)
    assert response.has_changes
    save_answers(response, {q["4"].id: AnswerInput(text="")}, response.version, BEFORE)
    assert not response.has_changes and response.pending_answers == []


def test_a_submitted_response_without_changes_is_not_submitted_again(app):
    survey = make_survey(deadline_at=DEADLINE)
    response = _submitted(survey)
    assert submit_response(response, DEADLINE + timedelta(days=3)) == {}
    assert response.submitted_at == BEFORE and not response.late


def test_discarding_a_draft_of_changes_keeps_the_submitted_answers(app):
    survey = make_survey(deadline_at=DEADLINE)
    response = _submitted(survey)
    q = _questions(survey)
    save_answers(response, {q["4"].id: AnswerInput(text="Tillägg")}, response.version, BEFORE)
    discard_changes(response, BEFORE)
    assert not response.has_changes and q["4"].id not in working_answers(response)


def test_the_receipt_carries_the_link_for_changing_the_answers(app):
    survey = make_survey(deadline_at=DEADLINE)
    invitation, token = make_invitation(survey)
    response = get_or_create_response(invitation, BEFORE)
    save_answers(response, _full_answers(survey), response.version, BEFORE)
    submit_response(response, BEFORE)
    queue_receipt(response, BEFORE)
    receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.cause_type == "receipt"))
    link = f"http://localhost/r/{token}"
    assert token not in receipt.text_body + receipt.html_body  # the sender puts it in
    tokens = tokens_for([receipt])
    text, html = fill(receipt.text_body, tokens), fill(receipt.html_body, tokens)
    assert "ändra svaren genom samma länk" in text and link in text
    assert f'href="{link}"' in html
    assert find_invitation_by_token(link.rsplit("/", 1)[1]) is invitation


def test_an_autosave_of_some_questions_keeps_the_others_as_stored(app):
    from werkzeug.datastructures import MultiDict

    from coordinator.services.surveys.questions import answerable_questions
    from coordinator.services.surveys.responses import parse_answers, sent_questions

    survey = make_survey(deadline_at=DEADLINE)
    q = _questions(survey)
    stored = {q["4"].id: AnswerInput(text="sparat"), q["2a"].id: AnswerInput(text="också")}
    form = MultiDict({f"q{q['4'].id}_text": "nytt"})
    only = sent_questions(f"{q['4'].id} x")
    answers = parse_answers(answerable_questions(survey), form, stored, only=only)
    assert answers[q["4"].id].text == "nytt" and answers[q["2a"].id].text == "också"
    assert q["1"].id not in answers  # neither sent nor stored
    whole = parse_answers(answerable_questions(survey), form, stored)
    assert whole[q["2a"].id].text == "" and sent_questions(None) is None
