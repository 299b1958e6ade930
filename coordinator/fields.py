"""Form fields shared by several areas."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes in one fieldset (see macros/forms.html)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
