"""The organisation view as a PDF: the same figures, with the heatmaps as server-side SVG."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from tandem.cycles.reporting.pdf import offline_fetcher, page_numbers_css

__all__ = ["render_organisation_pdf"]


def render_organisation_pdf(context: dict[str, Any]) -> bytes:
    """Lay out ``overview/pdf.html`` with WeasyPrint (A4; it fetches nothing)."""
    from weasyprint import HTML

    html = render_to_string("overview/pdf.html", {**context, "page_numbers": page_numbers_css()})
    pdf = HTML(string=html, base_url=None, url_fetcher=offline_fetcher()).write_pdf()
    if not isinstance(pdf, bytes):  # write_pdf returns bytes when given no target
        raise TypeError("WeasyPrint returned no PDF bytes")
    return pdf
