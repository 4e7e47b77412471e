"""The organisation view as CSV: exactly the figures the page shows, spreadsheet-safe.

``kind`` says what a row is: ``cell`` (a department's band of levels with its n and means),
``placement`` (how many participants have it) or ``hidden`` (participants in no shown cell,
only counted). Nothing the page withholds has a row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from tandem.overview.selectors import OrganisationView
from tandem.people.hris.export import spreadsheet_safe

__all__ = ["CSV_HEADER", "organisation_csv", "organisation_csv_rows"]

CSV_HEADER: tuple[str, ...] = (
    "kind",
    "department",
    "levels",
    "participants",
    "leadership",
    "management",
    "placement",
)


def organisation_csv_rows(view: OrganisationView) -> Iterator[list[str | int]]:
    """The header, then cells, placements and the hidden count (means to four decimals)."""
    yield list(CSV_HEADER)
    for cell in view.cells:
        yield [
            "cell",
            spreadsheet_safe(cell.department),
            spreadsheet_safe(cell.label),
            cell.n,
            f"{cell.leadership:.4f}",
            f"{cell.management:.4f}",
            "",
        ]
    for placement in view.placements:
        yield ["placement", "", "", placement.count, "", "", placement.placement]
    if view.hidden:
        yield ["hidden", "", "", view.hidden, "", "", ""]


def organisation_csv(view: OrganisationView) -> str:
    """The rows as CSV text (CRLF line ends, a byte order mark for Excel)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(organisation_csv_rows(view))
    return "\ufeff" + buffer.getvalue()
