"""Forms for building surveys and choosing recipients."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, Optional

from coordinator.fields import (
    FORMATTING_HINT,
    FoldField,
    MultiCheckboxField,
    content_language_field,
    db_id,
)
from coordinator.services.surveys.kinds import all_kinds
from coordinator.text import single_line_filter


class SurveyForm(FlaskForm):
    project_title = StringField(
        _l("Projekt"),
        filters=[single_line_filter],
        description=_l("Ett befintligt projekts namn, eller ett nytt."),
        validators=[DataRequired(_l("Ange projektets namn")), Length(max=200)],
    )
    template = SelectField(
        _l("Utgå från"),
        choices=[
            SelectChoice("rus2018", _l("Mallen RUS 2018 (Näringslivets arbete med miljömålen)")),
            SelectChoice("empty", _l("En tom enkät")),
        ],
    )
    title = StringField(
        _l("Enkätens namn"),
        filters=[single_line_filter],
        description=_l("Lämna tomt för att använda mallens namn."),
        validators=[Optional(), Length(max=300)],
    )
    introduction = TextAreaField(
        _l("Inledning"),
        description=_l(
            "Fet stil med **två stjärnor**, punktlistor med - först på raden. "
            "Lämna tomt för att använda mallens text."
        ),
        validators=[Optional(), Length(max=20_000)],
    )
    deadline_date = DateField(
        _l("Svara senast, datum"),
        description=_l("Till exempel 2018-08-23."),
        validators=[DataRequired(_l("Ange sista svarsdag som ÅÅÅÅ-MM-DD"))],
    )
    deadline_time = TimeField(
        _l("Svara senast, klockan"),
        description=_l("Svensk tid. Svar efter detta tas emot men markeras som sena."),
        validators=[DataRequired(_l("Ange klockslag som TT:MM"))],
    )
    deadline_fold = FoldField()


class QuestionForm(FlaskForm):
    number = StringField(
        _l("Nummer"),
        description=_l("Till exempel 1, 2 eller 2a."),
        validators=[DataRequired(_l("Ange frågans nummer")), Length(max=10)],
    )
    text = TextAreaField(
        _l("Frågan"), validators=[DataRequired(_l("Skriv frågan")), Length(max=5000)]
    )
    help_text = TextAreaField(_l("Hjälptext"), validators=[Optional(), Length(max=2000)])
    kind = SelectField(
        _l("Typ av svar"), choices=[SelectChoice(k.name, k.label) for k in all_kinds()]
    )
    required = BooleanField(_l("Obligatorisk"))
    parent_id = SelectField(_l("Delfråga under"), validators=[Optional()])
    options = TextAreaField(
        _l("Svarsalternativ"),
        description=_l("Ett alternativ per rad (för val-frågor)."),
        validators=[Optional(), Length(max=20_000)],
    )
    use_sni = BooleanField(_l("Använd SNI 2007-listan (avdelning A–U) som alternativ"))
    allow_other = BooleanField(_l('Lägg till fältet "Annat, nämligen"'))
    # Settings of the other kinds; each kind names the fields it reads (settings_fields).
    # Numbers are typed as text and read the Swedish way by the kind.
    unit = StringField(
        _l("Enhet"),
        description=_l("Visas efter fältet, till exempel st, kr eller årsarbetskrafter."),
        validators=[Optional(), Length(max=100)],
    )
    minimum = StringField(
        _l("Minsta tillåtna tal"),
        description=_l("Lämna tomt för ingen gräns."),
        validators=[Optional(), Length(max=40)],
    )
    maximum = StringField(
        _l("Största tillåtna tal"),
        description=_l("Lämna tomt för ingen gräns."),
        validators=[Optional(), Length(max=40)],
    )
    integer_only = BooleanField(_l("Bara heltal"))
    scale_points = SelectField(
        _l("Skala"),
        choices=[SelectChoice("5", _l("1–5")), SelectChoice("7", _l("1–7"))],
        default="5",
    )
    low_label = StringField(
        _l("Text vid 1"),
        description=_l("Till exempel Mycket dåligt."),
        validators=[Optional(), Length(max=100)],
    )
    high_label = StringField(
        _l("Text vid skalans högsta värde"),
        description=_l("Till exempel Mycket bra."),
        validators=[Optional(), Length(max=100)],
    )
    dont_know = BooleanField(_l('Lägg till "Vet ej" utanför skalan'))
    grid_rows = TextAreaField(
        _l("Rutnätets rader"),
        description=_l("En per rad, till exempel en sektor per rad."),
        validators=[Optional(), Length(max=5000)],
    )
    grid_scale = BooleanField(_l("Svara på en skala i stället för med alternativen ovan"))
    max_files = StringField(
        _l("Högst antal filer"),
        description=_l("Från 1 till 10."),
        validators=[Optional(), Length(max=10)],
    )
    max_file_mb = StringField(_l("Högst MB per fil"), validators=[Optional(), Length(max=10)])
    max_total_mb = StringField(
        _l("Högst MB för alla filer tillsammans"), validators=[Optional(), Length(max=10)]
    )
    condition = MultiCheckboxField(_l("Visa bara frågan om"))


class SettingsForm(FlaskForm):
    language = content_language_field(_l("Gäller rubrik, inledning, frågor och svarsalternativ."))
    title = StringField(
        _l("Enkätens namn"),
        filters=[single_line_filter],
        validators=[DataRequired(_l("Ange enkätens namn")), Length(max=300)],
    )
    introduction = TextAreaField(
        _l("Inledning"),
        description=FORMATTING_HINT,
        validators=[Optional(), Length(max=20_000)],
    )
    deadline_date = DateField(
        _l("Svara senast, datum"),
        description=_l("Till exempel 2018-08-23."),
        validators=[DataRequired(_l("Ange sista svarsdag som ÅÅÅÅ-MM-DD"))],
    )
    deadline_time = TimeField(
        _l("Svara senast, klockan"),
        description=_l("Svensk tid. Svar efter detta tas emot men markeras som sena."),
        validators=[DataRequired(_l("Ange klockslag som TT:MM"))],
    )
    deadline_fold = FoldField()
    deadline_note = TextAreaField(
        _l("Text om svarstiden"),
        description=_l("Visas under sista svarsdagen, till exempel att sena svar är välkomna."),
        validators=[Optional(), Length(max=2000)],
    )
    closes_date = DateField(
        _l("Stänger, datum (frivilligt)"),
        description=_l("Efter stängningstiden kan inget mer skickas in. Lämna tomt för ingen."),
        validators=[Optional()],
    )
    closes_time = TimeField(_l("Stänger, klockan"), validators=[Optional()])
    closes_fold = FoldField()
    reply_to_user_id = SelectField(_l("Svar på e-post går till"), coerce=db_id)
    reminder_days = StringField(
        _l("Påminnelsedagar"),
        description=_l(
            "Dagar före (minus) eller efter svarsdagen, till exempel -7, -2, 1. "
            "Lämna tomt för inga schemalagda påminnelser."
        ),
        validators=[Optional(), Length(max=100)],
    )


class RecipientsForm(FlaskForm):
    networks = MultiCheckboxField(_l("Nätverk"), coerce=db_id)
    organisations = MultiCheckboxField(_l("Hela organisationer"), coerce=db_id)
    contacts = MultiCheckboxField(_l("Enstaka kontakter"), coerce=db_id)


class ReminderForm(FlaskForm):
    invitations = MultiCheckboxField(_l("Påminn"), coerce=db_id)


class ExtensionForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=db_id)
    deadline_date = DateField(
        _l("Ny sista svarsdag"), validators=[DataRequired(_l("Ange datum som ÅÅÅÅ-MM-DD"))]
    )
    deadline_time = TimeField(
        _l("Klockan"), validators=[DataRequired(_l("Ange klockslag som TT:MM"))]
    )
    deadline_fold = FoldField()


class MailTextForm(FlaskForm):
    """A survey's own text for one kind of e-mail; the rules are in
    services/surveys/mail_texts.py (check_mail_text)."""

    subject = StringField(
        _l("Ämne"),
        description=_l("En rad. Platshållare fungerar här också, utom {länk}."),
        validators=[DataRequired(_l("Skriv ett ämne")), Length(max=300)],
    )
    body = TextAreaField(
        _l("Text"),
        description=FORMATTING_HINT,
        validators=[DataRequired(_l("Skriv texten i meddelandet")), Length(max=20_000)],
        render_kw={"rows": 14},
    )
    recipient = SelectField(_l("Förhandsgranska för"), coerce=int, validate_choice=False)
