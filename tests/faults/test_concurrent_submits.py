"""200 respondents submit in the same second just before the deadline: every response is
stored, all on time, no errors, no "database is locked"."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import Response
from tests.factories import make_contact, make_invitation, make_organisation, make_survey
from tests.support import csrf_token

COUNT = 200


def _run(respondent, tokens: list[str]) -> None:
    threads = [threading.Thread(target=respondent, args=(tokens[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_200_submissions_at_the_same_second(app):
    # Here all respondents share one address; in life they come from many.
    app.config["TOKEN_RATE_LIMIT"] = "10000 per minute"
    deadline = datetime.now(UTC) + timedelta(minutes=5)
    survey = make_survey(deadline_at=deadline)
    org = make_organisation("Länsstyrelsen Skåne", "12")
    tokens = [make_invitation(survey, make_contact(org))[1] for _ in range(COUNT)]
    q = {q.number: q.id for q in survey.questions}
    db.session.commit()
    db.session.remove()

    barrier = threading.Barrier(20)
    results: list[int] = []
    lock = threading.Lock()

    def respondent(chunk: list[str]) -> None:
        client = app.test_client()
        statuses = []
        with app.test_request_context():
            token_for_csrf = csrf_token(client, app)
        barrier.wait()
        for token in chunk:
            data = {
                "csrf_token": token_for_csrf,
                "action": "review",
                "version": "0",
                f"q{q['1']}_choice": "yes",
                f"q{q['1']}_text": "Ja",
                f"q{q['2a']}_text": "- Klimatråd",
            }
            first = client.post(f"/r/{token}", data=data)
            second = client.post(f"/r/{token}/submit", data={"csrf_token": token_for_csrf})
            statuses += [first.status_code, second.status_code]
        with lock:
            results.extend(statuses)

    try:
        _run(respondent, tokens)
    finally:
        app.config["TOKEN_RATE_LIMIT"] = "60 per minute"

    assert len(results) == 2 * COUNT and set(results) == {302}, sorted(set(results))
    with app.app_context():
        submitted = db.session.scalar(
            select(func.count()).select_from(Response).where(Response.state == "submitted")
        )
        late = db.session.scalar(
            select(func.count()).select_from(Response).where(Response.late.is_(True))
        )
        assert (submitted, late) == (COUNT, 0)
