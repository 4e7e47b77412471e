"""What every careers service shares: the error people see."""

from __future__ import annotations


class CareersError(ValueError):
    """A write that does not make sense (an own endorsement, a criterion of another level);
    the message says what was wrong, in words for the page."""
