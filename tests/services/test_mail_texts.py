"""A survey's e-mails in the coordinator's own words: which texts are accepted, what a
recipient gets, and that an unedited survey sends what it always sent."""

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import OutboxMessage, SurveyMailText
from coordinator.services.errors import SurveyError
from coordinator.services.mail.secret_links import fill, tokens_for
from coordinator.services.results.sharing import (
    ShareOptions,
    queue_results_shared_mail,
    share_results,
)
from coordinator.services.surveys.building import copy_survey
from coordinator.services.surveys.invitations import find_invitation_by_token, invite
from coordinator.services.surveys.mail_texts import (
    DEFAULTS,
    MailValues,
    built_in_text,
    check_mail_text,
    compose,
    editable_text,
    reset_mail_text,
    save_mail_text,
    survey_mail,
)
from coordinator.services.surveys.reminders import send_reminders
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    queue_receipt,
    save_answers,
    submit_response,
)
from tests.factories import (
    make_contact,
    make_invitation,
    make_organisation,
    make_survey,
    make_user,
)

NOW = datetime(2018, 8, 1, 10, 0, tzinfo=UTC)
BODY = "Hej {namn} på {organisation}!\n\nSvara senast {sista_dag}:\n{länk}\n"
VALUES = MailValues(
    name="Karin",
    organisation="Länsstyrelsen i Skåne",
    survey="Enkät",
    project="Projekt",
    deadline="torsdag 23 augusti 2018 23:59",
    deadline_note="",
    link="http://localhost/r/secret-0123456789abcdef01234567",
)


@pytest.mark.parametrize(
    ("subject", "body", "field", "words"),
    [
        ("", BODY, "subject", "ämne"),
        ("Påminnelse\r\nBcc: alla@example.org", BODY, "subject", "en rad"),
        ("Påminnelse", "", "body", "texten"),
        ("Påminnelse", "Hej {namn}! Svara här.", "body", "{länk}"),
        ("Påminnelse", "Hej {förnamn}! {länk}", "body", "{förnamn}"),
        ("Hej {Namn}", BODY, "subject", "{Namn}"),
        ("Din länk {länk}", BODY, "subject", "ämnet"),
    ],
)
def test_a_text_is_refused_with_the_reason_at_its_field(app, subject, body, field, words):
    with pytest.raises(SurveyError) as caught:
        check_mail_text(subject, body)
    assert caught.value.field == field
    assert words.lower() in str(caught.value).lower()


def test_every_built_in_text_is_accepted_in_both_languages(app):
    for kind in DEFAULTS:
        for language in ("sv", "en"):
            check_mail_text(*built_in_text(kind, language))
    assert built_in_text("reminder", "en")[0] == "Reminder: {enkät}"


def test_placeholders_are_filled_in_both_parts():
    mail = compose("Påminnelse till {organisation}: {enkät}", BODY, VALUES)
    assert mail.subject == "Påminnelse till Länsstyrelsen i Skåne: Enkät"
    assert mail.text == (
        "Hej Karin på Länsstyrelsen i Skåne!\n\n"
        "Svara senast torsdag 23 augusti 2018 23:59:\n"
        "http://localhost/r/secret-0123456789abcdef01234567\n"
    )
    assert f'<a href="{VALUES.link}">{VALUES.link}</a>' in mail.html
    assert "<p>Hej Karin på Länsstyrelsen i Skåne!</p>" in mail.html


def test_hostile_values_and_text_are_escaped_in_the_html_part():
    hostile = MailValues(
        name='<script>alert(1)</script> "Eve" **fet**',
        organisation="<img src=x onerror=alert(1)>",
        survey="[klicka](javascript:alert(1))",
        project="&amp;",
        deadline="idag",
        deadline_note="<i>sent</i>",
        link="http://localhost/r/x?a=1&b=2",
    )
    body = (
        "<b>fet</b> <script>alert(2)</script> {namn} {organisation} {enkät} {projekt} "
        "{svarstid}\n\n"
        "[Öppna enkäten]({länk}) [namn]({namn}) [kalle](javascript:alert(3))\n"
    )
    html = str(compose("Hej", body, hostile).html)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;Eve&#34; **fet**" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;i&gt;sent&lt;/i&gt;" in html
    assert "&amp;amp;" in html
    # The link goes where {länk} is, also as a link target; a name never becomes one.
    assert (
        '<a href="http://localhost/r/x?a=1&amp;b=2" rel="noopener noreferrer">Öppna enkäten</a>'
        in html
    )
    assert '<a href="" rel="noopener noreferrer">namn</a>' in html


