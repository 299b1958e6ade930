"""User text never reorders the text around it: <bdi> in HTML, FSI/PDI in plain text."""

from flask import render_template_string
from markupsafe import Markup

from coordinator.bidi import (
    FSI,
    PDI,
    isolate_format,
    isolate_html,
    isolate_message,
    isolate_text,
    needs_isolation,
)

RLO = "\u202e"
NAME = f"Göran {RLO}nälsdnaltoG"
ARABIC = "مريم"


def test_what_needs_isolating():
    assert needs_isolation(NAME) and needs_isolation(ARABIC)
    assert needs_isolation("a\u2067b")  # a right-to-left isolate
    assert not needs_isolation("Göran Jönsson <goran@example.org>, Länsstyrelsen Skåne")


def test_plain_text_gets_fsi_and_pdi_only_where_needed():
    assert isolate_text(NAME) == f"{FSI}{NAME}{PDI}"
    assert isolate_text("Anna Andersson") == "Anna Andersson"
    assert isolate_text(None) == ""


def test_html_gets_bdi_and_is_escaped():
    assert str(isolate_html(f"<b>{RLO}x")) == f"<bdi>&lt;b&gt;{RLO}x</bdi>"
    assert str(isolate_html("<b>Anna</b>")) == "&lt;b&gt;Anna&lt;/b&gt;"
    label = isolate_format("{} <{}>, {}", NAME, "a@example.org", "Gotlands län")
    assert isinstance(label, Markup)
    assert str(label) == f"<bdi>{NAME}</bdi> &lt;a@example.org&gt;, Gotlands län"
    message = isolate_message("Kontaktpersonen %(name)s är <sparad>.", name=f"<i>{RLO}")
    assert str(message) == f"Kontaktpersonen <bdi>&lt;i&gt;{RLO}</bdi> är &lt;sparad&gt;."


def test_the_filter_follows_the_template(app):
    with app.test_request_context():
        html = render_template_string("<p>{{ name|isolate }}, län</p>", name=NAME)
        assert html == f"<p><bdi>{NAME}</bdi>, län</p>"
        # Plain-text mail templates (.txt) are rendered without autoescaping.
        text = "{% autoescape false %}{{ name|isolate }}, län{% endautoescape %}"
        assert render_template_string(text, name=NAME) == f"{FSI}{NAME}{PDI}, län"
