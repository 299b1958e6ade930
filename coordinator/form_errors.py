"""Putting a rule's error on the form, so the error summary links to the field it is about."""

from __future__ import annotations

from flask_wtf import FlaskForm

from coordinator.services.errors import RuleError


def show_error(form: FlaskForm, error: RuleError, default_field: str) -> None:
    """Add `error`'s message to the field it names, or to `default_field`."""
    name = error.field if error.field and error.field in form else default_field
    form[name].errors = [*form[name].errors, str(error)]
