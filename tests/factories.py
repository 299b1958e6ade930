"""Factories: build exactly the objects a test needs, flushed and ready to use."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from coordinator.extensions import db
from coordinator.models import (
    Contact,
    Invitation,
    Network,
    Organisation,
    Project,
    Question,
    Survey,
    User,
)
from coordinator.services.accounts.users import create_user

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


def make_user(role: str = "coordinator", email: str | None = None, **kwargs: Any) -> User:
    n = next(_counter)
    user = create_user(
        email or f"user{n}@example.org", kwargs.pop("name", f"User {n}"), role, PASSWORD
    )
    for key, value in kwargs.items():
        setattr(user, key, value)
    db.session.flush()
    return user


def make_member(project: Project, role: str = "coordinator") -> User:
    """A staff member of `project`: the one who may edit it and its surveys."""
    user = make_user(role)
    project.members.append(user)
    db.session.flush()
    return user


def make_organisation(
    name: str | None = None, county_code: str | None = None, **kwargs: Any
) -> Organisation:
    n = next(_counter)
    org = Organisation(
        name=name or f"Organisation {n}",
        county_code=county_code,
        kind=kwargs.pop("kind", "county_board" if county_code else "other"),
        **kwargs,
    )
    db.session.add(org)
    db.session.flush()
    return org


def make_contact(organisation: Organisation | None = None, **kwargs: Any) -> Contact:
    n = next(_counter)
    contact = Contact(
        organisation=organisation or make_organisation(),
        name=kwargs.pop("name", f"Kontakt {n}"),
        email=kwargs.pop("email", f"kontakt{n}@example.org"),
        title=kwargs.pop("title", "Miljömålssamordnare"),
        **kwargs,
    )
    db.session.add(contact)
    db.session.flush()
    return contact


def make_network(name: str | None = None, members: list[Contact] | None = None) -> Network:
    n = next(_counter)
    network = Network(name=name or f"Nätverk {n}", description="")
    network.members = members or []
    db.session.add(network)
    db.session.flush()
    return network


def make_project(title: str = "Näringsliv och miljömål", slug: str | None = None) -> Project:
    n = next(_counter)
    project = Project(title=title, slug=slug or f"projekt-{n}")
    db.session.add(project)
    db.session.flush()
    return project


def make_survey(
    project: Project | None = None,
    state: str = "open",
    deadline_at: datetime | None = None,
    closes_at: datetime | None = None,
    questions: list[Question] | None = None,
) -> Survey:
    """A survey with a yes/no question, a heading with a long-text sub-question, and a
    multiple-choice question with "Annat", unless `questions` are given."""
    survey = Survey(
        project=project or make_project(),
        title="Enkät om näringslivet",
        introduction="Svara **gärna** i punktform.",
        deadline_at=deadline_at or datetime(2018, 8, 23, 21, 59, tzinfo=UTC),
        closes_at=closes_at,
        state=state,
    )
    if questions is None:
        heading = Question(number="2", text="Hur verkar ni?", kind="heading", position=1)
        questions = [
            Question(
                number="1",
                text="Har ni strategier?",
                kind="yes_no_comment",
                required=True,
                position=0,
            ),
            heading,
            Question(
                number="2a",
                text="Delge exempel.",
                kind="long_text",
                required=True,
                position=2,
                parent=heading,
            ),
            Question(
                number="3",
                text="Vilka sektorer?",
                kind="multiple_choice",
                position=3,
                options=[
                    {"value": "C", "label": "C Tillverkning"},
                    {"value": "F", "label": "F Byggverksamhet"},
                ],
                allow_other=True,
                other_label="Annat, nämligen",
            ),
            Question(number="4", text="Övrigt?", kind="long_text", position=4),
        ]
    survey.questions = questions
    db.session.add(survey)
    db.session.flush()
    return survey


def make_invitation(survey: Survey, contact: Contact | None = None) -> tuple[Invitation, str]:
    from coordinator.services.surveys.invitations import create_invitation

    return create_invitation(survey, contact or make_contact(), actor=None, now=datetime.now(UTC))


def make_meeting(project: Project, author: User, notes: str = "Beslut: Vi kör.") -> tuple[Any, Any]:
    """A meeting with one published revision of notes and a PDF in the project plan."""
    from coordinator.models import Meeting, NoteRevision
    from coordinator.services.projects.documents import add_version

    n = next(_counter)
    meeting = Meeting(
        project=project,
        title=f"Möte {n}",
        uid=f"m{n}@test",
        starts_at=datetime(2018, 9, 18, 7, 0, tzinfo=UTC),
        ends_at=datetime(2018, 9, 18, 8, 30, tzinfo=UTC),
    )
    meeting.revisions = [NoteRevision(text=notes, published=True, author_id=author.id)]
    db.session.add(meeting)
    document = add_version(
        None,
        project=project,
        meeting=None,
        title="Projektplan",
        filename="plan.pdf",
        data=b"%PDF-1.4 test",
        actor=author,
        now=datetime.now(UTC),
    )
    db.session.flush()
    return meeting, document.versions[0]


def make_news(project: Project, *, published: bool = True, title: str = "") -> Any:
    """A news item on the project, dated 2 July 2018."""
    from coordinator.models import NewsItem

    item = NewsItem(
        project=project,
        title=title or f"Nyhet {next(_counter)}",
        body="Enkäten är skickad.",
        published_on=datetime(2018, 7, 2, 10, 0, tzinfo=UTC),
        published=published,
    )
    db.session.add(item)
    db.session.flush()
    return item


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def every_kind_questions() -> list[Question]:
    """One question of every kind, with two follow-up questions: 1a (a file) shown after
    Ja on 1, and 8a shown after 1 or 2 on the scale 8."""
    yes_no = Question(
        number="1",
        text="Har ni en strategi för arbetet med näringslivet?",
        kind="yes_no_comment",
        required=True,
        position=0,
    )
    scale = Question(
        number="8",
        text="Hur väl fungerar samverkan med näringslivet?",
        kind="rating_scale",
        required=True,
        position=8,
        settings={
            "points": 5,
            "low_label": "Mycket dåligt",
            "high_label": "Mycket bra",
            "dont_know": True,
        },
    )
    return [
        yes_no,
        Question(
            number="1a",
            text="Bifoga strategin.",
            kind="file_upload",
            required=True,
            position=1,
            settings={"max_files": 2, "max_file_mb": 1, "max_total_mb": 2},
            condition_question=yes_no,
            condition_values=["yes"],
        ),
        Question(number="2", text="Vem samordnar arbetet?", kind="short_text", position=2),
        Question(number="3", text="Beskriv arbetet.", kind="long_text", position=3),
        Question(
            number="4",
            text="Hur ofta träffas nätverket?",
            kind="single_choice",
            position=4,
            options=[
                {"value": "Varje månad", "label": "Varje månad"},
                {"value": "Varje kvartal", "label": "Varje kvartal"},
                {"value": "Mer sällan", "label": "Mer sällan"},
            ],
        ),
        Question(
            number="5",
            text="Vilka sektorer?",
            kind="multiple_choice",
            position=5,
            options=[
                {"value": "C", "label": "C Tillverkning"},
                {"value": "F", "label": "F Byggverksamhet"},
            ],
            allow_other=True,
            other_label="Annat, nämligen",
        ),
        Question(
            number="6",
            text="Hur många arbetar med detta?",
            kind="numeric",
            position=6,
            settings={
                "unit": "årsarbetskrafter",
                "minimum": "0",
                "maximum": "100000",
                "integer": False,
            },
        ),
        Question(number="7", text="Sedan när?", kind="calendar_date", position=7),
        scale,
        Question(
            number="8a",
            text="Vad behöver bli bättre?",
            kind="long_text",
            position=9,
            condition_question=scale,
            condition_values=["1", "2"],
        ),
        Question(
            number="9",
            text="Hur väl fungerar samverkan per sektor?",
            kind="choice_grid",
            position=10,
            settings={
                "rows": [
                    {"value": "A", "label": "Jordbruk"},
                    {"value": "C", "label": "Tillverkning"},
                    {"value": "H", "label": "Transport"},
                ],
                "scale": True,
                "points": 5,
                "low_label": "Dåligt",
                "high_label": "Bra",
                "dont_know": True,
            },
        ),
    ]
