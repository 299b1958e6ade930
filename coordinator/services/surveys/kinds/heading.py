"""A heading with sub-questions under it ("2. Hur verkar ni …" with 2a–2d); no answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordinator.services.surveys.kinds.base import QuestionKind


class Heading(QuestionKind):
    name = "heading"
    label = _l("Rubrik med delfrågor")
    export_label = "Rubrik"
    answerable = False
