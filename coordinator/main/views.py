"""The staff start page, the language switch, and what every page links to: the
accessibility statement and the sender's logo."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import get_locale
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from coordinator.extensions import db
from coordinator.models import Contact, Network, Organisation
from coordinator.permissions import staff_required
from coordinator.redirects import safe_next

bp = Blueprint("main", __name__)

# When the default accessibility statement was last checked against the product (by hand
# and with the checks in tests/e2e/test_every_page.py); change it with the next review.
STATEMENT_REVIEWED = date(2026, 11, 27)


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


def _operator_statement() -> tuple[str, str] | None:
    """The operator's own statement (Markdown) and its language, if one is configured:
    the English file for the English interface when there is one, else the Swedish one."""
    config = current_app.config
    english = config["ACCESSIBILITY_STATEMENT_FILE_EN"]
    if str(get_locale()) == "en" and english:
        return Path(english).read_text(encoding="utf-8"), "en"
    if config["ACCESSIBILITY_STATEMENT_FILE"]:
        return Path(config["ACCESSIBILITY_STATEMENT_FILE"]).read_text(encoding="utf-8"), "sv"
    return None


@bp.get("/accessibility")
def accessibility_statement() -> str:
    """The tillgänglighetsredogörelse, linked from the footer of every page."""
    config = current_app.config
    return render_template(
        "main/accessibility.html",
        operator_statement=_operator_statement(),
        contact=config["ACCESSIBILITY_CONTACT"] or config["MAIL_DEFAULT_SENDER"],
        reviewed=STATEMENT_REVIEWED,
    )


@bp.get("/logo")
def logo() -> Response:
    """The sender's logo (SENDER_LOGO), shown in the header beside the sender's name."""
    path = current_app.config["SENDER_LOGO"]
    if not path or not os.path.isfile(path):
        abort(404)
    return send_file(os.path.abspath(path), max_age=3600)


@bp.get("/favicon.ico")
def favicon() -> Response:
    """For clients that ask the site root for its icon instead of reading the page's link."""
    return send_from_directory(str(current_app.static_folder), "favicon.ico", max_age=86400)
