"""Reading numbers that arrive as text in a request, without ever raising on odd input."""

from __future__ import annotations

import re

_WHOLE = re.compile(r"-?[0-9]{1,18}")


def whole_number(text: str | None) -> int | None:
    """The whole number ``text`` spells in ASCII digits, or None for anything else.

    ``str.isdigit`` is not enough: it accepts "²" and other digits ``int`` refuses.

    >>> whole_number("42"), whole_number("-3"), whole_number("²"), whole_number(" 4"), whole_number(None)
    (42, -3, None, None, None)
    """
    if text is None or not _WHOLE.fullmatch(text):
        return None
    return int(text)
