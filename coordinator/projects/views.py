"""The project space: project pages for staff and the public, meetings with notes, news,
documents, and search."""

from __future__ import annotations

from datetime import time
from xml.etree import ElementTree as ET

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
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

from coordinator.downloads import send_stored
from coordinator.extensions import db
from coordinator.fields import db_id, fill_local_moment, local_moment
from coordinator.form_errors import show_error
from coordinator.localtime import STOCKHOLM, local_to_utc
from coordinator.models import (
    Document,
    DocumentVersion,
    Meeting,
    Network,
    NewsItem,
    NoteRevision,
    Project,
    User,
)
from coordinator.models.types import utcnow
from coordinator.permissions import current_staff, editor_required, staff_required
from coordinator.projects.forms import DocumentForm, MeetingForm, NewsForm, NotesForm, ProjectForm
from coordinator.services.errors import DocumentError, MeetingError, NewsError, ProjectError
from coordinator.services.mail.outbox import absolute_url
from coordinator.services.markdown import render_markdown
from coordinator.services.projects.attendance import ANSWER_LABELS, attendance_overview
from coordinator.services.projects.attendance_export import participants_workbook
from coordinator.services.projects.calendar import meeting_ics
from coordinator.services.projects.documents import add_version
from coordinator.services.projects.meetings import (
    contacts_by_email,
    invitees,
    notify_change,
    remind_unanswered,
    save_meeting,
    send_invitations,
)
from coordinator.services.projects.news import project_surveys, save_news
from coordinator.services.projects.notes import NotesConflict, compare_texts, restore, save_notes
from coordinator.services.projects.projects import EDITABLE, overview, page_data, save_project
from coordinator.services.projects.search import search
from coordinator.services.results.sharing import publicly_shared_surveys

bp = Blueprint("projects", __name__)


def _project(slug: str) -> Project:
    return db.first_or_404(select(Project).where(Project.slug == slug))


def _public_project(slug: str) -> Project:
    """A public project, or 404 for everyone (logged in or not) when it is staff only."""
    return db.first_or_404(
        select(Project).where(Project.slug == slug, Project.visibility == "public")
    )


def _require_member(project: Project) -> None:
    if not project.is_member(current_staff()):
        abort(403)


def _meeting(meeting_id: int) -> Meeting:
    return db.get_or_404(Meeting, meeting_id)


# Projects


@bp.get("/projects")
@staff_required
def list_projects() -> str:
    return render_template("projects/list.html", overview=overview(utcnow()))


def _project_form(project: Project | None) -> ProjectForm:
    form = ProjectForm(obj=project)
    editors = list(
        db.session.scalars(
            select(User)
            .where(User.role.in_(("admin", "coordinator")), User.active.is_(True))
            .order_by(User.name)
        )
    )
    form.members.choices = [SelectChoice(u.id, u.name) for u in editors]
    form.leader.choices = [SelectChoice("", _("Ingen vald"))] + [
        SelectChoice(str(u.id), u.name) for u in editors
    ]
    if request.method == "GET":
        if project is None:
            form.leader.data = str(current_staff().id)
        else:
            form.leader.data = str(project.leader_id or "")
            form.members.data = [u.id for u in project.members]
    return form


def _edit_project(project: Project | None) -> str | WerkzeugResponse:
    form = _project_form(project)
    if form.validate_on_submit():
        try:
            saved = save_project(
                project,
                values={name: getattr(form, name).data or "" for name in EDITABLE},
                leader_id=int(form.leader.data) if form.leader.data else None,
                member_ids=form.members.data or [],
                actor=current_staff(),
                now=utcnow(),
            )
        except ProjectError as exc:
            show_error(form, exc, "title")
        else:
            db.session.commit()
            flash(_("Projektet är sparat."), "success")
            return redirect(url_for("projects.show_project", slug=saved.slug))
    return render_template("projects/form.html", form=form, project=project)


@bp.route("/projects/new", methods=["GET", "POST"])
@editor_required
def new_project() -> str | WerkzeugResponse:
    return _edit_project(None)


@bp.route("/projects/<slug>/edit", methods=["GET", "POST"])
@editor_required
def edit_project(slug: str) -> str | WerkzeugResponse:
    project = _project(slug)
    _require_member(project)
    return _edit_project(project)


@bp.get("/projects/<slug>")
@staff_required
def show_project(slug: str) -> str:
    project = _project(slug)
    data = page_data(project, public=False)
    form = DocumentForm()
    form.replaces.choices = _replace_choices(data["documents"])
    return render_template(
        "projects/show.html",
        can_edit=project.is_member(current_staff()),
        document_form=form,
        **data,
    )


