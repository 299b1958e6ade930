"""Forms for projects, meetings, notes and news."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp, StopValidation

from coordinator.fields import (
    FORMATTING_HINT,
    FORMATTING_WITH_HEADINGS_HINT,
    FoldField,
    MultiCheckboxField,
    content_language_field,
    db_id,
)
from coordinator.text import single_line_filter


class ProjectForm(FlaskForm):
    title = StringField(
        _l("Namn"),
        filters=[single_line_filter],
        validators=[DataRequired(_l("Ange projektets namn")), Length(max=200)],
    )
    slug = StringField(
        _l("Kortnamn i adressen"),
        description=_l(
            "Små bokstäver, siffror och bindestreck, till exempel naringsliv-och-miljomal."
        ),
        validators=[
            DataRequired(_l("Ange ett kortnamn")),
            Length(max=80),
            Regexp(r"^[a-z0-9-]+$", message=_l("Använd bara a–z, 0–9 och bindestreck")),
        ],
    )
    summary = TextAreaField(_l("Kort beskrivning"), validators=[Optional(), Length(max=2000)])
    purpose = TextAreaField(
        _l("Syfte"),
        description=FORMATTING_WITH_HEADINGS_HINT,
        validators=[Optional(), Length(max=20000)],
    )
    origin = TextAreaField(
        _l("Ursprung"),
        description=_l("Till exempel RUS VP 2017 och 2018."),
        validators=[Optional(), Length(max=20000)],
    )
    plan = TextAreaField(
        _l("Projektplan"),
        description=FORMATTING_WITH_HEADINGS_HINT,
        validators=[Optional(), Length(max=50000)],
    )
    state = SelectField(
        _l("Läge"),
        choices=[
            SelectChoice("planned", _l("Planerat")),
            SelectChoice("running", _l("Pågår")),
            SelectChoice("finished", _l("Avslutat")),
        ],
    )
    visibility = SelectField(
        _l("Synlighet"),
        choices=[
            SelectChoice("staff", _l("Bara för inloggade")),
            SelectChoice("public", _l("Offentlig sida")),
        ],
    )
    language = content_language_field(
        _l("Gäller projektets texter och mötesanteckningar; nyheter har ett eget val.")
    )
    leader = SelectField(_l("Projektledare"))
    members = MultiCheckboxField(
        _l("Medlemmar som får redigera"),
        description=_l("Projektledaren och den som skapar projektet blir alltid medlemmar."),
        coerce=db_id,
    )

    def validate_leader(self, field: SelectField) -> None:
        """A post without the field at all (not even "Ingen vald") is refused with a
        message; the field would otherwise hold the project's leader object (the form is
        filled from the project), which is no choice."""
        if not field.raw_data:
            field.errors[:] = []
            raise StopValidation(_l("Välj en projektledare eller Ingen vald."))


class MeetingForm(FlaskForm):
    title = StringField(
        _l("Rubrik"),
        filters=[single_line_filter],
        validators=[DataRequired(_l("Ange mötets rubrik")), Length(max=300)],
    )
    date = DateField(_l("Datum"), validators=[DataRequired(_l("Ange datum som ÅÅÅÅ-MM-DD"))])
    start = TimeField(_l("Börjar"), validators=[DataRequired(_l("Ange starttid som TT:MM"))])
    start_fold = FoldField(_l("Vilken av de två starttiderna menar du?"))
    end = TimeField(_l("Slutar"), validators=[DataRequired(_l("Ange sluttid som TT:MM"))])
    end_fold = FoldField(_l("Vilken av de två sluttiderna menar du?"))
    place = StringField(
        _l("Plats"), filters=[single_line_filter], validators=[Optional(), Length(max=300)]
    )
    online_url = StringField(
        _l("Länk till onlinemötet"),
        validators=[
            Optional(),
            URL(message=_l("Ange en fullständig länk som börjar med https://")),
            Length(max=500),
        ],
    )
    agenda = TextAreaField(
        _l("Dagordning"), description=FORMATTING_HINT, validators=[Optional(), Length(max=20000)]
    )
    networks = MultiCheckboxField(_l("Inbjudna nätverk"), coerce=db_id)
    contact_emails = TextAreaField(
        _l("Fler inbjudna personer"),
        description=_l(
            "E-postadresser till kontakter i registret, en per rad. "
            "Den som finns i flera nätverk får bara en inbjudan."
        ),
        validators=[Optional(), Length(max=20000)],
    )


class NotesForm(FlaskForm):
    text = TextAreaField(
        _l("Mötesanteckningar"),
        description=_l(
            "Rubriker med ## först på raden, fet stil med **två stjärnor**, punktlistor med - "
            "först på raden. Skriv Beslut: … eller Åtgärd: … (ansvarig: Namn, senast "
            "ÅÅÅÅ-MM-DD) på egna rader, så hamnar de i listan över beslut och åtgärder."
        ),
        validators=[Length(max=100000)],
    )
    published = BooleanField(_l("Publicera anteckningarna"))
    based_on = StringField()


class NewsForm(FlaskForm):
    title = StringField(
        _l("Rubrik"),
        filters=[single_line_filter],
        validators=[DataRequired(_l("Ange en rubrik")), Length(max=300)],
    )
    date = DateField(_l("Datum"), validators=[DataRequired(_l("Ange datum som ÅÅÅÅ-MM-DD"))])
    body = TextAreaField(
        _l("Text"), description=FORMATTING_HINT, validators=[Optional(), Length(max=50000)]
    )
    language = content_language_field()
    survey_id = SelectField(_l("Länka till enkät"), validators=[Optional()])
    published = BooleanField(_l("Publicera"))


class DocumentForm(FlaskForm):
    title = StringField(
        _l("Rubrik"), filters=[single_line_filter], validators=[Optional(), Length(max=300)]
    )
    file = FileField(
        _l("Fil"),
        description=_l("PDF, Word, Excel, PowerPoint eller bild (PNG, JPEG, GIF)."),
        validators=[FileRequired(_l("Välj en fil att ladda upp"))],
    )
    replaces = SelectField(_l("Ersätter"), validators=[Optional()])
