"""Language of parts (WCAG 3.1.2): a survey, a project and a news item keep the language
they were written in, and a page in the other interface language marks them with it."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import NewsItem
from tests.factories import make_invitation, make_member, make_project, make_survey, make_user
from tests.support import login


def _english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"


def test_the_settings_choose_the_survey_language(app, client_request):
    survey = make_survey(state="draft")
    login(client_request.client, make_member(survey.project))
    url = f"/surveys/{survey.id}/settings"
    page = client_request.get(url)
    assert page.find("select", id="language").find("option", selected=True)["value"] == "sv"
    data = {
        "title": "Survey on industry",
        "introduction": "",
        "deadline_date": "2018-08-23",
        "deadline_time": "23:59",
        "reply_to_user_id": "0",
        "language": "en",
    }
    assert client_request.post(url, data) == f"/surveys/{survey.id}"
    assert survey.language == "en"
    page = client_request.get(f"/surveys/{survey.id}")
    assert page.html["lang"] == "sv" and page.h1["lang"] == "en"


def test_a_swedish_survey_on_an_english_page_is_marked_swedish(app, client):
    survey = make_survey()
    _, token = make_invitation(survey)
    db.session.commit()
    _english(client)
    page = BeautifulSoup(client.get(f"/r/{token}").get_data(as_text=True), "html.parser")
    assert page.html["lang"] == "en"
    assert page.h1["lang"] == "sv" and page.h1.get_text() == survey.title
    first = survey.questions[0]
    legend = page.find(id=f"question-{first.id}").legend
    assert legend.find("span", lang="sv").get_text() == first.text
    assert "lang" not in legend.attrs, "the legend's own words are the interface's"
    yes = page.find("label", attrs={"for": f"q{first.id}_choice-0"})
    assert yes.get_text() == "Yes" and "lang" not in yes.attrs
    option = page.find("label", string="C Tillverkning")
    assert option["lang"] == "sv"
    button = page.find("button", attrs={"value": "review"})
    assert "lang" not in button.attrs


def test_projects_and_news_keep_their_own_languages(app, client, client_request):
    user = make_user("coordinator")
    project = make_project("Industry and the environmental goals", slug="industry")
    project.visibility = "public"
    project.members = [user]
    db.session.commit()
    login(client, user)
    form = {
        "title": "Industry and the environmental goals",
        "slug": "industry",
        "purpose": "## Aim\n\nTo learn.",
        "state": "running",
        "visibility": "public",
        "language": "en",
        "leader": "",
        "members": str(user.id),
    }
    assert client_request.post("/projects/industry/edit", form) == "/projects/industry"
    assert project.language == "en"
    news = {
        "title": "Enkäten är ute",
        "date": "2018-07-02",
        "body": "Svara gärna.",
        "language": "sv",
    }
    client_request.post("/projects/industry/news/new", {**news, "published": "y"})
    item = db.session.scalar(select(NewsItem))
    assert item.language == "sv"
    page = client_request.get("/p/industry")
    assert page.h1["lang"] == "en"
    assert page.select_one("#syfte + div.prose")["lang"] == "en"
    assert page.select_one("#syfte + div.prose h3").get_text() == "Aim", "a heading under h2"
    article = page.find(id=f"news-{item.id}")
    assert not article.select_one("div.prose").get("lang"), "Swedish on a Swedish page"
    _english(client)
    page = client_request.get("/p/industry")
    assert not page.h1.get("lang") and not page.select_one("#syfte + div.prose").get("lang")
    assert page.find(id=f"news-{item.id}").select_one("div.prose")["lang"] == "sv"
