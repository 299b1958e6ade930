"""Issue 11, point 9: numbers too big for the database and NUL characters in paths, query
strings and form ids get a 404 or 400 (or the form's own message), never a 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordinator import create_app
from coordinator.extensions import db, limiter
from tests.factories import make_user
from tests.support import clean_database, csrf_token, login
from tests.test_authorisation_matrix import build_world
from tests.test_bad_input import hostile_text

TOO_BIG = [2**31, 2**63, 10**30]


def _int_endpoints() -> list[str]:
    app = create_app({"ENV": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if any("<int:" in part for part in rule.rule.split("/"))
        }
    )


@pytest.mark.parametrize("endpoint", _int_endpoints())
def test_too_big_ids_in_paths_are_not_found(session_app: Flask, endpoint: str) -> None:
    with session_app.app_context():
        try:
            world = build_world()
            rule = next(r for r in session_app.url_map.iter_rules() if r.endpoint == endpoint)
            client = session_app.test_client()
            login(client, world.users["admin"])
            for big in TOO_BIG:
                values = {}
                for name in rule.arguments:
                    if name == "token":
                        values[name] = world.tokens.get(endpoint, "x" * 40)
                    elif f"<int:{name}>" in rule.rule:
                        values[name] = big
                    else:
                        values[name] = world.overrides.get(endpoint, {}).get(name, world.ids[name])
                url = session_app.url_map.bind("localhost").build(endpoint, values)
                for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                    response = client.open(
                        url, method=method, data={"csrf_token": csrf_token(client, session_app)}
                    )
                    # 405 where another route shares the path with other methods.
                    assert response.status_code in (404, 405), (method, url, response.status_code)
                    response.close()
                    limiter.reset()
        finally:
            db.session.remove()
            clean_database(session_app)


LIST_PAGES = [
    "/contacts",
    "/contacts/export",
    "/contacts/new",
    "/admin/audit",
    "/outbox",
    "/organisations",
    "/search",
]
QUERY_NAMES = ["page", "organisation", "network", "old", "new", "q", "state", "cause"]

query_values = st.one_of(
    hostile_text,
    st.sampled_from([str(n) for n in TOO_BIG] + ["-" + str(2**63), "\x00", "1\x00"]),
    st.integers().map(str),
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    segment=st.one_of(hostile_text, st.sampled_from(["\x00", "a\x00b", str(2**31)])),
    query=st.dictionaries(st.sampled_from(QUERY_NAMES), query_values, max_size=4),
)
def test_any_path_segment_or_query_string_gets_a_page(
    session_app: Flask, segment: str, query: dict[str, str]
) -> None:
    with session_app.app_context():
        try:
            admin = make_user("admin")
            db.session.commit()
            client = session_app.test_client()
            login(client, admin)
            quoted = quote(segment, safe="")
            with_segment = [f"/p/{quoted}", f"/r/{quoted}", f"/projects/{quoted}"]
            with_segment += [f"/unsubscribe/{quoted}", f"/password-reset/{quoted}"]
            nul_in_query = any("\x00" in v for v in query.values())
            for url in [*LIST_PAGES, *with_segment]:
                response = client.get(url, query_string=query)
                assert response.status_code < 500, (url, query, response.status_code)
                if nul_in_query or ("\x00" in segment and url in with_segment):
                    assert response.status_code in (400, 404), (url, query)
                response.close()
            limiter.reset()
        finally:
            db.session.remove()
            clean_database(session_app)


@pytest.mark.parametrize("big", TOO_BIG)
def test_too_big_ids_in_forms_get_the_forms_message(app, client, big):
    world = build_world()
    login(client, world.users["admin"])
    token = csrf_token(client, app)
    posts = {
        f"/contacts/{world.ids['contact_id']}/edit": {
            "name": "Ny",
            "email": "ny@example.org",
            "organisation": str(big),
            "networks": str(big),
        },
        "/contacts/new": {"name": "Ny", "email": "ny2@example.org", "organisation": str(big)},
        f"/surveys/{world.ids['survey_id']}/recipients": {
            "networks": str(big),
            "organisations": str(big),
            "contacts": str(big),
        },
        f"/surveys/{world.ids['survey_id']}/reminders": {"invitations": str(big)},
        f"/meetings/{world.ids['meeting_id']}/notes": {"text": "x", "based_on": str(big)},
    }
    for url, data in posts.items():
        response = client.post(url, data={"csrf_token": token, **data})
        assert response.status_code < 500, (url, response.status_code)
        response.close()
    for query in ({"organisation": str(big)}, {"network": str(big)}, {"page": str(big)}):
        assert client.get("/contacts", query_string=query).status_code == 200
        assert client.get("/contacts/new", query_string=query).status_code == 200
    assert client.get("/outbox", query_string={"page": str(big)}).status_code == 200
    assert client.get("/admin/audit", query_string={"page": str(big)}).status_code == 200


def test_project_edit_without_a_leader_is_a_form_error(app, client):
    from coordinator.models import Project

    world = build_world()
    project = db.session.query(Project).filter_by(slug=world.ids["slug"]).one()
    project.leader_id = world.users["member"].id  # the form's obj then has a `leader`
    db.session.commit()
    login(client, world.users["member"])
    response = client.post(
        f"/projects/{world.ids['slug']}/edit",
        data={"csrf_token": csrf_token(client, app), "title": "Nytt namn", "slug": "nytt"},
    )
    assert response.status_code == 200
    assert "error-summary" in response.get_data(as_text=True)