def test_values_cannot_add_lines_to_the_subject():
    mail = compose("Till {namn}", BODY, replace(VALUES, name="A\r\nBcc: x@y.z"))
    assert mail.subject == "Till A Bcc: x@y.z"


def test_a_long_subject_is_shortened_to_what_the_outbox_keeps():
    mail = compose("{enkät} – {projekt}", BODY, replace(VALUES, survey="å" * 300))
    assert len(mail.subject) == 300 and mail.subject.endswith("å…")


def test_saving_checks_and_audits_and_reset_returns_to_the_built_in_text(app):
    survey = make_survey()
    user = make_user()
    with pytest.raises(SurveyError):
        save_mail_text(survey, "reminder", "Påminnelse", "Ingen länk", user, NOW)
    save_mail_text(survey, "reminder", "Påminnelse om {enkät}", BODY, user, NOW)
    assert editable_text(survey, "reminder") == ("Påminnelse om {enkät}", BODY, True)
    assert editable_text(survey, "invitation") == (*built_in_text("invitation", "sv"), False)
    save_mail_text(survey, "reminder", "Andra", BODY, user, NOW)
    assert db.session.query(SurveyMailText).count() == 1
    reset_mail_text(survey, "reminder", user, NOW)
    assert editable_text(survey, "reminder") == (*built_in_text("reminder", "sv"), False)


def test_the_texts_are_copied_with_the_survey(app):
    survey = make_survey()
    user = make_user()
    save_mail_text(survey, "invitation", "Välkommen, {namn}", BODY, user, NOW)
    save_mail_text(survey, "receipt", "Tack", "Tack! {länk}", user, NOW)
    copy = copy_survey(survey, user, NOW)
    assert editable_text(copy, "invitation") == ("Välkommen, {namn}", BODY, True)
    assert editable_text(copy, "receipt") == ("Tack", "Tack! {länk}", True)
    assert editable_text(copy, "reminder")[2] is False
    # Changing the copy leaves the original as it was.
    save_mail_text(copy, "receipt", "Tack igen", "{länk}", user, NOW)
    assert editable_text(survey, "receipt")[0] == "Tack"


def _sent(message: OutboxMessage) -> tuple[str, str]:
    tokens = tokens_for([message])
    return fill(message.text_body, tokens), fill(message.html_body, tokens)


def test_an_edited_reminder_is_queued_with_a_working_link(app):
    survey = make_survey(deadline_at=datetime(2018, 8, 23, 21, 59, tzinfo=UTC))
    contact = make_contact(make_organisation("Skåne", "12"), name="Karin <b>Ek</b>")
    invitation, _ = make_invitation(survey, contact)
    save_mail_text(survey, "reminder", "Glöm inte {enkät}, {namn}", BODY, None, NOW)
    send_reminders(survey, [invitation], None, NOW)
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.cause_type == "reminder"))
    assert message.subject == "Glöm inte Enkät om näringslivet, Karin <b>Ek</b>"
    text, html = _sent(message)
    assert "Hej Karin <b>Ek</b> på Skåne!" in text
    assert "torsdag 23 augusti 2018 23:59" in text
    assert "Karin &lt;b&gt;Ek&lt;/b&gt;" in html and "<b>Ek" not in html
    token = text.split("/r/")[1].split()[0]
    assert find_invitation_by_token(token).id == invitation.id
    assert f"/r/{token}" in html
    # The frame stays: the opt-out link at the foot.
    assert "/unsubscribe/" in text


def test_an_unedited_survey_sends_the_templates(app):
    survey = make_survey()
    invite(survey, [make_contact()], None, NOW)
    message = db.session.scalar(select(OutboxMessage))
    assert message.subject == f"Enkät: {survey.title}"
    assert "Projektgruppen för" in message.text_body
    assert survey_mail(survey, "invitation", make_contact(), make_organisation(), "x") is None


