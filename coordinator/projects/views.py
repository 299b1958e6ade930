"""The project space: project pages for staff and the public, meetings with notes, news,
documents, and search."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from coordinator.extensions import db
from coordinator.models import (
    DocumentVersion,
    Meeting,
    Network,
    NewsItem,
    NoteRevision,
    Project,
    Survey,
    User,
)
from coordinator.models.types import utcnow
from coordinator.permissions import current_staff, editor_required, staff_required
from coordinator.projects.forms import DocumentForm, MeetingForm, NewsForm, NotesForm, ProjectForm
from coordinator.services.audit import record_event
from coordinator.services.calendar import STOCKHOLM, meeting_ics
from coordinator.services.documents import DocumentError, add_version
from coordinator.services.markdown import render_markdown
from coordinator.services.meetings import MeetingError, save_meeting, send_invitations
from coordinator.services.notes import NotesConflict, items, restore, save_notes, side_by_side
from coordinator.services.search import search
from coordinator.services.storage import storage

bp = Blueprint("projects", __name__)


def _project(slug: str) -> Project:
    return db.session.scalar(select(Project).where(Project.slug == slug)) or abort(404)


def _require_member(project: Project) -> None:
    if not project.is_member(current_staff()):
        abort(403)


def _meeting(meeting_id: int) -> Meeting:
    return db.session.get(Meeting, meeting_id) or abort(404)


def _local(day: Any, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=STOCKHOLM)


def _page_data(project: Project, public: bool) -> dict[str, Any]:
    meetings = list(
        db.session.scalars(
            select(Meeting).where(Meeting.project_id == project.id).order_by(Meeting.starts_at)
        )
    )
    news = (
        select(NewsItem)
        .where(NewsItem.project_id == project.id)
        .order_by(NewsItem.published_on.desc())
    )
    if public:
        news = news.where(NewsItem.published.is_(True))
    surveys = list(
        db.session.scalars(
            select(Survey).where(Survey.project_id == project.id, Survey.state != "draft")
        )
    )
    from coordinator.models import Document

    documents = list(
        db.session.scalars(
            select(Document).where(Document.project_id == project.id, Document.meeting_id.is_(None))
        )
    )
    return {
        "project": project,
        "meetings": meetings,
        "news": list(db.session.scalars(news)),
        "surveys": surveys,
        "items": items(meetings, published_only=public),
        "documents": documents,
        "public": public,
    }


@bp.get("/projects")
@staff_required
def list_projects() -> str:
    projects = list(db.session.scalars(select(Project).order_by(Project.title)))
    now = utcnow()
    overview = []
    for project in projects:
        next_meeting = db.session.scalar(
            select(Meeting)
            .where(
                Meeting.project_id == project.id,
                Meeting.starts_at >= now,
                Meeting.cancelled_at.is_(None),
            )
            .order_by(Meeting.starts_at)
            .limit(1)
        )
        open_surveys = list(
            db.session.scalars(
                select(Survey).where(Survey.project_id == project.id, Survey.state == "open")
            )
        )
        latest = db.session.scalar(
            select(NewsItem)
            .where(NewsItem.project_id == project.id)
            .order_by(NewsItem.published_on.desc())
            .limit(1)
        )
        overview.append((project, next_meeting, open_surveys, latest))
    return render_template("projects/list.html", overview=overview)


def _project_form(project: Project | None) -> ProjectForm:
    form = ProjectForm(obj=project)
    form.members.choices = [
        SelectChoice(u.id, u.name)
        for u in db.session.scalars(
            select(User).where(User.role.in_(("admin", "coordinator"))).order_by(User.name)
        )
    ]
    if project is not None and request.method == "GET":
        form.members.data = [u.id for u in project.members]
    return form


def _save_project(project: Project | None, form: ProjectForm) -> Project | None:
    clash = db.session.scalar(select(Project).where(Project.slug == form.slug.data))
    if clash is not None and clash is not project:
        form.slug.errors.append(_("Kortnamnet används redan av ett annat projekt"))
        return None
    created = project is None
    if project is None:
        project = Project(leader_id=current_staff().id)
        db.session.add(project)
    for field in ("title", "slug", "summary", "purpose", "origin", "plan", "state", "visibility"):
        setattr(project, field, getattr(form, field).data or "")
    project.members = list(
        db.session.scalars(select(User).where(User.id.in_(form.members.data or [])))
    )
    if created and current_staff() not in project.members:
        project.members.append(current_staff())
    db.session.flush()
    record_event(
        current_staff(),
        "project.create" if created else "project.update",
        "project",
        project.id,
        project.title,
    )
    return project


@bp.route("/projects/new", methods=["GET", "POST"])
@editor_required
def new_project() -> str | WerkzeugResponse:
    form = _project_form(None)
    if form.validate_on_submit() and (project := _save_project(None, form)) is not None:
        db.session.commit()
        flash(_("Projektet är skapat."), "success")
        return redirect(url_for("projects.show_project", slug=project.slug))
    return render_template("projects/form.html", form=form, project=None)


@bp.route("/projects/<slug>/edit", methods=["GET", "POST"])
@editor_required
def edit_project(slug: str) -> str | WerkzeugResponse:
    project = _project(slug)
    _require_member(project)
    form = _project_form(project)
    if form.validate_on_submit() and _save_project(project, form) is not None:
        db.session.commit()
        flash(_("Projektet är sparat."), "success")
        return redirect(url_for("projects.show_project", slug=project.slug))
    return render_template("projects/form.html", form=form, project=project)


@bp.get("/projects/<slug>")
@staff_required
def show_project(slug: str) -> str:
    project = _project(slug)
    return render_template(
        "projects/show.html",
        can_edit=project.is_member(current_staff()),
        document_form=DocumentForm(),
        **_page_data(project, public=False),
    )


@bp.post("/projects/<slug>/documents")
@editor_required
def upload_document(slug: str) -> WerkzeugResponse:
    project = _project(slug)
    _require_member(project)
    form = DocumentForm()
    upload = request.files.get("file")
    document = None
    if request.form.get("document_id"):
        from coordinator.models import Document

        document = db.session.get(Document, request.form.get("document_id", type=int))
        if document is None or document.project_id != project.id:
            abort(404)
    if upload is None or not upload.filename:
        flash(_("Välj en fil att ladda upp."), "error")
    else:
        try:
            add_version(
                document,
                project=project,
                meeting=None,
                title=form.title.data or "",
                filename=upload.filename,
                data=upload.read(),
                actor=current_staff(),
                now=utcnow(),
            )
        except DocumentError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Dokumentet är uppladdat."), "success")
    return redirect(url_for("projects.show_project", slug=project.slug, _anchor="plan"))


def _send_version(version: DocumentVersion) -> WerkzeugResponse:
    response = make_response(storage().read(version.storage_key))
    response.headers["Content-Type"] = version.content_type
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"document\"; filename*=UTF-8''{quote(version.filename)}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/documents/<int:version_id>")
@staff_required
def download_document(version_id: int) -> WerkzeugResponse:
    return _send_version(db.session.get(DocumentVersion, version_id) or abort(404))


@bp.get("/p/<slug>/documents/<int:version_id>")
def public_document(slug: str, version_id: int) -> WerkzeugResponse:
    project = _public_project(slug)
    version = db.session.get(DocumentVersion, version_id)
    if version is None or version.document.project_id != project.id:
        abort(404)
    return _send_version(version)


def _meeting_form(meeting: Meeting | None) -> MeetingForm:
    form = MeetingForm(obj=meeting)
    form.networks.choices = [
        SelectChoice(n.id, n.name)
        for n in db.session.scalars(select(Network).order_by(Network.name))
    ]
    if meeting is not None and request.method == "GET":
        local_start, local_end = (
            meeting.starts_at.astimezone(STOCKHOLM),
            meeting.ends_at.astimezone(STOCKHOLM),
        )
        form.date.data, form.start.data, form.end.data = (
            local_start.date(),
            local_start.time(),
            local_end.time(),
        )
        form.networks.data = [n.id for n in meeting.networks]
    return form


@bp.route("/projects/<slug>/meetings/new", methods=["GET", "POST"])
@editor_required
def new_meeting(slug: str) -> str | WerkzeugResponse:
    project = _project(slug)
    _require_member(project)
    return _edit_meeting(project, None)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@editor_required
def edit_meeting(meeting_id: int) -> str | WerkzeugResponse:
    meeting = _meeting(meeting_id)
    _require_member(meeting.project)
    return _edit_meeting(meeting.project, meeting)


def _edit_meeting(project: Project, meeting: Meeting | None) -> str | WerkzeugResponse:
    form = _meeting_form(meeting)
    if form.validate_on_submit():
        try:
            saved, moved = save_meeting(
                meeting,
                project=project,
                title=form.title.data or "",
                starts_at=_local(form.date.data, form.start.data),
                ends_at=_local(form.date.data, form.end.data),
                place=form.place.data or "",
                online_url=form.online_url.data or "",
                agenda=form.agenda.data or "",
                network_ids=form.networks.data or [],
                contact_ids=[c.id for c in meeting.contacts] if meeting else [],
                actor=current_staff(),
                now=utcnow(),
            )
        except MeetingError as exc:
            form.end.errors.append(str(exc))
        else:
            if moved:
                send_invitations(saved, current_staff(), utcnow(), kind="update")
                flash(_("De inbjudna får en uppdaterad kalenderinbjudan."), "success")
            db.session.commit()
            flash(_("Mötet är sparat."), "success")
            return redirect(url_for("projects.show_meeting", meeting_id=saved.id))
    return render_template(
        "projects/meeting_form.html", form=form, project=project, meeting=meeting
    )


@bp.get("/meetings/<int:meeting_id>")
@staff_required
def show_meeting(meeting_id: int) -> str:
    meeting = _meeting(meeting_id)
    from coordinator.services.meetings import invitees

    return render_template(
        "projects/meeting.html",
        meeting=meeting,
        invitees=invitees(meeting),
        can_edit=meeting.project.is_member(current_staff()),
    )


@bp.post("/meetings/<int:meeting_id>/<any(invite, cancel):action>")
@editor_required
def meeting_action(meeting_id: int, action: str) -> WerkzeugResponse:
    meeting = _meeting(meeting_id)
    _require_member(meeting.project)
    sent = send_invitations(
        meeting, current_staff(), utcnow(), kind="invitation" if action == "invite" else "cancel"
    )
    db.session.commit()
    flash(_("%(n)s e-postmeddelanden med kalenderfil ligger i utkorgen.", n=sent), "success")
    return redirect(url_for("projects.show_meeting", meeting_id=meeting.id))


@bp.get("/meetings/<int:meeting_id>/calendar.ics")
@staff_required
def meeting_ics_file(meeting_id: int) -> WerkzeugResponse:
    meeting = _meeting(meeting_id)
    response = make_response(meeting_ics(meeting, "PUBLISH", None, utcnow()))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="mote.ics"'
    return response


@bp.route("/meetings/<int:meeting_id>/notes", methods=["GET", "POST"])
@editor_required
def edit_notes(meeting_id: int) -> str | WerkzeugResponse:
    meeting = _meeting(meeting_id)
    _require_member(meeting.project)
    latest = meeting.latest_revision
    form = NotesForm()
    if request.method == "GET":
        form.text.data = latest.text if latest else ""
        form.published.data = latest.published if latest else False
        form.based_on.data = str(latest.id) if latest else ""
    conflict = None
    preview = None
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = render_markdown(form.text.data or "")
        else:
            try:
                save_notes(
                    meeting,
                    form.text.data or "",
                    published=bool(form.published.data),
                    based_on=int(form.based_on.data) if form.based_on.data else None,
                    actor=current_staff(),
                    now=utcnow(),
                )
            except NotesConflict as exc:
                conflict = exc.latest
                form.based_on.data = str(exc.latest.id)
            else:
                db.session.commit()
                flash(_("Anteckningarna är sparade."), "success")
                return redirect(url_for("projects.show_meeting", meeting_id=meeting.id))
    return render_template(
        "projects/notes_form.html", form=form, meeting=meeting, conflict=conflict, preview=preview
    )


@bp.get("/meetings/<int:meeting_id>/notes/history")
@staff_required
def notes_history(meeting_id: int) -> str:
    meeting = _meeting(meeting_id)
    revisions = meeting.revisions
    by_id = {r.id: r for r in revisions}
    old = by_id.get(request.args.get("old", type=int) or 0)
    new = by_id.get(request.args.get("new", type=int) or 0)
    if old is None and len(revisions) >= 2:
        old, new = revisions[-2], revisions[-1]
    diff = side_by_side(old, new) if old and new else None
    return render_template(
        "projects/history.html",
        meeting=meeting,
        revisions=revisions,
        diff=diff,
        old=old,
        new=new,
        can_edit=meeting.project.is_member(current_staff()),
    )


@bp.post("/meetings/<int:meeting_id>/notes/restore/<int:revision_id>")
@editor_required
def restore_notes(meeting_id: int, revision_id: int) -> WerkzeugResponse:
    meeting = _meeting(meeting_id)
    _require_member(meeting.project)
    revision = db.session.get(NoteRevision, revision_id)
    if revision is None or revision.meeting_id != meeting.id:
        abort(404)
    restore(meeting, revision, current_staff(), utcnow())
    db.session.commit()
    flash(_("Version %(n)s är återställd som en ny version.", n=revision.id), "success")
    return redirect(url_for("projects.notes_history", meeting_id=meeting.id))


@bp.route("/projects/<slug>/news/new", methods=["GET", "POST"])
@editor_required
def new_news(slug: str) -> str | WerkzeugResponse:
    project = _project(slug)
    _require_member(project)
    form = NewsForm()
    form.survey_id.choices = [SelectChoice("", _("Ingen"))] + [
        SelectChoice(str(s.id), s.title)
        for s in db.session.scalars(select(Survey).where(Survey.project_id == project.id))
    ]
    if form.validate_on_submit():
        item = NewsItem(
            project=project,
            title=form.title.data or "",
            body=form.body.data or "",
            published_on=_local(form.date.data, time(12)),
            published=bool(form.published.data),
            survey_id=int(form.survey_id.data) if form.survey_id.data else None,
            author_id=current_staff().id,
        )
        db.session.add(item)
        db.session.flush()
        record_event(current_staff(), "news.create", "news", item.id, item.title)
        db.session.commit()
        flash(_("Nyheten är sparad."), "success")
        return redirect(url_for("projects.show_project", slug=project.slug, _anchor="aktuellt"))
    return render_template("projects/news_form.html", form=form, project=project)


def _public_project(slug: str) -> Project:
    project = db.session.scalar(
        select(Project).where(Project.slug == slug, Project.visibility == "public")
    )
    return project or abort(404)


@bp.get("/p/<slug>")
def public_project(slug: str) -> str:
    project = _public_project(slug)
    return render_template("public/project.html", **_page_data(project, public=True))


@bp.get("/p/<slug>/feed.xml")
def feed(slug: str) -> WerkzeugResponse:
    """Aktuellt as an Atom feed (published items only)."""
    project = _public_project(slug)
    data = _page_data(project, public=True)
    atom = "http://www.w3.org/2005/Atom"
    root = ET.Element("feed", xmlns=atom)
    base = current_app.config["BASE_URL"]
    ET.SubElement(root, "title").text = f"{project.title} – Aktuellt"
    ET.SubElement(root, "id").text = f"{base}/p/{project.slug}"
    ET.SubElement(root, "link", href=f"{base}/p/{project.slug}")
    updated = max((n.published_on for n in data["news"]), default=project.created_at)
    ET.SubElement(root, "updated").text = updated.isoformat()
    for item in data["news"]:
        entry = ET.SubElement(root, "entry")
        ET.SubElement(entry, "title").text = item.title
        ET.SubElement(entry, "id").text = f"{base}/p/{project.slug}#news-{item.id}"
        ET.SubElement(entry, "link", href=f"{base}/p/{project.slug}#news-{item.id}")
        ET.SubElement(entry, "updated").text = item.published_on.isoformat()
        ET.SubElement(entry, "content", type="html").text = str(render_markdown(item.body))
    response = make_response(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


@bp.get("/search")
@staff_required
def search_view() -> str:
    query = request.args.get("q", "")
    return render_template(
        "projects/search.html", query=query, results=search(query) if query.strip() else []
    )
