"""One way for a rule to fail: an error with a message fit to show and, optionally, the form
field it belongs to. Views put it on that field with `coordinator.form_errors.show_error`.

Messages are lazy strings (`lazy_gettext`), so they are translated into the language of the
page that shows them, not the language that was active when the rule was checked.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _


class RuleError(ValueError):
    """A business rule was broken; `str(error)` is the message in the reader's language."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class SurveyError(RuleError):
    """A rule about surveys, questions, invitations or answers."""


class PastDeadlineError(SurveyError):
    """Opening a survey or inviting to it after its deadline needs a confirmation: the
    invitations would say "Svara senast" a day that has passed."""

    def __init__(self, deadline: Any) -> None:
        super().__init__(_("Sista svarsdagen har redan passerat."))
        self.deadline = deadline


class ClosedError(RuleError):
    """The survey no longer takes answers."""

    def __init__(self, message: Any = None, field: str | None = None) -> None:
        super().__init__(message or _("Enkäten är stängd och tar inte emot fler svar."), field)


class RegisterError(RuleError):
    """A rule about organisations, contacts or networks."""


class ContactImportError(RegisterError):
    """A contact file cannot be imported as a whole."""


class ProjectError(RuleError):
    """A rule about projects."""


class MeetingError(RuleError):
    """A rule about meetings and their notes."""


class NewsError(RuleError):
    """A rule about news items."""


class DocumentError(RuleError):
    """An uploaded file cannot be accepted."""


class MailError(RuleError):
    """A message cannot be queued as asked."""


class UserError(RuleError):
    """A rule about staff accounts."""


class BackupError(RuleError):
    """A backup or restore cannot be done."""
