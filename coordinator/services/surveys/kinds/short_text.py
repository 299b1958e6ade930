"""A short answer on one line."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordinator.services.surveys.kinds.free_text import FreeText


class ShortText(FreeText):
    name = "short_text"
    label = _l("Kort text")
    export_label = "Kort text"
