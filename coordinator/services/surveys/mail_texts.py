"""The survey's e-mails in the coordinator's own words.

A coordinator may rewrite the subject and body of the invitation, the reminder, the
receipt and the "results shared" mail of a survey. The text is plain text with the light
formatting of project notes (Markdown, services/markdown.py) and placeholders in braces
that are filled in for each recipient: {namn}, {organisation}, {enkät}, {projekt},
{sista_dag}, {svarstid} and {länk}. A body must hold {länk}: the personal link is always in
the mail. The plain-text part shows the formatting as readable text (plain_markdown).

Without a text of its own a survey sends the built-in templates (templates/emails/), so
nothing changes for a survey nobody edited. The link is filled in with the stand-in of
services/mail/outbox.py, and the sender puts the token in as the message leaves.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from coordinator.bidi import isolate_html, isolate_text
from coordinator.extensions import db
from coordinator.i18n import long_datetime
from coordinator.models import (
    MAIL_TEXT_KINDS,
    Contact,
    Invitation,
    Organisation,
    Survey,
    SurveyMailText,
    User,
)
from coordinator.services.audit import record_event
from coordinator.services.errors import SurveyError
from coordinator.services.mail.outbox import queue_email
from coordinator.services.markdown import render_markdown
from coordinator.services.surveys.states import effective_deadline

LINK = "länk"
# The frame (footer, opt-out link, the answers of a receipt) around a text of the survey's own.
OWN_TEXT_TEMPLATE = "survey_own_text"
# Where {länk} leads: the answer link, or for "results shared" the board's results page.
LINK_ENDPOINTS = {"results_shared": "shared_results.for_board"}
# The placeholders, in the order the editor offers them, with what each stands for.
PLACEHOLDERS: dict[str, object] = {
    "namn": _l("mottagarens namn"),
    "organisation": _l("mottagarens organisation"),
    "enkät": _l("enkätens titel"),
    "projekt": _l("projektets namn"),
    "sista_dag": _l("sista svarsdag, t.ex. torsdag 23 augusti 2018 23:59"),
    "svarstid": _l("enkätens text om svarstiden (tom om enkäten inte har någon)"),
    LINK: _l("mottagarens personliga länk till enkäten (till resultatet när det är delat)"),
}
SUBJECT_MAX = 300  # OutboxMessage.subject
PLACEHOLDER = re.compile(r"\{([^{}\s]{0,40})\}")

KIND_LABELS: dict[str, object] = {
    "invitation": _l("Inbjudan"),
    "reminder": _l("Påminnelse"),
    "receipt": _l("Kvitto"),
    "results_shared": _l("Resultatet delat"),
}

# The built-in texts written with placeholders: what the editor starts from, in the
# survey's language (built_in_text). They say what templates/emails/survey_<kind>.txt and
# results_shared.txt say, which an unedited survey still sends.
DEFAULTS: dict[str, tuple[object, object]] = {
    "invitation": (
        _l("Enkät: {enkät}"),
        _l(
            "Hej {namn}!\n\n"
            "Projektgruppen för {projekt} vill gärna ha svar från {organisation} på enkäten "
            '"{enkät}".\n\n**Svara senast {sista_dag}.**\n\n'
            "Din personliga länk till enkäten (den gäller tills enkäten stängs; dela den inte):\n"
            "{länk}\n\n"
            "Du kan spara ett utkast och fortsätta senare genom samma länk. Vill du att en "
            "kollega svarar i stället kan du skicka enkäten vidare därifrån.\n"
        ),
    ),
    "reminder": (
        _l("Påminnelse: {enkät}"),
        _l(
            "Hej {namn}!\n\n"
            "En påminnelse: vi har ännu inte fått något svar från {organisation} på enkäten "
            '"{enkät}".\n\n**Svara senast {sista_dag}.** {svarstid}\n\n{länk}\n'
        ),
    ),
    "receipt": (
        _l("Kvitto: {enkät}"),
        _l(
            'Tack för ditt svar på "{enkät}"!\n\n'
            "Du kan ändra svaren genom samma länk tills enkäten stängs:\n{länk}\n"
        ),
    ),
    "results_shared": (
        _l("Resultat: {enkät}"),
        _l(
            "Hej {namn}!\n\n"
            'Nu kan {organisation} se det sammanställda resultatet av enkäten "{enkät}": '
            "diagram, antal svar och länsstyrelsernas svar.\n\n{länk}\n"
        ),
    ),
}


def built_in_text(kind: str, language: str) -> tuple[str, str]:
    """(subject, body) of the built-in text, in this language."""
    subject, body = DEFAULTS[kind]
    with force_locale(language or "sv"):
        return str(subject), str(body)


@dataclass(frozen=True)
class MailValues:
    """What the placeholders stand for in one recipient's mail."""

    name: str
    organisation: str
    survey: str
    project: str
    deadline: str
    deadline_note: str
    link: str

    def by_placeholder(self) -> dict[str, str]:
        return {
            "namn": self.name,
            "organisation": self.organisation,
            "enkät": self.survey,
            "projekt": self.project,
            "sista_dag": self.deadline,
            "svarstid": self.deadline_note,
            LINK: self.link,
        }


