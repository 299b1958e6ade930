"""Building questions: options, sub-questions, order, and what is fixed once answered."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Answer, AuditEvent, Response
from coordinator.services.errors import SurveyError
from coordinator.services.register.seed import seed_reference_data
from coordinator.services.surveys.questions import (
    add_question,
    build_options,
    delete_question,
    move_question,
    update_question,
)
from tests.factories import make_organisation, make_survey, make_user

NOW = datetime(2018, 8, 1, tzinfo=UTC)


def _add(survey, number, kind="long_text", parent_id=None, options=()):
    return add_question(
        survey,
        number=number,
        text=f"Fråga {number}",
        help_text="",
        kind=kind,
        required=True,
        options=list(options),
        allow_other=kind == "multiple_choice",
        parent_id=parent_id,
        actor=make_user(),
        now=NOW,
    )


def test_options_one_per_line_or_the_sni_list(app):
    seed_reference_data()
    assert build_options("long_text", "Ja\nNej", False) == []
    assert build_options("single_choice", " Ja \n\nNej\n", False) == [
        {"value": "Ja", "label": "Ja"},
        {"value": "Nej", "label": "Nej"},
    ]
    with pytest.raises(SurveyError):
        build_options("multiple_choice", "\n \n", False)
    sni = build_options("multiple_choice", "", True)
    assert len(sni) == 21 and sni[0]["value"] == "A" and sni[-1]["value"] == "U"
    renamed = build_options("multiple_choice", "A Jord\n" + sni[1]["label"], False, sni)
    assert [o["value"] for o in renamed] == ["A Jord", "B"]  # a kept label keeps its code


def test_heading_with_sub_questions_reorder_and_delete_while_draft(app):
    survey = make_survey(state="draft", questions=[])
    heading = _add(survey, "2", kind="heading")
    sub = _add(survey, "2a", parent_id=heading.id)
    last = _add(survey, "3", kind="multiple_choice", options=[{"value": "C", "label": "C"}])
    assert sub.parent is heading and not heading.required and last.other_label
    with pytest.raises(SurveyError):
        _add(survey, "9", parent_id=sub.id)  # only a heading can have sub-questions
    move_question(last, "up", make_user(), NOW)
    assert [q.number for q in survey.questions] == ["2", "3", "2a"]
    move_question(heading, "up", make_user(), NOW)  # already first: nothing happens
    assert [q.position for q in survey.questions] == [0, 1, 2]
    with pytest.raises(SurveyError):
        delete_question(heading, make_user(), NOW)  # it still has 2a
    delete_question(sub, make_user(), NOW)
    delete_question(heading, make_user(), NOW)
    assert [q.number for q in survey.questions] == ["3"]
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("question.delete") == 2 and "question.move" in actions


def test_answered_question_keeps_its_kind_and_edits_after_opening_are_audited(app):
    survey = make_survey(state="open")
    question = survey.questions[0]
    response = Response(survey=survey, organisation=make_organisation(), state="draft")
    response.answers = [Answer(question=question, choice="yes")]
    db.session.add(response)
    db.session.flush()
    fields = dict(
        number="1",
        help_text="",
        required=True,
        options=None,
        allow_other=False,
        parent_id=None,
        actor=make_user(),
        now=NOW,
    )
    with pytest.raises(SurveyError):
        update_question(question, text=question.text, kind="long_text", **fields)
    sectors = survey.questions[3]
    with pytest.raises(SurveyError) as error:
        update_question(
            sectors,
            text=sectors.text,
            kind=sectors.kind,
            **{**fields, "number": "3", "options": [{"value": "X", "label": "X"}]},
        )
    assert error.value.field == "options"
    with pytest.raises(SurveyError):
        delete_question(question, make_user(), NOW)
    with pytest.raises(SurveyError):
        _add(survey, "5")
    update_question(question, text="Har ni en strategi?", kind=question.kind, **fields)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question.update"))
    assert event.details["changes"]["text"][1] == "Har ni en strategi?"
    assert event.details["after_opening"] is True
