from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField
from wtforms.validators import InputRequired

from coordinator.bidi import isolate_text
from coordinator.i18n import short_datetime
from coordinator.models import Meeting


class CreateMeetingNotesForm(FlaskForm):
    meeting = SelectField(
        _l("Möte"),
        coerce=int,
        validators=[InputRequired(message=_l("Välj mötet som anteckningarna gäller"))],
    )

    def set_meetings(self, meetings: list[Meeting]) -> None:
        self.meeting.choices = [
            SelectChoice(m.id, f"{isolate_text(m.title)} ({short_datetime(m.starts_at)})")
            for m in meetings
        ]
