"""PDF documents made from HTML with WeasyPrint: the workshop handout and the receipts.

Every PDF is tagged (PDF/UA-1: a structure tree, the document language from
`<html lang>`, the title from `<title>` shown in the viewer's title bar) so that a screen
reader can read it and the text stays selectable and searchable. The print stylesheet is
parsed once per process and shared by every document.

User text only ever reaches the HTML escaped, and the templates make no links from it,
so a PDF carries no link annotation or script made from an answer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache
from typing import IO

from flask import render_template
from flask_babel import force_locale
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

PDF_VARIANT = "pdf/ua-1"
DOCUMENT_LANGUAGE = "sv"  # the workshop's paper is Swedish whatever the interface language
# CPU time per response of the slower PDF download, the zip of receipts (56 ms a receipt
# in `python bench/export.py --pdf-only`; the handout takes 22 ms a response).
SECONDS_PER_RESPONSE = 0.06
WORTH_SAYING = 10  # seconds of waiting a person notices


@cache
def _fonts() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet() -> CSS:
    return CSS(string=render_template("results/pdf/print.css"), font_config=_fonts())


def render_html(template: str, **context: object) -> str:
    """The document's HTML in Swedish."""
    with force_locale(DOCUMENT_LANGUAGE):
        return render_template(template, **context)


def write_pdf(html: str, target: IO[bytes]) -> None:
    """Tagged A4 PDF of `html` (which sets its own title and language) into `target`."""
    HTML(string=html).write_pdf(
        target,
        stylesheets=[_stylesheet()],
        font_config=_fonts(),
        pdf_variant=PDF_VARIANT,
    )


def pdf_wait_minutes(responses: int) -> int:
    """About how many minutes the handout or the zip of `responses` takes to make, in the
    request (rounded up); 0 when it is done in a few seconds."""
    seconds = responses * SECONDS_PER_RESPONSE
    return math.ceil(seconds / 60) if seconds >= WORTH_SAYING else 0


def safe_filename(*parts: str, extension: str) -> str:
    """ASCII letters, digits and underscores only: `12_Lansstyrelsen_i_Skane_lan.pdf`.

    Accents are dropped (å → a), everything else that is not a letter or digit becomes an
    underscore, so a name can neither leave the zip's folder nor confuse a file system."""
    text = "_".join(part for part in parts if part)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9]+", "_", folded).strip("_")[:80].strip("_")
    return f"{name or 'svar'}.{extension}"
