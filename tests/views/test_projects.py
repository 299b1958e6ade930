"""Who sees what of the project space."""

from datetime import UTC, datetime

from coordinator.extensions import db
from coordinator.models import NewsItem
from tests.factories import make_meeting, make_project, make_user
from tests.support import login

NOW = datetime(2018, 7, 2, 10, 0, tzinfo=UTC)


def _project(visibility):
    project = make_project(slug=f"p-{visibility}")
    project.visibility = visibility
    author = make_user("coordinator")
    meeting, _ = make_meeting(project, author, notes="Publicerat beslut")
    meeting.revisions[0].published = True
    db.session.add_all(
        [
            NewsItem(
                project=project,
                title="Publicerad nyhet",
                body="Hej",
                published_on=NOW,
                published=True,
            ),
            NewsItem(
                project=project,
                title="Hemligt utkast",
                body="Nej",
                published_on=NOW,
                published=False,
            ),
        ]
    )
    db.session.commit()
    return project, author


def test_staff_only_project_is_invisible_to_the_public(app, client):
    project, _ = _project("staff")
    assert client.get(f"/p/{project.slug}").status_code == 404
    assert client.get(f"/p/{project.slug}/feed.xml").status_code == 404
    assert client.get(f"/projects/{project.slug}").status_code == 302  # to the login page


def test_drafts_never_reach_the_public_page_or_the_feed(app, client):
    project, _ = _project("public")
    page = client.get(f"/p/{project.slug}").get_data(as_text=True)
    assert "Publicerad nyhet" in page and "Publicerat beslut" in page
    assert "Hemligt utkast" not in page
    feed = client.get(f"/p/{project.slug}/feed.xml")
    assert feed.headers["Content-Type"].startswith("application/atom+xml")
    assert b"Publicerad nyhet" in feed.data and b"Hemligt utkast" not in feed.data


def test_documents_download_as_attachments(app, client):
    project, author = _project("public")
    version = project_document_version(project)
    login(client, author)
    response = client.get(f"/documents/{version.id}")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/documents/999999").status_code == 404


def project_document_version(project):
    from sqlalchemy import select

    from coordinator.models import Document

    return db.session.scalar(select(Document).where(Document.project_id == project.id)).versions[0]


def test_non_member_coordinator_cannot_edit(app, client):
    project, _ = _project("staff")
    login(client, make_user("coordinator"))
    assert client.get(f"/projects/{project.slug}").status_code == 200
    assert client.get(f"/projects/{project.slug}/edit").status_code == 403


def test_demo_recreates_the_seed_page(app, client):
    from coordinator.demo.loading import load_demo_data

    load_demo_data("demo password 1", now=NOW)
    db.session.commit()
    page = client.get("/p/naringsliv-och-miljomal").get_data(as_text=True)
    for text in (
        "Syfte",
        "Projektgruppsmöte 20/4 och 24/4 2018",
        "Projektgruppsmöte 31/5 2018",
        "2018-07-02",
        "Beslut och åtgärder",
        "projektplan-2018.pdf",
    ):
        assert text in page, text
    news = page[page.index('id="aktuellt"') :]
    assert "svara senast" in news  # the 2018-07-02 item links to the RUS survey


def test_demo_fills_the_project_in_either_order(app):
    from sqlalchemy import func, select

    from coordinator.data import rus2018
    from coordinator.demo.projects import load_project_page
    from coordinator.demo.surveys import load_rus_survey
    from coordinator.models import Meeting, Project
    from coordinator.services.register.seed import seed_reference_data

    seed_reference_data()
    leader = make_user("coordinator")
    load_project_page(leader, NOW)
    survey, _ = load_rus_survey(NOW)
    load_project_page(leader, NOW)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Project)) == 1
    project = db.session.scalar(select(Project))
    assert project.slug == rus2018.PROJECT["slug"] and survey.project is project
    online = db.session.scalar(
        select(Meeting).where(Meeting.title == rus2018.PROJECT["online_meeting"]["title"])
    )
    assert len(online.networks) == 5
    published = [m.title for m in project_meetings(project) if m.published_revision]
    assert published == [m["title"] for m in rus2018.PROJECT["meetings"]]


def project_meetings(project):
    from sqlalchemy import select

    from coordinator.models import Meeting

    return db.session.scalars(select(Meeting).where(Meeting.project_id == project.id)).all()
