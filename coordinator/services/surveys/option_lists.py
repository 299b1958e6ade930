"""Ready-made option lists offered when building a question, such as SNI 2007."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import OptionList
from coordinator.services.errors import SurveyError


def option_items(key: str) -> list[dict[str, str]]:
    option_list = db.session.scalar(select(OptionList).where(OptionList.key == key))
    if option_list is None:
        raise SurveyError(_l("Alternativlistan %(key)s finns inte. Kör flask seed.", key=key))
    return [{"value": i.code, "label": f"{i.code} {i.label}"} for i in option_list.items]