def test_an_edited_receipt_keeps_the_copy_of_the_answers(app):
    survey = make_survey(deadline_at=datetime(2018, 8, 23, 21, 59, tzinfo=UTC))
    invitation, _ = make_invitation(survey, make_contact())
    save_mail_text(survey, "receipt", "Tack, {organisation}", "Tack! Ändra här: {länk}", None, NOW)
    response = get_or_create_response(invitation, NOW)
    q = {q.number: q for q in survey.questions}
    answers = {q["1"].id: AnswerInput(choice="yes"), q["2a"].id: AnswerInput(text="Klimat 2030")}
    save_answers(response, answers, response.version, NOW)
    assert submit_response(response, NOW) == {}
    queue_receipt(response, NOW)
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.cause_type == "receipt"))
    assert message.subject == f"Tack, {invitation.organisation.name}"
    text, html = _sent(message)
    assert text.startswith("Tack! Ändra här: http://localhost/r/")
    assert "Klimat 2030" in text and "Klimat 2030" in html


def test_an_edited_results_shared_mail_links_to_the_boards_results(app):
    survey = make_survey(deadline_at=datetime(2018, 8, 23, 21, 59, tzinfo=UTC))
    invitation, _ = make_invitation(survey, make_contact())
    invitation.sent_at = NOW
    share = share_results(survey, ShareOptions(), None, NOW)
    save_mail_text(survey, "results_shared", "Se {enkät}", "Resultatet: {länk}", None, NOW)
    assert queue_results_shared_mail(survey, share, NOW) == 1
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.cause_type == "results_shared")
    )
    assert message.subject == f"Se {survey.title}"
    text, html = _sent(message)
    assert text.startswith("Resultatet: http://localhost/r/")
    token = re.search(r"http://localhost/r/(\S+)/results\n", text)[1]
    assert find_invitation_by_token(token).id == invitation.id
    assert f'href="http://localhost/r/{token}/results"' in html


def test_the_text_part_shows_the_light_formatting_as_readable_plain_text():
    body = (
        "# Viktigt\n\n"
        "Hej {namn}! **Svara senast {sista_dag}.** Det är *viktigt* och _bra_, "
        "inte ~~valfritt~~. Skriv `ja`.\n\n"
        "- Läs [instruktionen](https://example.org/a_b_c)\n"
        "* Svara här: [Öppna enkäten]({länk})\n"
        "1. Se <https://example.org/x>\n\n"
        "Stjärnor \\*som tecken\\* och 2 * 3 och file_name_x stannar.\n"
    )
    values = replace(VALUES, name="Karin **Ek**")
    assert compose("Ämne", body, values).text == (
        "Viktigt\n\n"
        "Hej Karin **Ek**! Svara senast torsdag 23 augusti 2018 23:59. Det är viktigt och "
        "bra, inte valfritt. Skriv ja.\n\n"
        "- Läs instruktionen (https://example.org/a_b_c)\n"
        f"- Svara här: Öppna enkäten ({VALUES.link})\n"
        "1. Se https://example.org/x\n\n"
        "Stjärnor *som tecken* och 2 * 3 och file_name_x stannar.\n"
    )


def test_an_edited_reminder_can_keep_the_surveys_note_on_the_deadline(app):
    survey = make_survey(deadline_at=datetime(2018, 8, 23, 21, 59, tzinfo=UTC))
    survey.deadline_note = "Sena svar tas också emot."
    invitation, _ = make_invitation(survey, make_contact())
    subject, body = built_in_text("reminder", "sv")
    assert "{svarstid}" in body
    save_mail_text(survey, "reminder", subject, body, None, NOW)
    send_reminders(survey, [invitation], None, NOW)
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.cause_type == "reminder"))
    text, html = _sent(message)
    assert "Svara senast torsdag 23 augusti 2018 23:59. Sena svar tas också emot." in text
    assert "Sena svar tas också emot." in html
    # Without a note the placeholder leaves nothing behind.
    mail = compose(subject, "Svara senast {sista_dag}. {svarstid}\n{länk}", VALUES)
    assert mail.text.startswith("Svara senast torsdag 23 augusti 2018 23:59.\n")
