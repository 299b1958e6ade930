from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField
from wtforms.validators import InputRequired

from coordinator.bidi import isolate_text
from coordinator.fields import db_id
from coordinator.i18n import short_datetime
from coordinator.models import Meeting


class CreateMeetingNotesForm(FlaskForm):
    meeting = SelectField(
        _l("Möte"),
        coerce=db_id,
        validators=[InputRequired(message=_l("Välj mötet som anteckningarna gäller"))],
        # Every option is a meeting, so the list is never empty; HTML's `required` on a
        # select asks for an empty first option, which this list has no use for.
        render_kw={"required": False},
    )

    def set_meetings(self, meetings: list[Meeting]) -> None:
        self.meeting.choices = [
            SelectChoice(m.id, f"{isolate_text(m.title)} ({short_datetime(m.starts_at)})")
            for m in meetings
        ]