# Documents


def _replace_choices(documents: list[Document]) -> list[SelectChoice]:
    return [SelectChoice("", _("Inget – ett nytt dokument"))] + [
        SelectChoice(str(d.id), d.title) for d in documents
    ]


def _upload(project: Project, meeting: Meeting | None) -> None:
    """Add a document (or a new version of one) from the posted form; flash the outcome."""
    existing = list(
        db.session.scalars(
            select(Document).where(
                Document.project_id == project.id,
                Document.meeting_id == meeting.id if meeting else Document.meeting_id.is_(None),
            )
        )
    )
    form = DocumentForm()
    form.replaces.choices = _replace_choices(existing)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return
    document = next((d for d in existing if str(d.id) == form.replaces.data), None)
    upload = form.file.data
    try:
        add_version(
            document,
            project=project,
            meeting=meeting,
            title=form.title.data or "",
            filename=upload.filename or "",
            data=upload.read(current_app.config["UPLOAD_MAX_BYTES"] + 1),
            actor=current_staff(),
            now=utcnow(),
        )
    except DocumentError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Dokumentet är uppladdat."), "success")


@bp.post("/projects/<slug>/documents")
@editor_required
def upload_document(slug: str) -> WerkzeugResponse:
    project = _project(slug)
    _require_member(project)
    _upload(project, None)
    return redirect(url_for("projects.show_project", slug=project.slug, _anchor="plan"))


@bp.post("/meetings/<int:meeting_id>/documents")
@editor_required
def upload_meeting_document(meeting_id: int) -> WerkzeugResponse:
    meeting = _meeting(meeting_id)
    _require_member(meeting.project)
    _upload(meeting.project, meeting)
    return redirect(url_for("projects.show_meeting", meeting_id=meeting.id, _anchor="bilagor"))


def _send_version(version: DocumentVersion) -> WerkzeugResponse:
    return send_stored(version.storage_key, version.filename, version.content_type)


@bp.get("/documents/<int:version_id>")
@staff_required
def download_document(version_id: int) -> WerkzeugResponse:
    g.no_store = True
    return _send_version(db.get_or_404(DocumentVersion, version_id))


@bp.get("/p/<slug>/documents/<int:version_id>")
def public_document(slug: str, version_id: int) -> WerkzeugResponse:
    """A plan document, or an attachment of a meeting whose notes are published."""
    project = _public_project(slug)
    version = db.session.get(DocumentVersion, version_id)
    if version is None or version.document.project_id != project.id:
        abort(404)
    meeting = version.document.meeting
    if meeting is not None and meeting.published_revision is None:
        abort(404)
    return _send_version(version)


# Meetings


def _meeting_form(meeting: Meeting | None) -> MeetingForm:
    form = MeetingForm(obj=meeting)
    form.networks.choices = [
        SelectChoice(n.id, n.name)
        for n in db.session.scalars(select(Network).order_by(Network.name))
    ]
    if meeting is not None and request.method == "GET":
        fill_local_moment(form, "date", "start", "start_fold", meeting.starts_at)
        fill_local_moment(form, "date", "end", "end_fold", meeting.ends_at)
        form.networks.data = [n.id for n in meeting.networks]
        form.contact_emails.data = "\n".join(c.email or "" for c in meeting.contacts)
    return form


def _edit_meeting(project: Project, meeting: Meeting | None) -> str | WerkzeugResponse:
    form = _meeting_form(meeting)
    if form.validate_on_submit():
        starts_at = local_moment(form, "date", "start", "start_fold")
        ends_at = local_moment(form, "date", "end", "end_fold")
        contacts, unknown = contacts_by_email(form.contact_emails.data or "")
        if starts_at is None or ends_at is None:
            pass  # the reason is at the time field
        elif unknown:
            form.contact_emails.errors.append(
                _(
                    "Finns inte i kontaktregistret: %(addresses)s. Lägg till dem där först "
                    "eller ta bort dem här.",
                    addresses=", ".join(unknown),
                )
            )
        else:
            try:
                change = save_meeting(
                    meeting,
                    project=project,
                    title=form.title.data or "",
                    starts_at=starts_at,
                    ends_at=ends_at,
                    place=form.place.data or "",
                    online_url=form.online_url.data or "",
                    agenda=form.agenda.data or "",
                    network_ids=form.networks.data or [],
                    contact_ids=[c.id for c in contacts],
                    actor=current_staff(),
                    now=utcnow(),
                )
            except MeetingError as exc:
                show_error(form, exc, "end")
            else:
                updated, cancelled = notify_change(change, current_staff(), utcnow())
                db.session.commit()
                flash(_("Mötet är sparat."), "success")
                if updated:
                    flash(
                        _("%(n)s inbjudna får en uppdaterad kalenderinbjudan.", n=updated),
                        "success",
                    )
                if cancelled:
                    flash(
                        _("%(n)s som inte längre är inbjudna får ett återbud.", n=cancelled),
                        "success",
                    )
                saved = change.meeting
                return redirect(url_for("projects.show_meeting", meeting_id=saved.id))
    return render_template(
        "projects/meeting_form.html", form=form, project=project, meeting=meeting
    )


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
    if meeting.cancelled_at is not None:
        flash(_("Mötet är inställt och kan inte ändras."), "error")
        return redirect(url_for("projects.show_meeting", meeting_id=meeting.id))
    return _edit_meeting(meeting.project, meeting)


