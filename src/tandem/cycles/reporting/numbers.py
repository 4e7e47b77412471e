"""How the report writes numbers, in one place, so page, PDF, charts and tests agree."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import pgettext

__all__ = ["DASH", "format_percentile", "format_score", "ordinal"]

DASH = "–"


def format_score(value: float | None) -> str:
    """A score as shown: two decimals in the reader's language's way (``3.22``, ``3,22``), or
    a dash when there is none.

    >>> format_score(3.2222), format_score(None)
    ('3.22', '–')
    >>> from django.utils import translation
    >>> with translation.override("de"):
    ...     format_score(3.2222)
    '3,22'
    """
    # Rounded as before (Python's format); only the decimal separator follows the language.
    return DASH if value is None else number_format(f"{value:.2f}", decimal_pos=2)


def ordinal(number: int) -> str:
    """An ordinal in the reader's language (each language words its own).

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 58, 100)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '58th', '100th']
    """
    if 10 <= number % 100 <= 20:
        text = pgettext("ordinal 11, 12, 13", "%(n)sth")
    elif number % 10 == 1:
        text = pgettext("ordinal 1, 21, 31", "%(n)sst")
    elif number % 10 == 2:
        text = pgettext("ordinal 2, 22, 32", "%(n)snd")
    elif number % 10 == 3:
        text = pgettext("ordinal 3, 23, 33", "%(n)srd")
    else:
        text = pgettext("ordinal 0, 4, 5, ...", "%(n)sth")
    return text % {"n": number}


def format_percentile(value: float | None) -> str:
    """A norm percentile as shown: a whole ordinal from 1st to 99th, or a dash.

    Percentiles are mid-ranks, strictly between 0 and 100; "0th" or "100th" would suggest a
    certainty that a comparison group cannot give, so the ends are shown as 1st and 99th.

    >>> format_percentile(58.4), format_percentile(0.3), format_percentile(99.8)
    ('58th', '1st', '99th')
    >>> format_percentile(None)
    '–'
    """
    return DASH if value is None else ordinal(min(99, max(1, round(value))))