@dataclass(frozen=True)
class ComposedMail:
    """One recipient's mail from a survey's own text: a one-line subject, the plain-text
    body and the HTML body (user text escaped, Markdown sanitised)."""

    subject: str
    text: str
    html: Markup

    def context(self) -> dict[str, object]:
        """For templates/emails/survey_own_text.*, which frame the body."""
        return {"body_text": self.text, "body_html": self.html}


def recipient_values(
    survey: Survey, contact: Contact, organisation: Organisation, link: str
) -> MailValues:
    """The values for this contact, the deadline written in the survey's language (that
    of the text the coordinator wrote)."""
    with force_locale(survey.language or "sv"):
        deadline = long_datetime(effective_deadline(survey, organisation.id))
    return MailValues(
        name=contact.name,
        organisation=organisation.name,
        survey=survey.title,
        project=survey.project.title,
        deadline=deadline,
        deadline_note=survey.deadline_note or "",
        link=link,
    )


def survey_mail(
    survey: Survey,
    kind: str,
    contact: Contact,
    organisation: Organisation,
    link: str,
) -> ComposedMail | None:
    """This contact's mail in the survey's own words; None when the survey has no own
    text for this kind (the caller then sends its template)."""
    own = mail_text(survey, kind)
    if own is None:
        return None
    return compose(own.subject, own.body, recipient_values(survey, contact, organisation, link))


def queue_survey_mail(
    survey: Survey,
    kind: str,
    contact: Contact,
    organisation: Organisation,
    link: str,
    *,
    template: str,
    subject: str,
    context: dict[str, Any],
    to_name: str,
    cause: tuple[str, int | None],
    secret_links: Mapping[str, Sequence[Any]],
    now: datetime,
) -> None:
    """Queue one of the survey's mails to a contact: in the survey's own words when it has
    them for `kind` (and so in the survey's language), otherwise `template` and `subject`
    in the contact's language. Replies go to the survey's reply-to person."""
    language = contact.language
    own = survey_mail(survey, kind, contact, organisation, link)
    if own is not None:
        template, subject, language = OWN_TEXT_TEMPLATE, own.subject, survey.language
        context = context | own.context()
    queue_email(
        to_email=contact.email or "",
        to_name=to_name,
        contact=contact,
        organisation_id=organisation.id,
        template=template,
        context=context,
        secret_links=secret_links,
        subject=subject,
        cause=cause,
        reply_to=survey.reply_to_user.email if survey.reply_to_user else None,
        language=language,
        now=now,
    )


