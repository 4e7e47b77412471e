"""The framework as a file: strict YAML reading with line numbers, YAML and CSV writing.

Reading walks the composed YAML node tree rather than the loaded Python objects, because every
node keeps the line it came from: a structure error can then name the line at fault, just as
a syntax error does through the parser's ``problem_mark``. Nothing here touches the database;
the errors are worded in the active language (the reader's), as they are shown on the page.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.translation import gettext

from tandem.measure.yamltext import ShallowLoader

MAX_FILE_BYTES = 1024 * 1024
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
INT_TAG = "tag:yaml.org,2002:int"
STR_TAG = "tag:yaml.org,2002:str"
CSV_HEADERS = ["track", "track_name", "level", "level_title", "theme", "criterion"]
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class ThemeSpec:
    name: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class LevelSpec:
    number: int
    title: str
    summary: str
    themes: tuple[ThemeSpec, ...]


@dataclass(frozen=True)
class TrackSpec:
    key: str
    name: str
    description: str
    levels: tuple[LevelSpec, ...]


@dataclass(frozen=True)
class FrameworkSpec:
    name: str
    tracks: tuple[TrackSpec, ...]


class FrameworkFileError(ValueError):
    """A file that cannot be used as a framework; ``line`` is 1-based, or None for the file."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return gettext("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class _NoAliasLoader(ShallowLoader):
    """Refuses anchors' aliases: a framework never needs them, and a handful of nested aliases
    can make a small file expand into billions of nodes to walk. Nesting deeper than a
    framework ever needs is refused too (a crash of the parser otherwise)."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise FrameworkFileError(
                gettext(
                    "Aliases (*name) are not allowed in a framework file; write the text out in "
                    "full."
                ),
                line=int(event.start_mark.line) + 1,
            )
        return super().compose_node(parent, index)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _fail(node: yaml.Node, message: str) -> FrameworkFileError:
    return FrameworkFileError(message, line=_line(node))


def _mapping(
    node: yaml.Node, what: str, *, required: set[str], optional: frozenset[str] = frozenset()
) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise _fail(
            node, gettext("%(what)s should be a mapping of names to values.") % {"what": what}
        )
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
            raise _fail(
                key_node, gettext("%(what)s has a key that is not a plain name.") % {"what": what}
            )
        key = key_node.value
        if key not in required | optional:
            allowed = ", ".join(sorted(required | optional))
            raise _fail(
                key_node,
                gettext("%(what)s has an unknown field '%(key)s'. Allowed: %(allowed)s.")
                % {"what": what, "key": key, "allowed": allowed},
            )
        if key in fields:
            raise _fail(
                key_node,
                gettext("%(what)s has the field '%(key)s' twice.") % {"what": what, "key": key},
            )
        fields[key] = value_node
    missing = sorted(required - set(fields))
    if missing:
        raise _fail(
            node, gettext("%(what)s is missing '%(key)s'.") % {"what": what, "key": missing[0]}
        )
    return fields


def _sequence(node: yaml.Node, what: str) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode):
        raise _fail(node, gettext("%(what)s should be a list.") % {"what": what})
    if not node.value:
        raise _fail(
            node, gettext("%(what)s is empty; it needs at least one entry.") % {"what": what}
        )
    return list(node.value)


def _text(node: yaml.Node, what: str, *, blank: bool = False) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag != STR_TAG:
        raise _fail(node, gettext("%(what)s should be text.") % {"what": what})
    value = str(node.value).strip()
    if not value and not blank:
        raise _fail(node, gettext("%(what)s is empty.") % {"what": what})
    return value


def _int(node: yaml.Node, what: str) -> int:
    if not isinstance(node, yaml.ScalarNode) or node.tag != INT_TAG:
        raise _fail(node, gettext("%(what)s should be a whole number.") % {"what": what})
    return int(node.value)


def _theme(node: yaml.Node, where: str) -> ThemeSpec:
    fields = _mapping(
        node, gettext("A theme in %(where)s") % {"where": where}, required={"theme", "criteria"}
    )
    name = _text(fields["theme"], gettext("A theme name in %(where)s") % {"where": where})
    values = {"name": name, "where": where}
    criteria = tuple(
        _text(item, gettext("A criterion of theme '%(name)s' in %(where)s") % values)
        for item in _sequence(
            fields["criteria"], gettext("The criteria of theme '%(name)s' in %(where)s") % values
        )
    )
    return ThemeSpec(name=name, criteria=criteria)


def _level(node: yaml.Node, track_name: str, expected: int) -> LevelSpec:
    track = {"track": track_name}
    fields = _mapping(
        node,
        gettext("A level of track '%(track)s'") % track,
        required={"level", "title", "summary", "themes"},
    )
    number = _int(fields["level"], gettext("A level number of track '%(track)s'") % track)
    if number != expected:
        raise _fail(
            fields["level"],
            gettext(
                "Track '%(track)s' should have level %(expected)s here, found %(number)s. "
                "Number levels 1, 2, 3 … in order."
            )
            % {**track, "expected": expected, "number": number},
        )
    # Translators: where something is in a framework file, e.g. "track 'People manager', level 2".
    where = gettext("track '%(track)s', level %(number)s") % {**track, "number": number}
    at = {"where": where}
    themes = tuple(
        _theme(t, where)
        for t in _sequence(fields["themes"], gettext("The themes of %(where)s") % at)
    )
    seen: set[str] = set()
    for theme_node, theme in zip(fields["themes"].value, themes, strict=True):
        if theme.name in seen:
            raise _fail(
                theme_node,
                gettext("The theme '%(theme)s' appears twice in %(where)s.")
                % {**at, "theme": theme.name},
            )
        seen.add(theme.name)
    return LevelSpec(
        number=number,
        title=_text(fields["title"], gettext("The title of %(where)s") % at),
        summary=_text(fields["summary"], gettext("The summary of %(where)s") % at),
        themes=themes,
    )


def _track(node: yaml.Node) -> TrackSpec:
    fields = _mapping(
        node,
        gettext("A track"),
        required={"key", "name", "levels"},
        optional=frozenset({"description"}),
    )
    key = _text(fields["key"], gettext("A track key"))
    if not KEY_PATTERN.match(key):
        raise _fail(
            fields["key"],
            gettext(
                "The track key '%(key)s' should be short, lower case letters, digits, - or _ "
                "(for example ic, manager, lead)."
            )
            % {"key": key},
        )
    name = _text(fields["name"], gettext("The name of track '%(key)s'") % {"key": key})
    description = ""
    if "description" in fields:
        description = _text(
            fields["description"],
            gettext("The description of '%(name)s'") % {"name": name},
            blank=True,
        )
    level_nodes = _sequence(
        fields["levels"], gettext("The levels of track '%(name)s'") % {"name": name}
    )
    levels = tuple(_level(n, name, expected) for expected, n in enumerate(level_nodes, start=1))
    return TrackSpec(key=key, name=name, description=description, levels=levels)


def framework_parse(data: bytes | str) -> FrameworkSpec:
    """Read a framework file strictly. Raises FrameworkFileError naming the line at fault."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise FrameworkFileError(
                gettext("The file is larger than 1 MB; a framework is far smaller.")
            )
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FrameworkFileError(
                gettext("The file is not UTF-8 text. Save it as UTF-8.")
            ) from error
    try:
        root = yaml.compose(data, Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or gettext("the YAML cannot be read")
        line = int(mark.line) + 1 if mark is not None else None
        raise FrameworkFileError(
            # Translators: the problem in brackets comes from the YAML parser, in English.
            gettext("This is not valid YAML (%(problem)s). Check indentation and quotes.")
            % {"problem": problem},
            line=line,
        ) from error
    except yaml.YAMLError as error:
        raise FrameworkFileError(
            gettext("This is not valid YAML (%(problem)s).") % {"problem": error}
        ) from error
    if root is None:
        raise FrameworkFileError(gettext("The file is empty."))
    fields = _mapping(root, gettext("The file"), required={"framework", "tracks"})
    name = _text(fields["framework"], gettext("The framework name"))
    tracks = tuple(_track(n) for n in _sequence(fields["tracks"], gettext("The tracks")))
    keys: set[str] = set()
    for track_node, track in zip(fields["tracks"].value, tracks, strict=True):
        if track.key in keys:
            raise _fail(
                track_node, gettext("Two tracks have the key '%(key)s'.") % {"key": track.key}
            )
        keys.add(track.key)
    return FrameworkSpec(name=name, tracks=tracks)


def line_excerpt(data: bytes | str, line: int | None, *, limit: int = 120) -> str:
    """The text of a 1-based line, shortened, to show next to an error; empty when unknown."""
    if line is None:
        return ""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    excerpt = lines[line - 1].rstrip()
    return excerpt if len(excerpt) <= limit else excerpt[: limit - 1] + "…"


def framework_to_data(spec: FrameworkSpec) -> dict[str, Any]:
    return {
        "framework": spec.name,
        "tracks": [
            {
                "key": track.key,
                "name": track.name,
                "description": track.description,
                "levels": [
                    {
                        "level": level.number,
                        "title": level.title,
                        "summary": level.summary,
                        "themes": [
                            {"theme": theme.name, "criteria": list(theme.criteria)}
                            for theme in level.themes
                        ],
                    }
                    for level in track.levels
                ],
            }
            for track in spec.tracks
        ],
    }


class _IndentedDumper(yaml.SafeDumper):
    """Indents lists under their key, as people write YAML by hand (and as the default is)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def framework_yaml(spec: FrameworkSpec) -> str:
    return yaml.dump(
        framework_to_data(spec),
        Dumper=_IndentedDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def framework_csv(spec: FrameworkSpec) -> str:
    """One row per criterion, for reading in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS)
    for track in spec.tracks:
        for level in track.levels:
            for theme in level.themes:
                for criterion in theme.criteria:
                    row = [track.key, track.name, str(level.number), level.title]
                    writer.writerow([spreadsheet_safe(c) for c in [*row, theme.name, criterion]])
    return out.getvalue()
