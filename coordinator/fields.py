"""Form fields shared by several areas."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

# What a person can do in a text field that is shown formatted (Markdown), in their words.
FORMATTING_HINT = _l(
    "Fet stil med **två stjärnor**, punktlistor med - först på raden, tom rad mellan stycken."
)
FORMATTING_WITH_HEADINGS_HINT = _l(
    "Rubriker med ## först på raden, fet stil med **två stjärnor**, punktlistor med - "
    "först på raden, tom rad mellan stycken."
)


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes in one fieldset (see macros/forms.html)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def content_language_field(description: object = None) -> SelectField:
    """The language a survey, project or news item is written in: a page in the other
    interface language marks the text with it (WCAG 3.1.2, language of parts)."""
    return SelectField(
        _l("Språk"),
        description=description,
        choices=[SelectChoice("sv", _l("Svenska")), SelectChoice("en", _l("Engelska"))],
        default="sv",
    )
