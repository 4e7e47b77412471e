"""Checks on what a page renders, shared by the tests that fetch pages."""

from __future__ import annotations

import re
from typing import Any

TEMPLATE_SYNTAX = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}")


def assert_no_template_syntax(response: Any) -> None:
    """A rendered HTML page must not show Django template syntax to the reader.

    A ``{# ... #}`` comment over two lines is not a comment to Django and is shown as text;
    an unbalanced tag leaks the same way.
    """
    if "text/html" not in response.get("Content-Type", ""):
        return
    body = response.content.decode()
    found = TEMPLATE_SYNTAX.search(body)
    if found:
        start = max(found.start() - 80, 0)
        raise AssertionError(f"template syntax in the page: …{body[start : found.end() + 80]}…")
