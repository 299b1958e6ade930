"""The staff start page and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from coordinator.extensions import db
from coordinator.models import Contact, Network, Organisation
from coordinator.permissions import staff_required
from coordinator.redirects import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
@staff_required
def index() -> str:
    counts = {
        "organisations": db.session.scalar(select(func.count()).select_from(Organisation)),
        "contacts": db.session.scalar(
            select(func.count()).select_from(Contact).where(Contact.erased_at.is_(None))
        ),
        "networks": db.session.scalar(select(func.count()).select_from(Network)),
    }
    return render_template("main/index.html", counts=counts)


@bp.post("/language")
def set_language() -> Response:
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))
