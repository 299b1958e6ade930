"""Staff pages for the register: organisations, contacts, networks, import and export."""

from __future__ import annotations

from typing import Any

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
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from coordinator.bidi import isolate_message, isolate_text
from coordinator.database import end_transaction, reads_only
from coordinator.extensions import db
from coordinator.fields import db_id
from coordinator.form_errors import show_error
from coordinator.models import Contact, Network, Organisation
from coordinator.models.types import utcnow
from coordinator.permissions import EDITOR_ROLES, current_staff, editor_required, staff_required
from coordinator.register.forms import (
    KIND_CHOICES,
    AddMemberForm,
    ConfirmForm,
    ContactFilterForm,
    ContactForm,
    EraseContactForm,
    ImportConfirmForm,
    ImportForm,
    NetworkForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from coordinator.services.errors import ContactImportError, RegisterError
from coordinator.services.register import entries as service
from coordinator.services.register.contact_export import export_contacts
from coordinator.services.register.contact_import import (
    Decisions,
    ImportPreview,
    apply_import,
    build_preview,
    read_import,
    read_signed_preview,
    sign_preview,
)

bp = Blueprint("register", __name__)

PAGE_SIZE = 100


@bp.url_value_preprocessor
def allow_signed_import(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """The confirmation re-posts the signed rows of a whole file, larger than a usual form.

    This runs before CSRF protection parses the form, which is why it is not a
    before_request function.
    """
    if endpoint == "register.confirm_import":
        request.max_form_memory_size = _signed_limit()


@bp.context_processor
def register_globals() -> dict[str, Any]:
    kinds = {choice.value: choice.label for choice in KIND_CHOICES}
    return {
        "can_edit": current_user.is_authenticated and current_user.role in EDITOR_ROLES,
        "kind_label": lambda kind: kinds.get(kind, kind),
    }


def _signed_limit() -> int:
    return int(current_app.config["IMPORT_MAX_BYTES"]) * 4


# Organisations -------------------------------------------------------------------------


@bp.get("/organisations")
@staff_required
def list_organisations() -> str:
    form = OrganisationFilterForm(request.args)
    rows = service.organisations_with_counts(form.q.data or "")
    return render_template("register/organisations.html", form=form, rows=rows)


@bp.get("/organisations/<int:organisation_id>")
@staff_required
def show_organisation(organisation_id: int) -> str:
    org = db.get_or_404(Organisation, organisation_id)
    contacts = db.session.scalars(service.contact_query(organisation_id=org.id))
    return render_template("register/organisation.html", org=org, contacts=list(contacts))


@bp.route("/organisations/new", methods=["GET", "POST"])
@editor_required
def new_organisation() -> str | Response:
    return _organisation_form(None)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@editor_required
def edit_organisation(organisation_id: int) -> str | Response:
    return _organisation_form(db.get_or_404(Organisation, organisation_id))


def _organisation_form(org: Organisation | None) -> str | Response:
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        try:
            org = service.save_organisation(
                org,
                name=form.name.data or "",
                kind=form.kind.data or "other",
                county_code=form.county_code.data,
                mail_domains=form.mail_domains.data or "",
                actor=current_staff(),
            )
        except RegisterError as exc:
            show_error(form, exc, "name")
        else:
            db.session.commit()
            flash(
                isolate_message(_("Organisationen %(name)s är sparad."), name=org.name), "success"
            )
            return redirect(url_for("register.show_organisation", organisation_id=org.id))
    return render_template("register/organisation_form.html", form=form, org=org)


@bp.route("/organisations/<int:organisation_id>/delete", methods=["GET", "POST"])
@editor_required
def delete_organisation(organisation_id: int) -> str | Response:
    org = db.get_or_404(Organisation, organisation_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            service.delete_organisation(org, current_staff())
        except RegisterError as exc:
            flash(str(exc), "error")
            return redirect(url_for("register.show_organisation", organisation_id=org.id))
        db.session.commit()
        flash(isolate_message(_("Organisationen %(name)s är borttagen."), name=org.name), "success")
        return redirect(url_for("register.list_organisations"))
    return render_template(
        "register/confirm_delete.html",
        confirm_form=form,
        heading=isolate_message(_("Ta bort %(name)s?"), name=org.name),
        text=_("Organisationen tas bort ur registret. Det går bara om den saknar kontaktpersoner."),
        cancel=url_for("register.show_organisation", organisation_id=org.id),
    )


# Contacts ------------------------------------------------------------------------------


def _filtered_contacts() -> tuple[ContactFilterForm, Any, dict[str, Any]]:
    form = ContactFilterForm(request.args)
    form.organisation.choices = [SelectChoice("", _("Alla organisationer"))] + [
        SelectChoice(str(o.id), o.display_name) for o in service.organisations_in_order()
    ]
    form.network.choices = [SelectChoice("", _("Alla nätverk"))] + [
        SelectChoice(str(n.id), n.name)
        for n in db.session.scalars(select(Network).order_by(Network.name))
    ]
    query = service.contact_query(
        q=form.q.data or "",
        organisation_id=request.args.get("organisation", type=db_id),
        network_id=request.args.get("network", type=db_id),
    )
    args = {k: v for k, v in request.args.items() if k in ("q", "organisation", "network") and v}
    return form, query, args


@bp.get("/contacts")
@staff_required
def list_contacts() -> str:
    form, query, args = _filtered_contacts()
    page = db.paginate(
        query, page=request.args.get("page", 1, type=db_id), per_page=PAGE_SIZE, error_out=False
    )
    return render_template(
        "register/contacts.html", form=form, page=page, filter_args=args, filtered=bool(args)
    )


@bp.get("/contacts/export")
@staff_required
def export_contact_list() -> Response:
    _form, query, _args = _filtered_contacts()
    response = make_response(export_contacts(db.session.scalars(query)))
    response.headers["Content-Type"] = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = utcnow().strftime("%Y-%m-%d")
    response.headers["Content-Disposition"] = f'attachment; filename="kontaktpersoner-{stamp}.xlsx"'
    g.no_store = True
    return response


@bp.get("/contacts/<int:contact_id>")
@staff_required
def show_contact(contact_id: int) -> str:
    contact = db.get_or_404(Contact, contact_id)
    return render_template("register/contact.html", contact=contact)


def _contact_choices(form: ContactForm) -> None:
    form.organisation.choices = [SelectChoice("", _("Välj organisation"))] + [
        SelectChoice(o.id, o.display_name) for o in service.organisations_in_order()
    ]
    form.networks.choices = [
        SelectChoice(n.id, n.name)
        for n in db.session.scalars(select(Network).order_by(Network.name))
    ]


@bp.route("/contacts/new", methods=["GET", "POST"])
@editor_required
def new_contact() -> str | Response:
    return _contact_form(None)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@editor_required
def edit_contact(contact_id: int) -> str | Response:
    contact = db.get_or_404(Contact, contact_id)
    if contact.erased:
        abort(404)
    return _contact_form(contact)


def _contact_form(contact: Contact | None) -> str | Response:
    if contact is not None:
        form = ContactForm(
            obj=contact, networks=[n.id for n in contact.networks], opted_out=contact.opted_out
        )
        if not form.is_submitted():
            # obj's `organisation` is the object itself, which selects nothing.
            form.organisation.data = contact.organisation_id
    else:
        form = ContactForm(organisation=request.args.get("organisation", type=db_id))
    _contact_choices(form)
    if form.validate_on_submit():
        try:
            contact = service.save_contact(
                contact,
                name=form.name.data or "",
                email=form.email.data or "",
                organisation_id=form.organisation.data or 0,
                title=form.title.data or "",
                phone=form.phone.data or "",
                network_ids=list(form.networks.data or []),
                opted_out=bool(form.opted_out.data),
                actor=current_staff(),
                now=utcnow(),
            )
        except RegisterError as exc:
            show_error(form, exc, "email")
        else:
            db.session.commit()
            flash(
                isolate_message(_("Kontaktpersonen %(name)s är sparad."), name=contact.name),
                "success",
            )
            return redirect(url_for("register.show_contact", contact_id=contact.id))
    return render_template("register/contact_form.html", form=form, contact=contact)


@bp.route("/contacts/<int:contact_id>/delete", methods=["GET", "POST"])
@editor_required
def delete_contact(contact_id: int) -> str | Response:
    contact = db.get_or_404(Contact, contact_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = contact.name
        service.delete_contact(contact, current_staff())
        db.session.commit()
        flash(isolate_message(_("Kontaktpersonen %(name)s är borttagen."), name=name), "success")
        return redirect(url_for("register.list_contacts"))
    return render_template(
        "register/confirm_delete.html",
        confirm_form=form,
        heading=isolate_message(_("Ta bort %(name)s?"), name=contact.name),
        text=_(
            "Kontaktpersonen tas bort ur registret och ur alla nätverk. Inbjudningar och svar "
            "finns kvar hos organisationen."
        ),
        cancel=url_for("register.show_contact", contact_id=contact.id),
    )


@bp.route("/contacts/<int:contact_id>/erase", methods=["GET", "POST"])
@editor_required
def erase_contact(contact_id: int) -> str | Response:
    contact = db.get_or_404(Contact, contact_id)
    if contact.erased:
        flash(_("Kontaktpersonens uppgifter är redan raderade."), "info")
        return redirect(url_for("register.show_contact", contact_id=contact.id))
    form = EraseContactForm()
    if form.validate_on_submit():
        service.erase_contact(contact, current_staff(), now=utcnow())
        db.session.commit()
        flash(_("Personuppgifterna är raderade."), "success")
        return redirect(url_for("register.show_contact", contact_id=contact.id))
    return render_template("register/contact_erase.html", form=form, contact=contact)


# Import ----------------------------------------------------------------------------------


def _render_preview(preview: ImportPreview, warning: str = "") -> str:
    g.no_store = True
    token = sign_preview(preview, current_app.config["SECRET_KEY"])
    too_large = len(token) > _signed_limit()
    return render_template(
        "register/import_preview.html",
        preview=preview,
        counts=preview.counts,
        confirm_form=ImportConfirmForm(formdata=None, payload=token),
        warning=warning,
        too_large=too_large,
    )


def _import_limits() -> dict[str, Any]:
    config = current_app.config
    return {
        "max_bytes": int(config["IMPORT_MAX_BYTES"]),
        "max_rows": int(config["IMPORT_MAX_ROWS"]),
        "max_seconds": float(config["IMPORT_MAX_SECONDS"]),
    }


@bp.route("/contacts/import", methods=["GET", "POST"])
@editor_required
@reads_only
def import_contacts() -> str:
    """Upload and preview; nothing is written, and the file is read and checked with no
    transaction open."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        limits = _import_limits()
        data = upload.read(limits["max_bytes"] + 1)
        end_transaction()
        try:
            read, emails = read_import(upload.filename or "", data, **limits)
        except ContactImportError as exc:
            form.file.errors = [*form.file.errors, str(exc)]
        else:
            return _render_preview(build_preview(upload.filename or "", read, emails))
    return render_template("register/import.html", form=form)


def _posted_decisions() -> Decisions:
    """The choices on the preview page: an organisation for each name not recognised (a
    select per name, beside the name as written), and whether to turn names around."""
    organisations = {}
    for key, text in request.form.items():
        if key.startswith("org_text-"):
            chosen = request.form.get("org-" + key.removeprefix("org_text-"), "")
            if chosen.isdigit():
                organisations[text] = int(chosen)
    return Decisions(organisations, request.form.get("swap_names") == "y")


@bp.post("/contacts/import/confirm")
@editor_required
def confirm_import() -> str | Response:
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        flash(_("Förhandsvisningen saknas. Ladda upp filen igen."), "error")
        return redirect(url_for("register.import_contacts"))
    end_transaction()  # the signed rows are verified and checked before anything is locked
    try:
        signed = read_signed_preview(form.payload.data or "", current_app.config["SECRET_KEY"])
    except ContactImportError as exc:
        flash(str(exc), "error")
        return redirect(url_for("register.import_contacts"))
    decisions = _posted_decisions()
    preview = build_preview(signed.filename, signed.read, signed.emails, decisions)
    if request.form.get("action") == "review" or decisions != signed.decisions:
        return _render_preview(
            preview, _("Förhandsvisningen visar nu dina val. Kontrollera och importera.")
        )
    if preview.counts != signed.counts:
        return _render_preview(
            preview,
            _("Registret har ändrats sedan förhandsvisningen. Kontrollera och bekräfta igen."),
        )
    if not preview.importable:
        flash(_("Filen hade inget att importera."), "info")
        return redirect(url_for("register.import_contacts"))
    try:
        counts = apply_import(preview, current_staff(), now=utcnow())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(
            _("Registret ändrades medan filen importerades. Inget importerades; försök igen."),
            "error",
        )
        return redirect(url_for("register.import_contacts"))
    flash(
        _(
            "Importen är klar: %(new)s nya och %(update)s uppdaterade kontaktpersoner.",
            new=counts["new"],
            update=counts["update"],
        ),
        "success",
    )
    return redirect(url_for("register.list_contacts"))


# Networks ----------------------------------------------------------------------------------


@bp.get("/networks")
@staff_required
def list_networks() -> str:
    return render_template("register/networks.html", rows=service.networks_with_counts())


@bp.get("/networks/<int:network_id>")
@staff_required
def show_network(network_id: int) -> str:
    network = db.get_or_404(Network, network_id)
    return render_template("register/network.html", network=network)


@bp.route("/networks/new", methods=["GET", "POST"])
@editor_required
def new_network() -> str | Response:
    form = NetworkForm()
    if form.validate_on_submit():
        try:
            network = service.save_network(
                None,
                name=form.name.data or "",
                description=form.description.data or "",
                actor=current_staff(),
            )
        except RegisterError as exc:
            show_error(form, exc, "name")
        else:
            db.session.commit()
            flash(isolate_message(_("Nätverket %(name)s är skapat."), name=network.name), "success")
            return redirect(url_for("register.edit_network", network_id=network.id))
    return render_template("register/network_form.html", form=form, network=None)


def _add_member_form(network: Network, form: AddMemberForm | None = None) -> AddMemberForm:
    form = form or AddMemberForm(formdata=None)
    member_ids = {c.id for c in network.members}
    form.contact.choices = [SelectChoice("", _("Välj kontaktperson"))] + [
        SelectChoice(c.id, f"{isolate_text(c.name)} – {isolate_text(c.organisation.display_name)}")
        for c in db.session.scalars(service.contact_query())
        if c.id not in member_ids
    ]
    return form


@bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
@editor_required
def edit_network(network_id: int) -> str | Response:
    network = db.get_or_404(Network, network_id)
    form = NetworkForm(obj=network)
    if form.validate_on_submit():
        try:
            service.save_network(
                network,
                name=form.name.data or "",
                description=form.description.data or "",
                actor=current_staff(),
            )
        except RegisterError as exc:
            show_error(form, exc, "name")
        else:
            db.session.commit()
            flash(isolate_message(_("Nätverket %(name)s är sparat."), name=network.name), "success")
            return redirect(url_for("register.show_network", network_id=network.id))
    return render_template(
        "register/network_form.html",
        form=form,
        network=network,
        member_form=_add_member_form(network),
    )


@bp.post("/networks/<int:network_id>/members")
@editor_required
def add_network_member(network_id: int) -> str | Response:
    network = db.get_or_404(Network, network_id)
    member_form = _add_member_form(network, AddMemberForm())
    if member_form.validate_on_submit():
        contact = db.session.get(Contact, member_form.contact.data)
        if contact is None:
            member_form.contact.errors = [_("Välj en kontaktperson att lägga till")]
        else:
            try:
                service.add_network_member(network, contact, current_staff())
            except RegisterError as exc:
                show_error(member_form, exc, "contact")
            else:
                db.session.commit()
                flash(
                    isolate_message(
                        _("%(name)s är med i %(network)s."), name=contact.name, network=network.name
                    ),
                    "success",
                )
                return redirect(url_for("register.edit_network", network_id=network.id))
    return render_template(
        "register/network_form.html",
        form=NetworkForm(obj=network, formdata=None),
        network=network,
        member_form=member_form,
    )


@bp.post("/networks/<int:network_id>/members/<int:contact_id>/remove")
@editor_required
def remove_network_member(network_id: int, contact_id: int) -> Response:
    network = db.get_or_404(Network, network_id)
    contact = db.get_or_404(Contact, contact_id)
    service.remove_network_member(network, contact, current_staff())
    db.session.commit()
    flash(
        isolate_message(
            _("%(name)s är inte längre med i %(network)s."), name=contact.name, network=network.name
        ),
        "success",
    )
    return redirect(url_for("register.edit_network", network_id=network.id))


@bp.route("/networks/<int:network_id>/delete", methods=["GET", "POST"])
@editor_required
def delete_network(network_id: int) -> str | Response:
    network = db.get_or_404(Network, network_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = network.name
        service.delete_network(network, current_staff())
        db.session.commit()
        flash(isolate_message(_("Nätverket %(name)s är borttaget."), name=name), "success")
        return redirect(url_for("register.list_networks"))
    return render_template(
        "register/confirm_delete.html",
        confirm_form=form,
        heading=isolate_message(_("Ta bort %(name)s?"), name=network.name),
        text=_("Nätverket tas bort. Kontaktpersonerna i det finns kvar i registret."),
        cancel=url_for("register.show_network", network_id=network.id),
    )
