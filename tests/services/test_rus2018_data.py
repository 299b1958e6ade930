"""The RUS 2018 template reproduces the seed word for word; the demo data is consistent."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

from coordinator.data import rus2018
from coordinator.data.county_boards import COUNTY_BOARDS
from coordinator.data.networks import MILJOMALSSAMORDNARE, STANDARD_NETWORKS
from coordinator.data.sni2007 import SNI_2007_KEY, SNI_2007_SECTIONS
from coordinator.demo.answers import demo_answers
from coordinator.demo.register import demo_contacts, demo_staff

SEED = (Path(__file__).resolve().parent.parent / "data" / "seed_rus2018.txt").read_text(
    encoding="utf-8"
)
QUESTIONS = {q["number"]: q for q in rus2018.QUESTIONS}
SNI_CODES = {code for code, _label in SNI_2007_SECTIONS}
BOARD_CODES = [code for code, _name in COUNTY_BOARDS]


def test_every_question_text_is_in_the_seed_with_its_label() -> None:
    for question in rus2018.QUESTIONS:
        assert question["text"] in SEED, question["number"]
        parent = question["parent"]
        if parent is None:
            assert f"\n{question['number']}. {question['text']}\n" in SEED
        else:
            letter = question["number"].removeprefix(parent)
            assert f"\n{letter}) {question['text']}\n" in SEED


def test_introduction_and_deadline_note_are_whole_lines_of_the_seed() -> None:
    lines = SEED.split("\n")
    assert rus2018.INTRODUCTION in lines
    assert rus2018.DEADLINE_NOTE in lines
    assert rus2018.DEADLINE_NOTE.startswith("Svaren\u00a0e-postas")


def test_question_numbers_kinds_and_requirements() -> None:
    assert [q["number"] for q in rus2018.QUESTIONS] == [
        "1",
        "2",
        "2a",
        "2b",
        "2c",
        "2d",
        "3",
        "4",
    ]
    kinds = {number: q["kind"] for number, q in QUESTIONS.items()}
    assert kinds == {
        "1": "yes_no_comment",
        "2": "heading",
        "2a": "yes_no_comment",
        "2b": "yes_no_comment",
        "2c": "long_text",
        "2d": "multiple_choice",
        "3": "long_text",
        "4": "long_text",
    }
    for question in rus2018.QUESTIONS:
        assert question["kind"] in rus2018.QUESTION_KINDS
        assert isinstance(question["help"], str)
        if question["kind"] != "heading":
            assert question["required"] is (question["number"] != "4")
    assert QUESTIONS["2"]["text"] == (
        "Hur verkar ni för miljömålen och Agenda 2030 gentemot näringslivet/företagen i ert län?"
    )
    assert {n for n, q in QUESTIONS.items() if q["parent"] == "2"} == {"2a", "2b", "2c", "2d"}
    assert all(QUESTIONS[n]["parent"] is None for n in ("1", "2", "3", "4"))
    sectors = QUESTIONS["2d"]
    assert sectors["option_list"] == SNI_2007_KEY
    assert sectors["allow_other"] is True
    assert sectors["other_label"] == "Annat, nämligen"
    assert sectors["help"]


def test_deadline_and_workshop_dates() -> None:
    assert rus2018.DEADLINE_LOCAL == (2018, 8, 23, 23, 59)
    assert rus2018.WORKSHOP_DATE == (2018, 8, 29)
    assert rus2018.TITLE == "Näringslivets arbete med miljömålen och Agenda 2030"


def test_project_texts_are_verbatim() -> None:
    project = rus2018.PROJECT
    assert project["slug"] == "naringsliv-och-miljomal"
    assert project["intro"] in SEED.split("\n\n")
    for paragraph in project["origin"].split("\n\n"):
        assert paragraph in SEED.split("\n\n")
    assert len(project["purpose_bullets"]) == 3
    for bullet in project["purpose_bullets"]:
        assert f"  • {bullet}" in SEED


def test_news_body_is_the_seeds_aktuellt_text() -> None:
    (news,) = rus2018.PROJECT["news"]
    assert news["date"] == "2018-07-02"
    # Without the Markdown (indentation and hard line breaks) it is the seed, line by line.
    lines = [line.strip().removesuffix("\\") for line in news["body"].split("\n")]
    seed_lines = SEED.split("\n")
    start = seed_lines.index("2018-07-02") + 1
    assert lines == seed_lines[start:]
    assert "energi- och klimatsamornarna" in news["body"]


def test_meetings_and_online_meeting() -> None:
    meetings = rus2018.PROJECT["meetings"]
    assert [m["title"] for m in meetings] == [
        "Projektgruppsmöte 20/4 och 24/4 2018",
        "Projektgruppsmöte 31/5 2018",
    ]
    assert [m["date"] for m in meetings] == ["2018-04-20", "2018-05-31"]
    action = re.compile(r"^- Åtgärd: .+ \(ansvarig: [^,]+, senast \d{4}-\d{2}-\d{2}\)$")
    for meeting in meetings:
        lines = meeting["notes"].split("\n")
        assert any(line.startswith("- Beslut: ") for line in lines)
        actions = [line for line in lines if "Åtgärd:" in line]
        assert actions and all(action.match(line) for line in actions)
    online = rus2018.PROJECT["online_meeting"]
    assert online["online"] is True
    assert (online["start"], online["end"]) == ("2018-09-18 09:00", "2018-09-18 10:30")
    assert online["networks"] == [name for name, _description in STANDARD_NETWORKS]


def test_demo_register_has_one_miljomalssamordnare_per_board() -> None:
    contacts = demo_contacts()
    assert contacts == demo_contacts()
    emails = [c["email"] for c in contacts]
    assert len(emails) == len(set(emails))
    for email in emails:
        assert email.isascii() and email.endswith(".example.org")
    per_board = Counter(c["county_code"] for c in contacts)
    assert sorted(per_board) == sorted(BOARD_CODES)
    assert all(4 <= n <= 6 for n in per_board.values())
    network_names = {name for name, _description in STANDARD_NETWORKS}
    for code in BOARD_CODES:
        board = [c for c in contacts if c["county_code"] == code]
        for network in network_names - {"Miljönätverket"}:
            assert sum(network in c["networks"] for c in board) == 1, (code, network)
        (coordinator,) = [c for c in board if MILJOMALSSAMORDNARE in c["networks"]]
        assert coordinator["title"] == "Miljömålssamordnare"
    assert any("Miljönätverket" in c["networks"] for c in contacts)
    assert all(set(c["networks"]) <= network_names for c in contacts)


def test_demo_staff_are_fictitious() -> None:
    staff = demo_staff()
    assert {s["role"] for s in staff} == {"admin", "coordinator", "viewer"}
    assert all(s["email"].endswith("@example.org") for s in staff)


def test_demo_answers_cover_fourteen_boards_with_the_expected_statuses() -> None:
    responses = demo_answers()
    first_per_board: dict[str, dict] = {}
    for response in responses:
        first_per_board.setdefault(response["county_code"], response)
    assert len(first_per_board) == 14
    assert set(first_per_board) <= set(BOARD_CODES)
    statuses = Counter(r["status"] for r in first_per_board.values())
    assert statuses == {"on_time": 9, "late": 3, "draft": 2}
    pairs = [(r["county_code"], r["respondent_title"]) for r in responses]
    assert len(pairs) == len(set(pairs))
    assert len(responses) > len(first_per_board)


def test_demo_answer_times_match_their_status() -> None:
    deadline = datetime(*rus2018.DEADLINE_LOCAL)
    for response in demo_answers():
        submitted = response["submitted_local"]
        if response["status"] == "draft":
            assert submitted is None
            continue
        at = datetime.strptime(submitted, "%Y-%m-%d %H:%M")
        assert (at <= deadline) is (response["status"] == "on_time"), response["county_code"]


def test_demo_answers_reference_existing_questions_and_sni_codes() -> None:
    titles = {(c["county_code"], c["title"]) for c in demo_contacts()}
    for response in demo_answers():
        assert (response["county_code"], response["respondent_title"]) in titles
        answers = response["answers"]
        for number, answer in answers.items():
            kind = QUESTIONS[number]["kind"]
            assert kind != "heading"
            if kind == "yes_no_comment":
                assert answer["choice"] in ("yes", "no")
                assert isinstance(answer["text"], str)
            elif kind == "multiple_choice":
                assert answer["options"]
                assert set(answer["options"]) <= SNI_CODES
                assert isinstance(answer["other"], str)
            else:
                assert isinstance(answer["text"], str)
        if response["status"] != "draft":
            required = {n for n, q in QUESTIONS.items() if q["required"]}
            assert required <= set(answers), response["county_code"]
