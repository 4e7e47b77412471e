"""Released reports never change: their page body and PDF are rendered once and kept.

Each kept rendering carries the key of what it was rendered from (the stored report, its
comments, the person's and the cycle's names, and this module's version), so a report that
does change (re-derived, or a person renamed) is rendered afresh on its next view instead of
showing stale numbers. Workers render every report of a cycle at release
(:func:`tandem.cycles.tasks.reports_prerender`); a view renders what is missing itself.
PDFs go through Django's storage API, so object storage can hold them; they are read only
through the report views, which check access first.

A report is read in its reader's language; the numbers are the same in every language. The
rendering kept is the one in the participant's own language (their first and usual reader);
a reader in another language gets theirs rendered when they open it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import TextField
from django.db.models.functions import MD5, Cast
from django.template.loader import render_to_string
from django.utils import translation

from tandem.cycles.instruments import instrument_of
from tandem.cycles.models import Participant, ReleasedComment, Report
from tandem.cycles.reporting.pdf import render_pdf
from tandem.cycles.reporting.presentation import Comment, ReportView, build_report
from tandem.outbox.language import recipient_language

__all__ = [
    "RenderedReport",
    "rendered",
    "report_body",
    "report_data_digest",
    "report_pdf_bytes",
    "reports_render",
]

VERSION = "2"
"""Raise when the templates or the presentation change, so kept renderings are redone."""


@dataclass(frozen=True)
class RenderedReport:
    """What a report's pages need: its key and, built only when asked, its view, both in one
    language (an interface language code such as ``"es"``)."""

    participant: Participant
    report: Report
    comments: tuple[Comment, ...]
    key: str
    language: str

    def view(self) -> ReportView:
        cycle = self.participant.cycle
        with translation.override(self.language):
            return build_report(
                self.report.data,
                instrument_of(cycle.instrument, self.language),
                comments=self.comments,
                person_name=self.participant.person.name,
                cycle_name=cycle.name,
            )

    def kept(self) -> bool:
        """Is this the language whose rendering is kept on the report (the participant's)?"""
        return self.language == participant_language(self.participant)


def participant_language(participant: Participant) -> str:
    """The language a participant reads Tandem in (their choice, else the organisation's)."""
    return recipient_language(
        organisation=participant.cycle.organisation, email=participant.person.email
    )


def report_data_digest(field: str = "data") -> MD5:
    """A digest of the report's data as the database holds it: what its key is made of.

    Annotate a query with it (on a participant: ``report_data_digest("report__data")``) and
    hand the value to :func:`rendered`, so checking a kept rendering reads neither the report's
    data nor decodes it. The digest tells versions of one report apart; it guards nothing.
    """
    return MD5(Cast(field, output_field=TextField()))


def rendered(
    participant: Participant,
    report: Report,
    language: str | None = None,
    *,
    data_digest: str | None = None,
) -> RenderedReport:
    """The report with its comments and the key of everything its rendering depends on, in
    ``language`` (by default the participant's own).

    ``data_digest`` is what :func:`report_data_digest` reads; without it, it
    is read here (one query).
    """
    language = language or participant_language(participant)
    if data_digest is None:
        data_digest = (
            Report.objects.filter(pk=report.pk).values_list(report_data_digest(), flat=True).get()
        )
    comments = tuple(
        Comment(question_id=question_id, text=text)
        for question_id, text in ReleasedComment.objects.filter(
            participant=participant
        ).values_list("question_id", "text")
    )
    source = json.dumps(
        [
            VERSION,
            data_digest,
            [[c.question_id, c.text] for c in comments],
            participant.person.name,
            participant.cycle.name,
            participant.cycle.instrument_id,
            language,
        ],
        separators=(",", ":"),
    )
    key = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return RenderedReport(participant, report, comments, key, language)


def report_body(item: RenderedReport) -> str:
    """The report page's body HTML, rendered once per key and kept."""
    if item.report.body_key == item.key and item.report.body_html:
        return item.report.body_html
    with translation.override(item.language):
        html = render_to_string("cycles/report/_body.html", {"report": item.view(), "pdf": False})
    if not item.kept():
        return html
    item.report.body_html, item.report.body_key = html, item.key
    item.report.save(update_fields=["body_html", "body_key"])
    return html


def report_pdf_bytes(item: RenderedReport) -> bytes:
    """The report as PDF, rendered once per key and kept in the default storage."""
    stored = item.report.pdf
    if item.report.pdf_key == item.key and stored:
        try:
            with stored.open("rb") as handle:
                return bytes(handle.read())
        except OSError:  # the file went missing from storage: render it again
            pass
    with translation.override(item.language):
        pdf = render_pdf(item.view())
    if not item.kept():
        return pdf
    old = stored.name if stored else ""
    # One name per report and key (the file is reachable only through the report views): a
    # worker that renders it again, after another was killed before saving the report, writes
    # over the same file instead of leaving a second one behind.
    name = f"report-{item.report.pk}-{item.key[:32]}.pdf"
    target = item.report.pdf.field.generate_filename(item.report, name)
    if item.report.pdf.storage.exists(target):
        item.report.pdf.storage.delete(target)
    item.report.pdf.save(name, ContentFile(pdf), save=False)
    item.report.pdf_key = item.key
    item.report.save(update_fields=["pdf", "pdf_key"])
    if old and old != item.report.pdf.name:
        item.report.pdf.storage.delete(old)
    return pdf


def reports_render(participants: list[Participant]) -> int:
    """Render and keep the body and PDF of each participant's report; how many were new."""
    done = 0
    for participant in participants:
        report = Report.objects.filter(participant=participant).first()
        if report is None:
            continue
        item = rendered(participant, report)
        fresh = report.body_key != item.key or report.pdf_key != item.key
        report_body(item)
        report_pdf_bytes(item)
        done += int(fresh)
    return done