@bp.get("/meetings/<int:meeting_id>")
@staff_required
def show_meeting(meeting_id: int) -> str:
    meeting = _meeting(meeting_id)
    documents = list(
        db.session.scalars(
            select(Document).where(Document.meeting_id == meeting.id).order_by(Document.id)
        )
    )
    form = DocumentForm()
    form.replaces.choices = _replace_choices(documents)
    return render_template(
        "projects/meeting.html",
        meeting=meeting,
        invitees=invitees(meeting),
        documents=documents,
        document_form=form,
        can_edit=meeting.project.is_member(current_staff()),
        overview=attendance_overview(meeting),
        answer_labels=ANSWER_LABELS,
    )


@bp.post("/meetings/<int:meeting_id>/remind")
@editor_required
def remind_meeting(meeting_id: int) -> WerkzeugResponse:
    """A reminder with the answer links to the invitees who have not answered."""
    meeting = _meeting(meeting_id)
    _require_member(meeting.project)
    try:
        sent = remind_unanswered(meeting, current_staff(), utcnow())
    except MeetingError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("%(n)s påminnelser ligger i utkorgen.", n=sent), "success")
    return redirect(url_for("projects.show_meeting", meeting_id=meeting.id, _anchor="svar"))


@bp.get("/meetings/<int:meeting_id>/participants.xlsx")
@staff_required
def meeting_participants(meeting_id: int) -> WerkzeugResponse:
    meeting = _meeting(meeting_id)
    response = make_response(participants_workbook(meeting))
    response.headers["Content-Type"] = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="deltagare-mote-{meeting.id}.xlsx"'
    )
    return response


@bp.post("/meetings/<int:meeting_id>/<any(invite, cancel):action>")
@editor_required
def meeting_action(meeting_id: int, action: str) -> WerkzeugResponse:
    meeting = _meeting(meeting_id)
    _require_member(meeting.project)
    kind = "invitation" if action == "invite" else "cancel"
    try:
        sent = send_invitations(meeting, current_staff(), utcnow(), kind=kind)
    except MeetingError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        if kind == "cancel":
            message = _("Mötet är inställt. %(n)s inbjudna får ett återbud.", n=sent)
        else:
            message = _("%(n)s e-postmeddelanden med kalenderfil ligger i utkorgen.", n=sent)
        flash(message, "success")
    return redirect(url_for("projects.show_meeting", meeting_id=meeting.id))


@bp.get("/meetings/<int:meeting_id>/calendar.ics")
@staff_required
def meeting_ics_file(meeting_id: int) -> WerkzeugResponse:
    """ "Lägg till i kalender": the meeting as a file to open in any calendar."""
    meeting = _meeting(meeting_id)
    method = "CANCEL" if meeting.cancelled_at else "PUBLISH"
    response = make_response(meeting_ics(meeting, method, None, utcnow()))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="mote-{meeting.id}.ics"'
    return response


# Notes


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
    conflict = conflict_diff = preview = None
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = render_markdown(form.text.data or "")
        else:
            try:
                save_notes(
                    meeting,
                    form.text.data or "",
                    published=bool(form.published.data),
                    based_on=_based_on(form.based_on.data),
                    actor=current_staff(),
                    now=utcnow(),
                )
            except NotesConflict as exc:
                conflict = exc.latest
                conflict_diff = compare_texts(conflict.text, form.text.data or "")
                form.based_on.data = str(conflict.id)
            else:
                db.session.commit()
                flash(_("Anteckningarna är sparade."), "success")
                return redirect(url_for("projects.show_meeting", meeting_id=meeting.id))
    return render_template(
        "projects/notes_form.html",
        form=form,
        meeting=meeting,
        conflict=conflict,
        conflict_diff=conflict_diff,
        preview=preview,
    )


