"""The form for passing a survey on to a colleague."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Length


class PassOnForm(FlaskForm):
    name = StringField(
        _l("Kollegans namn"),
        validators=[DataRequired(_l("Ange kollegans namn")), Length(max=200)],
    )
    email = EmailField(
        _l("Kollegans e-postadress"),
        description=_l("Kollegan måste arbeta på samma organisation och får en egen länk."),
        validators=[DataRequired(_l("Ange kollegans e-postadress")), Length(max=254)],
    )