def preview_recipients(survey: Survey) -> list[Invitation]:
    """Invited people whose mail can be previewed (not revoked, personal data kept)."""
    invitations = db.session.scalars(
        select(Invitation)
        .join(Contact, Invitation.contact_id == Contact.id)
        .where(Invitation.survey_id == survey.id, Invitation.revoked_at.is_(None))
        .order_by(Contact.name, Invitation.id)
    )
    return [i for i in invitations if i.contact is not None and not i.contact.erased]


def check_mail_text(subject: str, body: str) -> None:
    """SurveyError (on the field) unless both are filled in, the subject is one line
    without the link, every placeholder is known and the body holds the link."""
    if not subject.strip():
        raise SurveyError(_l("Skriv ett ämne"), "subject")
    if any(c in subject for c in "\r\n\x00"):
        raise SurveyError(_l("Ämnet måste stå på en rad."), "subject")
    if not body.strip():
        raise SurveyError(_l("Skriv texten i meddelandet"), "body")
    for field, text in (("subject", subject), ("body", body)):
        unknown = [name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]
        if unknown:
            raise SurveyError(
                _l(
                    "Okänd platshållare {%(name)s}. Använd bara %(known)s.",
                    name=unknown[0],
                    known=", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
                ),
                field,
            )
    if f"{{{LINK}}}" in subject:
        raise SurveyError(
            _l("Länken kan inte stå i ämnet, bara i texten: den är personlig."), "subject"
        )
    if f"{{{LINK}}}" not in body:
        raise SurveyError(
            _l("Texten måste innehålla {länk}: mottagaren behöver sin personliga länk."), "body"
        )


def mail_text(survey: Survey, kind: str) -> SurveyMailText | None:
    """The survey's own text for this kind of mail, or None when it sends the built-in one."""
    return db.session.scalar(
        select(SurveyMailText).where(
            SurveyMailText.survey_id == survey.id, SurveyMailText.kind == kind
        )
    )


def editable_text(survey: Survey, kind: str) -> tuple[str, str, bool]:
    """(subject, body, edited): the survey's own text, or the built-in one to start from."""
    own = mail_text(survey, kind)
    if own is not None:
        return own.subject, own.body, True
    return (*built_in_text(kind, survey.language), False)


def save_mail_text(
    survey: Survey, kind: str, subject: str, body: str, actor: User | None, now: datetime
) -> SurveyMailText:
    """Store the survey's own text for this kind of mail, after check_mail_text."""
    if kind not in MAIL_TEXT_KINDS:
        raise SurveyError(_l("Okänd sorts e-post."))
    check_mail_text(subject, body)
    text = mail_text(survey, kind) or SurveyMailText(survey_id=survey.id, kind=kind)
    text.subject = subject.strip()
    text.body = body.replace("\r\n", "\n")
    text.updated_at = now
    text.updated_by_id = actor.id if actor else None
    db.session.add(text)
    db.session.flush()
    record_event(
        actor, "survey.mail_text", "survey", survey.id, survey.title, {"kind": kind}, now=now
    )
    return text


def reset_mail_text(survey: Survey, kind: str, actor: User | None, now: datetime) -> None:
    """Go back to the built-in text for this kind of mail."""
    text = mail_text(survey, kind)
    if text is None:
        return
    db.session.delete(text)
    db.session.flush()
    record_event(
        actor, "survey.mail_text_reset", "survey", survey.id, survey.title, {"kind": kind}, now=now
    )


def copy_mail_texts(source: Survey, target: Survey) -> None:
    """Give `target` the same own texts as `source` (when a survey is copied)."""
    for text in db.session.scalars(
        select(SurveyMailText).where(SurveyMailText.survey_id == source.id)
    ):
        db.session.add(
            SurveyMailText(
                survey_id=target.id,
                kind=text.kind,
                subject=text.subject,
                body=text.body,
                updated_at=text.updated_at,
                updated_by_id=text.updated_by_id,
            )
        )
    db.session.flush()


