"""A survey's introduction is rendered once per text, not on every request: the HTML is
kept by the text itself, so a changed introduction is rendered anew."""

from unittest import mock

from coordinator.services import markdown


def test_the_same_text_is_parsed_once():
    text = "## Om enkäten\n\nSvara *senast* i augusti. " + markdown.__name__
    with mock.patch.object(markdown._parser, "parse", wraps=markdown._parser.parse) as parse:
        first = markdown.render_markdown(text)
        second = markdown.render_markdown(text)
    assert first == second and "<em>senast</em>" in first
    assert parse.call_count == 1


def test_a_changed_text_or_heading_level_is_rendered_anew():
    text = "## Rubrik\n\nEtt stycke."
    assert "<h2>Rubrik</h2>" in markdown.render_markdown(text)
    assert "<h3>Rubrik</h3>" in markdown.render_markdown(text, top=3)
    assert "<h2>Ny rubrik</h2>" in markdown.render_markdown(text.replace("Rubrik", "Ny rubrik"))
