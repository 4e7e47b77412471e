"""Reading YAML that people upload or type: safe, shallow, and without aliases.

``yaml.safe_load`` refuses code, but not a document nested thousands of levels deep (Python's
recursion limit, a crash) or anchors and aliases that multiply a small file into a huge walk
("billion laughs"). Tandem's YAML formats need neither, so :func:`load_yaml` refuses both, with
the line and column, as a ``yaml.YAMLError`` like any other syntax error.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError

__all__ = ["MAX_DEPTH", "ShallowLoader", "load_yaml"]

MAX_DEPTH = 40
"""Deepest nesting of lists and mappings accepted (Tandem's formats need fewer than ten)."""


class ShallowLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases and nesting deeper than :data:`MAX_DEPTH`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if self.check_event(yaml.AliasEvent):
            raise ComposerError(
                None, None, "anchors and aliases (*name) are not allowed here", event.start_mark
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise ComposerError(
                    None,
                    None,
                    f"nested more than {MAX_DEPTH} levels deep; this format needs far fewer",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_yaml(text: str) -> Any:
    """Parse one YAML document like ``yaml.safe_load``, refusing aliases and deep nesting.

    Raises
    ------
    yaml.YAMLError
        With ``problem_mark`` (line and column) for syntax errors, aliases and deep nesting.

    Examples
    --------
    >>> load_yaml("a: [1, 2]")
    {'a': [1, 2]}
    >>> try:
    ...     load_yaml("[" * 100 + "]" * 100)
    ... except yaml.YAMLError as exc:
    ...     print(exc.problem, exc.problem_mark.line + 1, exc.problem_mark.column + 1)
    nested more than 40 levels deep; this format needs far fewer 1 41
    """
    loader = ShallowLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
