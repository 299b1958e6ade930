"""Forms for managing staff accounts and filtering the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from coordinator.services.accounts.users import MIN_PASSWORD_LENGTH

ROLE_CHOICES = [
    SelectChoice("coordinator", _l("Samordnare – bygger enkäter, skickar, följer upp")),
    SelectChoice("viewer", _l("Läsare – ser allt, ändrar inget")),
    SelectChoice("admin", _l("Administratör – hanterar även konton och registret")),
]


class UserForm(FlaskForm):
    name = StringField(
        _l("Namn"),
        validators=[
            DataRequired(_l("Ange ett namn")),
            Length(max=200, message=_l("Högst 200 tecken")),
        ],
    )
    role = SelectField(_l("Roll"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Kontot är aktivt"), default=True)


class NewUserForm(UserForm):
    email = EmailField(
        _l("E-postadress"),
        validators=[
            DataRequired(_l("Ange en e-postadress")),
            Email(_l("Ange en e-postadress i rätt format, till exempel namn@lansstyrelsen.se")),
        ],
    )
    password = PasswordField(
        _l("Lösenord"),
        description=_l(
            "Minst %(n)s tecken. Lämna det till personen på ett säkert sätt. Lämna tomt om "
            "personen bara ska logga in med organisationens konto.",
            n=MIN_PASSWORD_LENGTH,
        ),
        validators=[
            Optional(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Lösenordet måste ha minst %(n)s tecken", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = StringField(_l("Händelse"), validators=[Optional(), Length(max=60)])
    object_type = SelectField(_l("Objekttyp"), validators=[Optional()])
    actor = SelectField(_l("Vem"), validators=[Optional()])
    since = DateField(_l("Från och med"), validators=[Optional()])
    until = DateField(_l("Till och med"), validators=[Optional()])


class PersonalDataSearchForm(FlaskForm):
    class Meta:
        csrf = False

    email = EmailField(
        _l("E-postadress"),
        description=_l(
            "Visar allt som finns lagrat om adressen: kontakter, konton, svar och e-post."
        ),
        validators=[
            DataRequired(_l("Ange en e-postadress")),
            Email(_l("Ange en e-postadress i rätt format, till exempel namn@lansstyrelsen.se")),
        ],
    )


class EraseConfirmForm(FlaskForm):
    email = HiddenField(validators=[DataRequired()])
    confirm = BooleanField(
        _l("Jag förstår att personuppgifterna raderas och inte kan återställas"),
        validators=[DataRequired(_l("Bekräfta att personuppgifterna ska raderas"))],
    )


class AccountActionForm(FlaskForm):
    """A button on a staff account (log out everywhere, reset the second factor)."""
