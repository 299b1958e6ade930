"""The forms of the personal-link pages: passing a survey on, answering a meeting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from coordinator.text import single_line_filter


class PassOnForm(FlaskForm):
    name = StringField(
        _l("Kollegans namn"),
        filters=[single_line_filter],
        validators=[DataRequired(_l("Ange kollegans namn")), Length(max=200)],
    )
    email = EmailField(
        _l("Kollegans e-postadress"),
        description=_l("Kollegan måste arbeta på samma organisation och får en egen länk."),
        validators=[DataRequired(_l("Ange kollegans e-postadress")), Length(max=254)],
    )


class MeetingAnswerForm(FlaskForm):
    answer = RadioField(
        _l("Kommer du till mötet?"),
        choices=[
            SelectChoice("accepted", _l("Jag kommer")),
            SelectChoice("declined", _l("Jag kommer inte")),
            SelectChoice("tentative", _l("Kanske")),
        ],
        validators=[InputRequired(_l("Välj om du kommer"))],
    )
