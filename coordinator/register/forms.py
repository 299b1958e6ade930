"""Forms for the register: organisations, contacts, networks, filters and imports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from coordinator.fields import MultiCheckboxField, db_id, optional_db_id
from coordinator.text import single_line_filter

KIND_CHOICES = [
    SelectChoice("county_board", _l("Länsstyrelse")),
    SelectChoice("agency", _l("Myndighet")),
    SelectChoice("region", _l("Region")),
    SelectChoice("municipality", _l("Kommun")),
    SelectChoice("other", _l("Annan organisation")),
]


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Namn"),
        filters=[single_line_filter],
        validators=[
            DataRequired(_l("Ange organisationens namn")),
            Length(max=200, message=_l("Namnet får vara högst 200 tecken")),
        ],
    )
    kind = SelectField(_l("Typ av organisation"), choices=KIND_CHOICES, default="other")
    county_code = StringField(
        _l("Länskod (valfritt)"),
        description=_l("Två siffror, till exempel 01 för Stockholm. Bara för länsstyrelser."),
        validators=[
            Optional(),
            Regexp(r"^\d{2}$", message=_l("Länskoden ska vara två siffror, till exempel 01")),
        ],
    )
    mail_domains = StringField(
        _l("E-postdomäner (valfritt)"),
        description=_l(
            "Domänerna i personalens adresser, till exempel lansstyrelsen.se. En enkät kan "
            "skickas vidare från en svarslänk bara till adresser i dem."
        ),
        validators=[Length(max=500, message=_l("Högst 500 tecken"))],
    )


class ContactForm(FlaskForm):
    name = StringField(
        _l("Namn"),
        filters=[single_line_filter],
        validators=[
            DataRequired(_l("Ange kontaktpersonens namn")),
            Length(max=200, message=_l("Namnet får vara högst 200 tecken")),
        ],
    )
    email = EmailField(
        _l("E-postadress"),
        validators=[
            DataRequired(_l("Ange en e-postadress")),
            Email(_l("Ange en e-postadress i rätt format, till exempel namn@lansstyrelsen.se")),
            Length(max=254, message=_l("E-postadressen får vara högst 254 tecken")),
        ],
    )
    title = StringField(
        _l("Titel eller funktion (valfritt)"),
        filters=[single_line_filter],
        description=_l("Till exempel Miljömålssamordnare"),
        validators=[Length(max=200, message=_l("Titeln får vara högst 200 tecken"))],
    )
    phone = StringField(
        _l("Telefon (valfritt)"),
        validators=[Length(max=50, message=_l("Telefonnumret får vara högst 50 tecken"))],
    )
    organisation = SelectField(
        _l("Organisation"),
        coerce=optional_db_id,
        validate_choice=False,
        validators=[DataRequired(_l("Välj en organisation"))],
    )
    networks = MultiCheckboxField(_l("Nätverk"), coerce=db_id, validate_choice=False)
    opted_out = BooleanField(
        _l("Vill inte få e-post"),
        description=_l("Kontaktpersonen får då inga inbjudningar eller påminnelser."),
    )


class NetworkForm(FlaskForm):
    name = StringField(
        _l("Namn"),
        filters=[single_line_filter],
        validators=[
            DataRequired(_l("Ange nätverkets namn")),
            Length(max=200, message=_l("Namnet får vara högst 200 tecken")),
        ],
    )
    description = TextAreaField(
        _l("Beskrivning (valfritt)"),
        validators=[Length(max=2000, message=_l("Beskrivningen får vara högst 2000 tecken"))],
    )


class AddMemberForm(FlaskForm):
    contact = SelectField(
        _l("Lägg till kontaktperson"),
        coerce=optional_db_id,
        validate_choice=False,
        validators=[DataRequired(_l("Välj en kontaktperson att lägga till"))],
    )


class ConfirmForm(FlaskForm):
    """The button on a confirmation page; a POST without it only shows the page again."""

    confirm = HiddenField(validators=[DataRequired()])


class EraseContactForm(FlaskForm):
    confirm = BooleanField(
        _l("Jag förstår att personuppgifterna raderas och inte kan återställas"),
        validators=[DataRequired(_l("Bekräfta att personuppgifterna ska raderas"))],
    )


class ContactFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(
        _l("Sök"),
        description=_l("Namn, e-postadress eller titel"),
        validators=[Optional(), Length(max=200)],
    )
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    network = SelectField(_l("Nätverk"), validators=[Optional()])


class OrganisationFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(
        _l("Sök"), description=_l("Namn eller länskod"), validators=[Optional(), Length(max=200)]
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("Fil med kontaktpersoner"),
        description=_l(
            "Excel (.xlsx) eller CSV. En av de första raderna ska ha rubriker: E-post, Namn, "
            "Titel, Organisation (namn, län eller länskod, till exempel Örebro län eller 18), "
            "Nätverk (skilj flera åt med semikolon) och Telefon. Bara E-post måste finnas."
        ),
        validators=[FileRequired(_l("Välj en fil att importera"))],
    )


class ImportConfirmForm(FlaskForm):
    payload = HiddenField(validators=[DataRequired()])
