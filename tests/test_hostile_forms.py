"""Every form in the app, and the respondent form, filled with generated hostile text:
the answer is always a page (never a 500), and what the respondent form stores reads back
exactly as accepted."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordinator import create_app
from coordinator.extensions import db, limiter
from tests.support import clean_database, csrf_token, login
from tests.test_authorisation_matrix import LEVELS, MATRIX, _url, build_world, rules
from tests.test_bad_input import hostile_text

# Endpoints whose POST starts something that is not a form of fields to fill.
NOT_FORMS = {"auth.logout", "main.set_language"}


def _role_for(level: str) -> str | None:
    allowed = [role for role, outcome in LEVELS[level].items() if outcome == "allow"]
    for role in ("admin", "member", "respondent", "nobody"):
        if role in allowed:
            return role
    return None


def _form_fields(page: str) -> tuple[dict[str, Any], list[str]]:
    """Hidden values to keep and the names of fields a person types into."""
    soup = BeautifulSoup(page, "html.parser")
    form = next(
        (
            f
            for f in soup.find_all("form")
            if (f.get("method") or "").lower() == "post"
            and "header-search" not in (f.get("class") or [])
        ),
        None,
    )
    if form is None:
        return {}, []
    hidden, typed = {}, []
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name:
            continue
        kind = (field.get("type") or "text").lower()
        if kind == "hidden":
            hidden[name] = field.get("value", "")
        elif field.name == "select":
            option = field.find("option")
            hidden[name] = option.get("value", "") if option else ""
        elif kind in ("checkbox", "radio"):
            hidden.setdefault(name, field.get("value", "y"))
        elif kind not in ("file", "submit", "button"):
            typed.append(name)
    return hidden, typed


POST_ENDPOINTS = sorted(
    {
        endpoint
        for endpoint, _, method in rules(
            create_app({"ENV": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        )
        if method == "POST"
    }
    - NOT_FORMS
)


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_every_form_answers_hostile_text_with_a_page(session_app: Flask, endpoint: str) -> None:
    methods = {method for e, _, method in rules(session_app) if e == endpoint}
    role = _role_for(MATRIX[endpoint])
    with session_app.app_context():
        try:
            world = build_world()
            client = session_app.test_client()
            if role in world.users:
                login(client, world.users[role])
            url = _url(session_app, endpoint, world, role or "nobody")
            hidden, typed = ({}, [])
            if "GET" in methods:
                page = client.get(url)
                hidden, typed = _form_fields(page.get_data(as_text=True))
                page.close()

            @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
            @given(texts=st.lists(hostile_text, min_size=1, max_size=6))
            def post(texts: list[str]) -> None:
                data = {**hidden, "csrf_token": csrf_token(client, session_app)}
                for i, name in enumerate(typed or ["text"]):
                    data[name] = texts[i % len(texts)]
                response = client.post(url, data=data)
                assert response.status_code < 500, (endpoint, response.status_code)
                response.close()
                db.session.rollback()
                limiter.reset()

            post()
        finally:
            db.session.remove()
            clean_database(session_app)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=hostile_text)
def test_respondent_answers_read_back_exactly_as_accepted(session_app: Flask, text: str) -> None:
    from coordinator.models.types import utcnow
    from coordinator.services.surveys.responses import MAX_ANSWER_LENGTH, response_for
    from tests.factories import make_invitation, make_survey

    with session_app.app_context():
        try:
            survey = make_survey(deadline_at=utcnow().replace(year=2031))
            invitation, token = make_invitation(survey)
            field = survey.questions[-1]
            db.session.commit()
            client = session_app.test_client()
            response = client.post(
                f"/r/{token}",
                data={
                    "csrf_token": csrf_token(client, session_app),
                    "action": "save",
                    "version": "0",
                    f"q{field.id}_text": text,
                },
            )
            assert response.status_code in (302, 400), response.status_code
            stored = response_for(invitation)
            accepted = text.replace("\x00", "")
            saved = [a.text for a in stored.answers] if stored else []
            if len(accepted) > MAX_ANSWER_LENGTH:
                assert saved == [] and response.status_code == 400
            elif accepted.strip():
                assert saved == [accepted]
        finally:
            db.session.remove()
            clean_database(session_app)
