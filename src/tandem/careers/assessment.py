"""Released assessment results, when the cycles app provides them.

``tandem.cycles.results.released_results_for(person)`` returns frozen ``PersonResult``
dataclasses, newest last, with ``placement``, ``leaning``, ``borderline``, per-scale
``self_scores`` and ``others_scores``, and ``self_sections``. Careers only reads them; until
the cycles app ships the function, every person simply has no result.
"""

from __future__ import annotations

import importlib
from typing import Any

from tandem.people.models import Person


def _results_function() -> Any:
    try:
        module = importlib.import_module("tandem.cycles.results")
    except ImportError:
        return None
    return getattr(module, "released_results_for", None)


def available() -> bool:
    return _results_function() is not None


def latest_result(person: Person) -> Any | None:
    """The person's newest released result, or None."""
    function = _results_function()
    if function is None:
        return None
    results = list(function(person))
    return results[-1] if results else None
