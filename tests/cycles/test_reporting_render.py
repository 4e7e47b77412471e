"""The report as HTML (page and PDF template) and as a PDF: same numbers, no hidden group."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from tandem.cycles.reporting.numbers import format_percentile, format_score
from tandem.cycles.reporting.pdf import offline_fetcher, render_pdf, render_pdf_html
from tandem.cycles.reporting.presentation import Comment, ReportView
from tests.cycles.test_reporting_presentation import report_of, score_cycle, view_of


class Tables(HTMLParser):
    """Collects every table as (caption, rows of cell texts); also every inline svg."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._stack: list[str] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "svg":
            self.svgs += 1
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            rows = self.tables[-1][1]
            self.tables[-1] = ("".join(self._caption).strip(), rows)
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return {caption: rows for caption, rows in parser.tables if caption}


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return report_of(score_cycle())


@pytest.fixture(scope="module")
def view(report: dict[str, Any]) -> ReportView:
    return view_of(report)


@pytest.fixture(scope="module")
def body(view: ReportView) -> str:
    return render_to_string("cycles/report/_body.html", {"report": view, "pdf": False})


@pytest.fixture(scope="module")
def pdf_text(view: ReportView) -> str:
    pdf = render_pdf(view)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_the_html_shows_the_dicts_numbers_in_each_scale_table(report, body):
    tables = tables_of(body)
    for scale in report["scales"]:
        name = next(s.name for s in view_of(report).scales if s.id == scale)
        rows = tables[f"{name} in numbers"]
        shown = [r for r in rows[1:] if r[0] != "Norm percentile"]
        assert [(r[1], r[2]) for r in shown] == [
            (str(a["n"]), f"{a['mean']:.2f}") for a in report["scales"][scale]
        ]
        assert rows[-1][-1] == format_percentile(report["norms"][scale]["percentile"])


def test_the_html_shows_the_placement_numbers(report, body):
    rows = tables_of(body)["Placement in numbers"]
    profile = report["profile"]
    lead = next(r for r in rows if r[0] == "Leadership")
    assert lead[1:] == [
        format_score(profile["leadership"]["score"]),
        f"{profile['leadership']['lower']:.2f} to {profile['leadership']['upper']:.2f}",
        format_score(profile["leadership"]["cut"]),
        format_score(profile["leadership"]["self"]),
    ]


def test_peers_below_their_minimum_appear_nowhere_in_the_html(body, view):
    assert "peer" not in body.lower()
    page = render_to_string("cycles/report/pdf.html", {"report": view, "pdf": True})
    assert "peer" not in page.lower()


def test_the_html_has_every_chart_and_each_is_well_formed(body, view):
    parser = Tables()
    parser.feed(body)
    assert parser.svgs == 1 + len(view.scales)
    for svg in re.findall(r"<svg.*?</svg>", body, flags=re.S):
        ET.fromstring(svg)  # noqa: S314 - our own markup, parsed to check it


def test_the_web_body_has_no_inline_style_or_script_for_the_csp(body):
    assert "style=" not in body
    assert "<style" not in body
    assert "<script" not in body


def test_the_page_extends_the_site_layout_and_links_its_stylesheet(view, body):
    page = render_to_string(
        "cycles/report/page.html", {"person_name": view.person_name, "body_html": body}
    )
    assert 'href="/static/cycles/report.css"' in page
    assert "<title>360 report: Ana Lima · Tandem</title>" in page
    assert "style=" not in page and "<style" not in page


def test_people_text_is_escaped():
    view = view_of(
        report_of(score_cycle()),
        comments=(Comment("keep", "<script>alert(1)</script>"),),
    )
    body = render_to_string("cycles/report/_body.html", {"report": view, "pdf": False})
    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_borderline_shows_in_the_html_when_the_profile_says_so():
    plain = report_of(score_cycle())["profile"]
    cuts = (plain["leadership"]["score"], plain["management"]["score"])
    borderline = view_of(report_of(score_cycle(profile_cuts=cuts)))
    clear = view_of(report_of(score_cycle(profile_cuts=(1.0, 1.0))))
    html_b = render_to_string("cycles/report/_body.html", {"report": borderline, "pdf": False})
    html_c = render_to_string("cycles/report/_body.html", {"report": clear, "pdf": False})
    assert "Borderline" in html_b and "crosses its cut" in html_b
    assert "Borderline" not in html_c and "Leader and manager" in html_c


def test_the_pdf_shows_the_same_numbers_and_no_hidden_group(report, view, pdf_text):
    text = squash(pdf_text)
    assert "Ana Lima" in text and "Spring 2026" in text
    assert "peer" not in text.lower()
    for scale in view.scales:
        assert scale.name in text
        for row in scale.rows:  # the chart carries each figure once, with its n
            assert f"{row.title} (n = {row.n})" in text and row.mean_text in text
    assert view.placement is not None
    assert view.placement.title in text
    assert "Share the roadmap a little earlier." in text
    assert "Page 1 of" in text


def test_the_pdf_template_is_self_contained(view):
    html = render_pdf_html(view)
    assert "<style>" in html and "@page" in html
    assert not re.search(r"\b(src|href)=", html)
    assert "url(" not in html
    assert "<link" not in html and "<script" not in html


def test_the_pdf_fetcher_refuses_the_network_and_local_files():
    fetcher = offline_fetcher()
    for url in ("http://example.com/x.css", "https://example.com/font.woff", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
