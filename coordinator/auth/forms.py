"""Forms for logging in and changing one's password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from coordinator.services.accounts.users import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(_l("Ange din e-postadress"))])
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(_l("Ange ditt lösenord"))])


# Made before the new-password fields, so that WTForms (which orders fields by creation)
# lists it first in the error summary, as on the page.
CURRENT_PASSWORD = PasswordField(
    _l("Nuvarande lösenord"), validators=[DataRequired(_l("Ange ditt nuvarande lösenord"))]
)


class NewPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("Nytt lösenord"),
        description=_l("Minst %(n)s tecken.", n=MIN_PASSWORD_LENGTH),
        validators=[
            DataRequired(_l("Ange ett nytt lösenord")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Lösenordet måste ha minst %(n)s tecken", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Upprepa det nya lösenordet"),
        validators=[
            DataRequired(_l("Upprepa det nya lösenordet")),
            EqualTo("new_password", _l("Lösenorden är inte lika")),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = CURRENT_PASSWORD


class PasswordResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-postadress"),
        description=_l("Adressen du loggar in med."),
        validators=[DataRequired(_l("Ange din e-postadress"))],
    )


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Kod"),
        description=_l(
            "Sex siffror från appen för tvåstegsverifiering, eller en av dina reservkoder."
        ),
        validators=[DataRequired(_l("Skriv in koden")), Length(max=40)],
    )


class ConfirmAppForm(FlaskForm):
    code = StringField(
        _l("Kod från appen"),
        description=_l("Sex siffror. Koden byts var 30:e sekund."),
        validators=[DataRequired(_l("Skriv in koden som appen visar")), Length(max=12)],
    )


class ButtonForm(FlaskForm):
    """A form that is only a button (and its CSRF token)."""
