"""Follow-up questions: shown only after chosen answers to an earlier yes/no, one-option
or scale question; the builder refuses a later question or a cycle; results and exports
say "Ej aktuell"."""

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from coordinator.extensions import db
from coordinator.models import Question
from coordinator.services.errors import SurveyError
from coordinator.services.results.summary import Selection, summarise_survey
from coordinator.services.results.workbook import write_csv, write_workbook
from coordinator.services.surveys.building import copy_survey
from coordinator.services.surveys.conditions import condition_text, not_applicable
from coordinator.services.surveys.questions import (
    add_question,
    delete_question,
    move_question,
    update_question,
)
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    missing_required,
    save_answers,
    stored_answers,
    submit_response,
)
from tests.factories import (
    every_kind_questions,
    make_contact,
    make_invitation,
    make_organisation,
    make_survey,
    make_user,
)

NOW = datetime(2018, 8, 1, tzinfo=UTC)


def _by_number(survey):
    return {q.number: q for q in survey.questions}


def test_a_follow_up_applies_after_the_chosen_answers_and_chains(app):
    survey = make_survey(questions=every_kind_questions())
    q = _by_number(survey)
    questions = [x for x in survey.questions if x.kind != "heading"]
    assert not_applicable(questions, {}) == {q["1a"].id, q["8a"].id}
    answers = {q["1"].id: AnswerInput(choice="yes"), q["8"].id: AnswerInput(choice="2")}
    assert not_applicable(questions, answers) == set()
    answers[q["8"].id] = AnswerInput(choice="dont_know")
    assert not_applicable(questions, answers) == {q["8a"].id}
    assert condition_text(q["1a"]) == "Besvara om du svarat Ja på fråga 1"
    assert condition_text(q["8a"]) == "Besvara om du svarat 1 – Mycket dåligt eller 2 på fråga 8"


def test_a_heading_with_a_condition_holds_for_its_sub_questions_and_their_followers(app):
    survey = make_survey(questions=[])
    source = Question(number="1", text="Ja?", kind="yes_no_comment", position=0)
    heading = Question(
        number="2",
        text="Om ja",
        kind="heading",
        position=1,
        condition_question=source,
        condition_values=["yes"],
    )
    child = Question(
        number="2a",
        text="Hur?",
        kind="single_choice",
        position=2,
        parent=heading,
        required=True,
        options=[{"value": "A", "label": "A"}],
    )
    follower = Question(
        number="3",
        text="Varför A?",
        kind="long_text",
        position=3,
        required=True,
        condition_question=child,
        condition_values=["A"],
    )
    survey.questions = [source, heading, child, follower]
    db.session.flush()
    answers = {child.id: AnswerInput(choice="A")}
    assert not_applicable([source, child, follower], answers) == {child.id, follower.id}
    assert missing_required([source, child, follower], answers) == {}  # hidden: not required
    answers[source.id] = AnswerInput(choice="yes")
    assert not_applicable([source, child, follower], answers) == set()
    assert set(missing_required([source, child, follower], {source.id: answers[source.id]})) == {
        f"q{child.id}_choice"
    }


def _add(survey, number, kind="long_text", condition=(), **values):
    return add_question(
        survey,
        number=number,
        text=f"Fråga {number}",
        help_text="",
        kind=kind,
        required=False,
        options=values.pop("options", []),
        allow_other=False,
        parent_id=None,
        actor=make_user(),
        now=NOW,
        condition=condition,
        **values,
    )


