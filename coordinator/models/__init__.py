"""All models, imported here so that Alembic and the app see the whole schema."""

from coordinator.models.audit import AuditEvent
from coordinator.models.inbound import InboundMessage
from coordinator.models.mail_texts import MAIL_TEXT_KINDS, SurveyMailText
from coordinator.models.meetings import (
    ATTENDANCE_ANSWERS,
    Attendance,
    Document,
    DocumentVersion,
    Meeting,
    NewsItem,
    NoteRevision,
    meeting_contacts,
    meeting_networks,
)
from coordinator.models.organisations import Contact, Network, Organisation, network_members
from coordinator.models.outbox import OutboxAttachment, OutboxMessage
from coordinator.models.projects import Project, project_members
from coordinator.models.responses import (
    Answer,
    AnswerFile,
    Invitation,
    ReminderDelivery,
    Response,
)
from coordinator.models.results import ResultsShare
from coordinator.models.surveys import (
    DeadlineExtension,
    OptionList,
    OptionListItem,
    Question,
    Survey,
)
from coordinator.models.users import LoginThrottle, RecoveryCode, User

__all__ = [
    "ATTENDANCE_ANSWERS",
    "MAIL_TEXT_KINDS",
    "SurveyMailText",
    "Attendance",
    "Document",
    "InboundMessage",
    "DocumentVersion",
    "Meeting",
    "NewsItem",
    "NoteRevision",
    "meeting_contacts",
    "meeting_networks",
    "Answer",
    "AnswerFile",
    "AuditEvent",
    "Contact",
    "DeadlineExtension",
    "Invitation",
    "LoginThrottle",
    "Network",
    "OptionList",
    "OptionListItem",
    "Organisation",
    "OutboxAttachment",
    "OutboxMessage",
    "Project",
    "Question",
    "RecoveryCode",
    "ReminderDelivery",
    "Response",
    "ResultsShare",
    "Survey",
    "User",
    "network_members",
    "project_members",
]
