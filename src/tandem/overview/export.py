"""The organisation view as CSV: exactly the figures the page shows, spreadsheet-safe.

``kind`` says what a row is: ``cell`` (a department's band of levels with its n and means),
``placement`` (how many participants have it) or ``hidden`` (participants in no shown cell,
only counted). Nothing the page withholds has a row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils.translation import pgettext, pgettext_lazy

from tandem.overview.selectors import OrganisationView
from tandem.people.hris.export import spreadsheet_safe

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

__all__ = ["CSV_HEADER", "organisation_csv", "organisation_csv_rows"]

CSV_HEADER: tuple[_StrOrPromise, ...] = (
    pgettext_lazy("organisation CSV column", "kind"),
    pgettext_lazy("organisation CSV column", "department"),
    pgettext_lazy("organisation CSV column", "levels"),
    pgettext_lazy("organisation CSV column", "participants"),
    pgettext_lazy("organisation CSV column", "leadership"),
    pgettext_lazy("organisation CSV column", "management"),
    pgettext_lazy("organisation CSV column", "placement"),
)
"""The header row, worded in the reader's language (the file is for people, not read back).
A placement row names its placement by code (``leader-manager``, …)."""


def organisation_csv_rows(view: OrganisationView) -> Iterator[list[str | int]]:
    """The header, then cells, placements and the hidden count (means to four decimals)."""
    yield [str(column) for column in CSV_HEADER]
    for cell in view.cells:
        yield [
            pgettext("organisation CSV row kind", "cell"),
            spreadsheet_safe(cell.department),
            spreadsheet_safe(cell.label),
            cell.n,
            f"{cell.leadership:.4f}",
            f"{cell.management:.4f}",
            "",
        ]
    for placement in view.placements:
        yield [
            pgettext("organisation CSV row kind", "placement"),
            "",
            "",
            placement.count,
            "",
            "",
            placement.placement,
        ]
    if view.hidden:
        yield [pgettext("organisation CSV row kind", "hidden"), "", "", view.hidden, "", "", ""]


def organisation_csv(view: OrganisationView) -> str:
    """The rows as CSV text (CRLF line ends, a byte order mark for Excel)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(organisation_csv_rows(view))
    return "\ufeff" + buffer.getvalue()
