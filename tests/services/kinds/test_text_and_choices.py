"""The kinds the app began with, on the QuestionKind interface: text reads back exactly as
typed (NUL apart), choices keep only what is offered, and an over-long text is refused
with a message while the rest of the survey is saved."""

from flask_babel import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from coordinator.models import Question
from coordinator.services.surveys.kinds import kind_named
from coordinator.services.surveys.kinds.answers import MAX_ANSWER_LENGTH, AnswerInput
from coordinator.services.surveys.responses import save_answers
from tests.services.kinds.support import NOW, WITH_DATABASE, comments, reread, survey_with

OPTIONS = [{"value": "C", "label": "C Tillverkning"}, {"value": "F", "label": "F Bygg"}]
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)


def _question(kind, **values):
    return Question(id=3, number="3", text="Fråga", kind=kind, **values)


@given(st.sampled_from(["short_text", "long_text"]), texts)
def test_text_is_kept_as_typed(kind, text):
    question = _question(kind)
    answer = kind_named(kind).parse(question, {"q3_text": text})
    assert kind_named(kind).normalise(question, answer).text == text.replace("\x00", "")


@given(st.sampled_from(["yes", "no", "", "kanske", "YES"]), texts)
def test_yes_or_no_and_a_comment(choice, comment):
    kind = kind_named("yes_no_comment")
    question = _question("yes_no_comment")
    normalised = kind.normalise(
        question, kind.parse(question, {"q3_choice": choice, "q3_text": comment})
    )
    assert normalised.choice == (choice if choice in ("yes", "no") else "")
    assert normalised.text == comment.replace("\x00", "")


@given(st.lists(st.sampled_from(["C", "F", "X", ""])), st.sampled_from(["C", "F", "X", ""]), texts)
def test_choices_keep_only_what_is_offered(options, choice, other):
    several = _question("multiple_choice", options=OPTIONS, allow_other=True)
    answer = kind_named("multiple_choice").parse(
        several, {"q3_options": options, "q3_other": other}
    )
    kept = kind_named("multiple_choice").normalise(several, answer)
    assert kept.options == [o for o in options if o in ("C", "F")]
    assert kept.other == other.replace("\x00", "")
    one = _question("single_choice", options=OPTIONS, allow_other=False)
    picked = kind_named("single_choice").normalise(one, AnswerInput(choice=choice, other=other))
    assert picked.choice == (choice if choice in ("C", "F") else "") and picked.other == ""


def test_how_choices_read():
    several = _question("multiple_choice", options=OPTIONS, allow_other=True, other_label="Annat")
    answer = AnswerInput(options=["F", "C"], other="Besöksnäring")
    assert kind_named("multiple_choice").plain_text(several, answer) == (
        "F Bygg; C Tillverkning\nAnnat: Besöksnäring"
    )
    assert kind_named("multiple_choice").cells(several, answer) == [
        "F Bygg; C Tillverkning; Annat: Besöksnäring"
    ]
    yes_no = kind_named("yes_no_comment")
    assert yes_no.plain_text(_question("yes_no_comment"), AnswerInput("no", "Inte än")) == (
        "Nej\nInte än"
    )
    assert yes_no.cells(_question("yes_no_comment"), AnswerInput("no", "Inte än")) == [
        "Nej",
        "Inte än",
    ]


@WITH_DATABASE
@given(text=st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=200))
def test_text_is_stored_and_read_back_exactly(app, text):
    question, _, response = survey_with(Question(number="1", text="Fråga", kind="long_text"))
    save_answers(response, {question.id: AnswerInput(text=text)}, None, NOW)
    accepted = text.replace("\x00", "")
    stored = reread(response)
    # Only white space is no answer: nothing is stored for it.
    assert (stored[question.id].text if question.id in stored else "") == (
        accepted if accepted.strip() else ""
    )


@WITH_DATABASE
@given(extra=st.integers(min_value=1, max_value=50), comment=comments)
def test_an_over_long_text_is_refused_and_nothing_else_is_lost(app, extra, comment):
    question, text, response = survey_with(
        Question(number="1", text="Fråga", kind="yes_no_comment")
    )
    long = "å" * (MAX_ANSWER_LENGTH + extra)
    result = save_answers(
        response,
        {question.id: AnswerInput("yes", long), text.id: AnswerInput(text=comment)},
        None,
        NOW,
    )
    assert list(result.errors) == [f"q{question.id}_text"]
    length = format_decimal(MAX_ANSWER_LENGTH + extra)
    assert f"för lång: {length} av högst" in result.errors[f"q{question.id}_text"]
    stored = reread(response)
    assert question.id not in stored
    if comment.strip():
        assert stored[text.id].text == comment