def _based_on(value: str | None) -> int | None:
    try:
        return db_id(value)
    except (TypeError, ValueError):
        return None


@bp.get("/meetings/<int:meeting_id>/notes/history")
@staff_required
def notes_history(meeting_id: int) -> str:
    meeting = _meeting(meeting_id)
    revisions = meeting.revisions
    by_id = {r.id: r for r in revisions}
    old = by_id.get(request.args.get("old", type=db_id) or 0)
    new = by_id.get(request.args.get("new", type=db_id) or 0)
    if (old is None or new is None) and len(revisions) >= 2:
        old, new = revisions[-2], revisions[-1]
    diff = None
    if old is not None and new is not None:
        diff = compare_texts(old.text, new.text)
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


# News


def _edit_news(project: Project, item: NewsItem | None) -> str | WerkzeugResponse:
    form = NewsForm(obj=item)
    form.survey_id.choices = [SelectChoice("", _("Ingen"))] + [
        SelectChoice(str(s.id), s.title) for s in project_surveys(project)
    ]
    if request.method == "GET":
        day = (item.published_on if item else utcnow()).astimezone(STOCKHOLM).date()
        form.date.data = day
        form.survey_id.data = str(item.survey_id or "") if item else ""
    if form.validate_on_submit():
        try:
            saved = save_news(
                item,
                project=project,
                title=form.title.data or "",
                body=form.body.data or "",
                published_on=local_to_utc(form.date.data, time(12)),  # noon always exists
                published=bool(form.published.data),
                survey_id=int(form.survey_id.data) if form.survey_id.data else None,
                actor=current_staff(),
                language=form.language.data or "sv",
                now=utcnow(),
            )
        except NewsError as exc:
            show_error(form, exc, "survey_id")
        else:
            db.session.commit()
            flash(_("Nyheten är sparad."), "success")
            anchor = f"news-{saved.id}"
            return redirect(url_for("projects.show_project", slug=project.slug, _anchor=anchor))
    return render_template("projects/news_form.html", form=form, project=project, item=item)


@bp.route("/projects/<slug>/news/new", methods=["GET", "POST"])
@editor_required
def new_news(slug: str) -> str | WerkzeugResponse:
    project = _project(slug)
    _require_member(project)
    return _edit_news(project, None)


@bp.route("/news/<int:news_id>/edit", methods=["GET", "POST"])
@editor_required
def edit_news(news_id: int) -> str | WerkzeugResponse:
    item = db.get_or_404(NewsItem, news_id)
    _require_member(item.project)
    return _edit_news(item.project, item)


# The public page and its feed


@bp.get("/p/<slug>")
def public_project(slug: str) -> str:
    project = _public_project(slug)
    return render_template(
        "public/project.html",
        **page_data(project, public=True),
        shared_surveys=publicly_shared_surveys(project, utcnow()),
    )


@bp.get("/p/<slug>/feed.xml")
def feed(slug: str) -> WerkzeugResponse:
    """Aktuellt as an Atom feed: published items only, text escaped by ElementTree."""
    project = _public_project(slug)
    news = page_data(project, public=True)["news"]
    # From BASE_URL, not the request's Host header, which the client chooses.
    page = absolute_url("projects.public_project", slug=project.slug)
    root = ET.Element("feed", xmlns="http://www.w3.org/2005/Atom")
    ET.SubElement(root, "title").text = _("%(title)s – Aktuellt", title=project.title)
    ET.SubElement(root, "id").text = page
    ET.SubElement(root, "link", rel="alternate", href=page)
    ET.SubElement(root, "link", rel="self", href=absolute_url("projects.feed", slug=project.slug))
    updated = max((n.published_on for n in news), default=project.created_at)
    ET.SubElement(root, "updated").text = updated.isoformat()
    for item in news:
        entry = ET.SubElement(root, "entry")
        ET.SubElement(entry, "title").text = item.title
        ET.SubElement(entry, "id").text = f"{page}#news-{item.id}"
        ET.SubElement(entry, "link", rel="alternate", href=f"{page}#news-{item.id}")
        ET.SubElement(entry, "updated").text = item.published_on.isoformat()
        author = ET.SubElement(entry, "author")
        ET.SubElement(author, "name").text = project.title
        ET.SubElement(entry, "content", type="html").text = str(render_markdown(item.body))
    response = make_response(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


# Search


@bp.get("/search")
@staff_required
def search_view() -> str:
    query = request.args.get("q", "")[:200]
    return render_template(
        "projects/search.html", query=query, results=search(query) if query.strip() else []
    )
