"""The report as a PDF: the same body and SVG charts as the page, laid out by WeasyPrint.

WeasyPrint renders on the server with the Debian fonts (DejaVu). It fetches nothing: the
stylesheet is read from the package and handed over as text, and the URL fetcher refuses every
scheme except ``data:``, so neither a template nor a comment can make the server reach the
network or read a local file.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from tandem.cycles.reporting.presentation import ReportView

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

# WeasyPrint is imported when a PDF is made, not when the site starts: it takes about a
# second to import, and most processes never make a PDF.

__all__ = ["PDF_TEMPLATE", "STYLESHEET", "offline_fetcher", "render_pdf", "render_pdf_html"]

PDF_TEMPLATE = "cycles/report/pdf.html"
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "cycles" / "report.css"


def offline_fetcher() -> URLFetcher:
    """A WeasyPrint URL fetcher that allows only ``data:`` URLs (no http, https, file or ftp)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


@cache
def _stylesheet_text() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def render_pdf_html(view: ReportView) -> str:
    """The HTML that :func:`render_pdf` lays out (handy for tests and for debugging)."""
    context = {"report": view, "pdf": True, "page_numbers": page_numbers_css()}
    return render_to_string(PDF_TEMPLATE, context)


def page_numbers_css() -> SafeString:
    """The footer's "Page 2 of 5" as a CSS ``content`` value, worded in the active language.

    >>> print(page_numbers_css())
    "Page " counter(page) " of " counter(pages)
    """
    # Translators: the PDF footer; keep {page} and {pages}, which become the numbers.
    wording = gettext("Page {page} of {pages}")
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", wording):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(json.dumps(piece, ensure_ascii=False))
    # Every literal piece is a JSON string, which CSS reads as a string too.
    return mark_safe(" ".join(parts))


def render_pdf(view: ReportView) -> bytes:
    """Render the report as PDF bytes (A4, page numbers, the person and cycle in the footer)."""
    from weasyprint import CSS, HTML

    fetcher = offline_fetcher()
    document = HTML(string=render_pdf_html(view), base_url=None, url_fetcher=fetcher)
    stylesheet = CSS(string=_stylesheet_text(), url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[stylesheet])
    if not isinstance(pdf, bytes):  # write_pdf returns bytes when given no target
        raise TypeError("WeasyPrint returned no PDF bytes")
    return pdf
