"""Answering a meeting invitation through the personal link in it: "Jag kommer / Jag
kommer inte / Kanske", no account. The links in the mail open this page with the answer
chosen; only the button saves it (GET changes nothing: mail scanners open links)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from coordinator.extensions import db, limiter
from coordinator.models import Attendance
from coordinator.models.types import utcnow
from coordinator.respond.forms import MeetingAnswerForm
from coordinator.services.projects.attendance import (
    ANSWER_LABELS,
    find_attendance_by_token,
    record_answer,
)
from coordinator.web import token_rate_limit

bp = Blueprint("meeting_answer", __name__, url_prefix="/m")


@bp.after_request
def private_page(response: WerkzeugResponse) -> WerkzeugResponse:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _attendance(token: str) -> Attendance:
    attendance = find_attendance_by_token(token)
    if attendance is None or attendance.contact.erased:
        abort(404)
    g.no_store = True
    return attendance


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(token_rate_limit)
def show(token: str) -> str | WerkzeugResponse:
    attendance = _attendance(token)
    meeting = attendance.meeting
    form = MeetingAnswerForm()
    if request.method == "GET":
        chosen = request.args.get("answer")
        form.answer.data = chosen if chosen in ANSWER_LABELS else attendance.answer
    elif meeting.cancelled_at is None and form.validate_on_submit():
        record_answer(attendance, form.answer.data or "", "link", utcnow())
        db.session.commit()
        flash(
            _("Tack! Ditt svar är sparat: %(answer)s.", answer=ANSWER_LABELS[attendance.answer]),
            "success",
        )
        return redirect(url_for("meeting_answer.show", token=token))
    return render_template(
        "respond/meeting_answer.html",
        form=form,
        attendance=attendance,
        meeting=meeting,
        answer_label=ANSWER_LABELS.get(attendance.answer),
    )
