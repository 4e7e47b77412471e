"""The report's numbers as CSV: exactly the aggregates the report shows, spreadsheet-safe.

One row per shown aggregate of each scale: ``scale, group, n, mean, percentile``. The norm
percentile belongs to the everyone-except-you figure, so only that row carries it. A group the
anonymity rule left out has no row, because it is not in the view.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils.translation import pgettext_lazy

from tandem.cycles.reporting.presentation import ReportView
from tandem.people.hris.export import spreadsheet_safe

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

__all__ = ["CSV_HEADER", "report_csv", "report_csv_rows"]

CSV_HEADER: tuple[StrOrPromise, ...] = (
    pgettext_lazy("report CSV column", "scale"),
    pgettext_lazy("report CSV column", "group"),
    pgettext_lazy("report CSV column", "n"),
    pgettext_lazy("report CSV column", "mean"),
    pgettext_lazy("report CSV column", "percentile"),
)
"""The header row, worded in the reader's language (the file is for people, not read back)."""


def report_csv_rows(view: ReportView) -> Iterator[list[str | int | float]]:
    """The header, then one row per shown aggregate; text cells are spreadsheet-safe.

    Means are the stored values (four decimals); percentiles have one decimal, or are empty.
    """
    yield [str(column) for column in CSV_HEADER]
    for scale in view.scales:
        for row in scale.rows:
            percentile: str | float = (
                scale.percentile if row.is_all_others and scale.percentile is not None else ""
            )
            yield [
                spreadsheet_safe(scale.name),
                spreadsheet_safe(row.title),
                row.n,
                row.mean,
                percentile,
            ]


def report_csv(view: ReportView, *, bom: bool = True) -> str:
    """The rows as CSV text (CRLF line ends; a byte order mark by default, for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(report_csv_rows(view))
    return ("\ufeff" if bom else "") + buffer.getvalue()
