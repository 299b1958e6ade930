"""A longer answer in a text area, often in bullet points."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordinator.services.surveys.kinds.free_text import FreeText


class LongText(FreeText):
    name = "long_text"
    label = _l("Lång text")
    export_label = "Lång text"