def test_the_builder_refuses_a_later_question_a_cycle_and_values_it_does_not_have(app):
    survey = make_survey(state="draft", questions=[])
    first = _add(survey, "1", "yes_no_comment")
    follow = _add(survey, "2", condition=[f"{first.id}:yes"])
    assert follow.condition_question is first and follow.condition_values == ["yes"]
    with pytest.raises(SurveyError, match="tidigare fråga"):
        _add(survey, "3", condition=[f"{follow.id}:x"])  # not a question with values
    with pytest.raises(SurveyError, match="Välj vilka svar"):
        _add(survey, "3", condition=[f"{first.id}:kanske"])
    with pytest.raises(SurveyError, match="en enda fråga"):
        _add(survey, "3", condition=[f"{first.id}:yes", f"{follow.id}:no"])
    later = _add(survey, "3", "rating_scale", settings={"scale_points": "5"})
    values = dict(
        number="1",
        text="Fråga 1",
        help_text="",
        kind="yes_no_comment",
        required=False,
        options=None,
        allow_other=False,
        parent_id=None,
        actor=make_user(),
        now=NOW,
    )
    with pytest.raises(SurveyError, match="tidigare fråga"):
        update_question(first, **values, condition=[f"{later.id}:3"])
    with pytest.raises(SurveyError, match="måste komma efter"):
        move_question(follow, "up", make_user(), NOW)
    with pytest.raises(SurveyError, match="följdfråga"):
        delete_question(first, make_user(), NOW)
    update_question(follow, **values | {"number": "2", "kind": "long_text"}, condition=[])
    assert follow.condition_question_id is None and follow.condition_values == []


def test_an_answer_to_a_hidden_follow_up_is_kept_but_never_required_or_checked(app):
    survey = make_survey(questions=every_kind_questions())
    q = _by_number(survey)
    invitation, _ = make_invitation(survey)
    response = get_or_create_response(invitation, NOW)
    posted = {
        q["1"].id: AnswerInput(choice="no", text="Inte ännu"),
        q["8"].id: AnswerInput(choice="4"),
        q["8a"].id: AnswerInput(text="Detta gäller inte"),
    }
    assert save_answers(response, posted, None, NOW).errors == {}
    # Kept as typed, never required, and not applicable wherever it is read.
    assert stored_answers(response)[q["8a"].id].text == "Detta gäller inte"
    assert submit_response(response, NOW) == {}
    assert q["8a"].id in not_applicable(survey.questions, stored_answers(response))
    refused = {
        **posted,
        q["6"].id: AnswerInput(text="12"),
        q["8a"].id: AnswerInput(text="å" * 20_001),
    }
    assert save_answers(response, refused, None, NOW).errors == {}  # not checked while hidden


def test_results_and_exports_say_not_applicable_apart_from_unanswered(app):
    survey = make_survey(questions=every_kind_questions())
    q = _by_number(survey)
    for name, scale in (("Skåne", "2"), ("Dalarna", "4"), ("Gotland", "")):
        invitation, _ = make_invitation(survey, make_contact(make_organisation(name), name=name))
        response = get_or_create_response(invitation, NOW)
        answers = {q["1"].id: AnswerInput(choice="no")}
        if scale:
            answers[q["8"].id] = AnswerInput(choice=scale)
        if scale == "2":
            answers[q["8a"].id] = AnswerInput(text="Mer tid")
        save_answers(response, answers, None, NOW)
        response.state, response.submitted_at = "submitted", NOW
    summary = {s.question.number: s for s in summarise_survey(survey, Selection()).questions}
    assert (summary["8a"].not_applicable, summary["8a"].unanswered) == (2, 0)
    assert summary["8a"].texts[0].text == "Mer tid"
    assert (summary["1a"].not_applicable, summary["1a"].unanswered) == (3, 0)
    buffer = io.BytesIO()
    write_workbook(survey, buffer, now=NOW)
    workbook = load_workbook(buffer)
    header = [c.value for c in workbook["Alla svar"][1]]
    column = header.index("8a: Vad behöver bli bättre?")
    in_order = ["Ej aktuell", "Ej aktuell", "Mer tid"]  # Dalarna, Gotland, Skåne
    assert [r[column].value for r in workbook["Alla svar"].iter_rows(min_row=2)] == in_order
    assert [r[1].value for r in workbook["8a"].iter_rows(min_row=4)] == in_order
    csv = io.BytesIO()
    write_csv(survey, csv)
    assert csv.getvalue().decode("utf-8-sig").count("Ej aktuell") == 2 + 3


def test_a_copy_keeps_kinds_settings_and_conditions(app):
    survey = make_survey(questions=every_kind_questions())
    copy = copy_survey(survey, make_user(), NOW)
    original, copied = _by_number(survey), _by_number(copy)
    assert copied["1a"].condition_question is copied["1"]
    assert copied["8a"].condition_values == ["1", "2"]
    for number, question in original.items():
        assert (copied[number].kind, copied[number].settings) == (question.kind, question.settings)
