from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField
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


class ShareResultsForm(FlaskForm):
    """ "Dela resultatet med länsstyrelserna": what the boards see through their links."""

    include_free_text = BooleanField(
        _l("Ta med fritextsvaren"),
        default=True,
        description=_l("Kommentarer och textsvar visas per organisation, utan namn på personer."),
    )
    include_attachments = BooleanField(_l("Ta med bilagorna"), default=False)
    on_public_page = BooleanField(
        _l("Visa resultatet även på projektets öppna sida"),
        default=False,
        description=_l("Då kan alla med länken till den öppna sidan se det."),
    )
    notify = BooleanField(
        _l("Skicka e-post om resultatet till alla som fått en inbjudan"), default=True
    )
