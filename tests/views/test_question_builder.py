"""Building questions of every kind: each kind's settings, a follow-up condition, the
preview of the question, and what stays fixed once the survey has opened."""

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Question
from tests.factories import every_kind_questions, make_member, make_survey
from tests.support import login


def _new(client_request, survey, status=302, **data):
    return client_request.post(f"/surveys/{survey.id}/questions/new", data, status=status)


def test_every_kind_is_offered_with_the_settings_it_needs(app, client_request):
    survey = make_survey(state="draft", questions=[])
    login(client_request.client, make_member(survey.project))
    page = client_request.get(f"/surveys/{survey.id}/questions/new")
    kinds = [o["value"] for o in page.find("select", id="kind").find_all("option")]
    assert kinds == [
        "heading",
        "yes_no_comment",
        "short_text",
        "long_text",
        "single_choice",
        "multiple_choice",
        "numeric",
        "calendar_date",
        "rating_scale",
        "choice_grid",
        "file_upload",
    ]
    unit = page.find("input", id="unit").find_parent(class_="kind-setting")
    assert unit["data-kinds"] == "numeric" and "Gäller: Tal." in unit.get_text()
    points = page.find("select", id="scale_points").find_parent(class_="kind-setting")
    assert points["data-kinds"] == "rating_scale choice_grid"

    _new(
        client_request,
        survey,
        number="1",
        text="Hur många?",
        kind="numeric",
        unit="st",
        minimum="0",
        maximum="1 000",
        integer_only="y",
    )
    _new(
        client_request,
        survey,
        number="2",
        text="Hur väl?",
        kind="rating_scale",
        scale_points="7",
        low_label="Dåligt",
        high_label="Bra",
        dont_know="y",
    )
    _new(
        client_request,
        survey,
        number="3",
        text="Per sektor",
        kind="choice_grid",
        grid_rows="Jordbruk\nTillverkning",
        grid_scale="y",
        scale_points="5",
    )
    _new(
        client_request,
        survey,
        number="4",
        text="Bifoga",
        kind="file_upload",
        max_files="2",
        max_file_mb="5",
        max_total_mb="8",
    )
    _new(client_request, survey, number="5", text="Sedan när?", kind="calendar_date")
    settings = {q.number: q.settings for q in survey.questions}
    assert settings["1"] == {"unit": "st", "minimum": "0", "maximum": "1000", "integer": True}
    assert settings["2"] == {
        "points": 7,
        "low_label": "Dåligt",
        "high_label": "Bra",
        "dont_know": True,
    }
    assert [r["label"] for r in settings["3"]["rows"]] == ["Jordbruk", "Tillverkning"]
    assert settings["4"] == {"max_files": 2, "max_file_mb": 5, "max_total_mb": 8}

    page = _new(
        client_request,
        survey,
        status=200,
        number="6",
        text="Rutnät",
        kind="choice_grid",
        grid_rows="",
    )
    assert [a["href"] for a in page.select(".error-summary a")] == ["#grid_rows"]
    page = _new(
        client_request, survey, status=200, number="6", text="Tal", kind="numeric", minimum="tio"
    )
    assert (
        page.select_one("#minimum-error")
        .get_text(strip=True)
        .endswith("Skriv gränsen som ett tal, till exempel 0 eller 2,5")
    )


def test_a_follow_up_question_is_built_and_previewed(app, client_request):
    survey = make_survey(state="draft", questions=[])
    login(client_request.client, make_member(survey.project))
    _new(client_request, survey, number="1", text="Har ni en strategi?", kind="yes_no_comment")
    first = survey.questions[0]
    page = client_request.get(f"/surveys/{survey.id}/questions/new")
    boxes = page.select("input[name=condition]")
    assert [b["value"] for b in boxes] == [f"{first.id}:yes", f"{first.id}:no"]
    assert boxes[0]["id"] == "condition"
    _new(
        client_request,
        survey,
        number="1a",
        text="Bifoga den",
        kind="file_upload",
        condition=[f"{first.id}:yes"],
    )
    follow = db.session.scalar(select(Question).where(Question.number == "1a"))
    assert (follow.condition_question_id, follow.condition_values) == (first.id, ["yes"])
    shown = client_request.get(f"/surveys/{survey.id}")
    assert "Följdfråga: Besvara om du svarat Ja på fråga 1" in shown.get_text()
    edit = client_request.get(f"/surveys/{survey.id}/questions/{follow.id}/edit")
    assert edit.find("input", attrs={"value": f"{first.id}:yes"}).has_attr("checked")
    preview = edit.select_one(".question-preview")
    assert preview.find("input", type="file") and "Besvara om du svarat Ja" in preview.get_text()
    forged = _new(
        client_request,
        survey,
        status=200,
        number="2",
        text="Fel",
        kind="long_text",
        condition=[f"{follow.id}:x"],
    )
    assert "Not a valid choice" not in forged.get_text()
    assert forged.select(".error-summary a")


def test_what_an_answer_means_is_fixed_once_the_survey_has_opened(app, client_request):
    survey = make_survey(questions=every_kind_questions())
    scale = next(q for q in survey.questions if q.number == "8")
    login(client_request.client, make_member(survey.project))
    edit = client_request.get(f"/surveys/{survey.id}/questions/{scale.id}/edit")
    assert edit.find("select", id="scale_points").find("option", selected=True)["value"] == "5"
    data = {
        "number": "8",
        "text": scale.text,
        "kind": "rating_scale",
        "required": "y",
        "low_label": "Mycket dåligt",
        "high_label": "Utmärkt",
        "dont_know": "y",
        "condition": [],
    }
    page = client_request.post(
        f"/surveys/{survey.id}/questions/{scale.id}/edit", data | {"scale_points": "7"}, status=200
    )
    assert "svarsalternativen kan inte ändras" in page.get_text()
    client_request.post(
        f"/surveys/{survey.id}/questions/{scale.id}/edit", data | {"scale_points": "5"}
    )
    db.session.expire_all()
    assert scale.settings["high_label"] == "Utmärkt" and scale.settings["points"] == 5
