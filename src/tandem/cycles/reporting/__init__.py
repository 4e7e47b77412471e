"""Turning a released 360 report into something a person is glad to read: page, PDF, CSV.

The stored report is the dict :func:`tandem.measure.report.ratee_dicts` produced at release.
:func:`~tandem.cycles.reporting.presentation.build_report` turns it into a
:class:`~tandem.cycles.reporting.presentation.ReportView`; the templates under
``cycles/report/`` render that view as a page (``page.html``) or as a PDF (``pdf.html``, through
:func:`~tandem.cycles.reporting.pdf.render_pdf`); :mod:`~tandem.cycles.reporting.export` writes
the shown aggregates as CSV. Nothing here reads the database, and nothing here can show an
aggregate the anonymity rule left out of the dict.
"""