def fill_text(text: str, values: Mapping[str, str]) -> str:
    """Plain text with each placeholder replaced by its value (unknown ones left as typed)."""
    return PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), text)


def compose(subject: str, body: str, values: MailValues, top: int = 2) -> ComposedMail:
    """The mail for one recipient. The subject is kept on one line whatever the values
    hold, and shortened to what the outbox keeps. In the HTML part the values are escaped
    after the Markdown is rendered, so a name can neither add markup nor turn into
    formatting, and the link goes only where {länk} stands. The text's highest heading
    becomes an h`top` (services/markdown.py)."""
    plain = {name: isolate_text(value) for name, value in values.by_placeholder().items()}
    plain[LINK] = values.link
    one_line = " ".join(fill_text(subject, plain).split())
    if len(one_line) > SUBJECT_MAX:  # the outbox keeps at most this much
        one_line = one_line[: SUBJECT_MAX - 1] + "…"
    return ComposedMail(
        subject=one_line,
        # No trailing spaces: an empty value ({svarstid}) at a line's end leaves none.
        text=re.sub(r"[ \t]+$", "", fill_text(plain_markdown(body), plain), flags=re.M),
        html=_html_body(body, values, top),
    )


# The light formatting, as it reads in plain text: markers dropped, links as "text (url)",
# list items with a dash. The values are filled in afterwards and so kept as they are.
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s\\])\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s\\])_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"^(\s{0,3})#{1,6}\s+(.*?)(\s+#+)?\s*$"), r"\1\2"),
    (re.compile(r"^(\s*)[*+](\s)"), r"\1-\2"),
    (re.compile(r"\\([\\`*_\[\]()#+.!>~|-])"), r"\1"),
]
_LINK = re.compile(r"\[([^\]]+)\]\(\s*([^)\s]+)\s*\)")


def _link_text(match: re.Match[str]) -> str:
    text, url = match[1], match[2]
    return url if text == url else f"{text} ({url})"


def plain_markdown(text: str) -> str:
    """The text as it reads without its formatting (outside fenced code): `**fet**` as
    fet, `[Öppna](url)` as "Öppna (url)", list items with "- "."""
    lines = []
    in_code = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if not in_code:
            line = _LINK.sub(_link_text, line)
            for pattern, replacement in _INLINE:
                line = pattern.sub(replacement, line)
        lines.append(line)
    return "\n".join(lines)


_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def _html_body(body: str, values: MailValues, top: int) -> Markup:
    """Markdown rendered with each placeholder first replaced by a random word, which
    passes Markdown and the sanitiser unchanged; then each word is replaced by its escaped
    value. Inside an attribute the value goes in as text, except that a link target
    ([text]({länk})) takes only the link: a name there could be a javascript: address.
    Elsewhere {länk} becomes a link."""
    nonce = secrets.token_hex(8)
    words = {name: f"x{nonce}p{i}x" for i, name in enumerate(PLACEHOLDERS)}
    html = str(render_markdown(fill_text(body, words), top=top))
    by_name = values.by_placeholder()
    in_attribute = {words[name]: str(escape(value)) for name, value in by_name.items()}
    in_text = {words[name]: str(isolate_html(value)) for name, value in by_name.items()}
    link = escape(values.link)
    in_text[words[LINK]] = str(Markup('<a href="{0}">{0}</a>').format(link))
    word = re.compile("|".join(in_text))

    in_href = dict.fromkeys(in_attribute, "") | {words[LINK]: str(link)}

    def attribute(match: re.Match[str]) -> str:
        values = in_href if match[1] == "href" else in_attribute
        return f'{match[1]}="' + word.sub(lambda m: values[m[0]], match[2]) + '"'

    html = _ATTRIBUTE.sub(attribute, html)
    html = word.sub(lambda m: in_text[m[0]], html)
    return Markup(html)  # noqa: S704 - sanitised Markdown with escaped values
