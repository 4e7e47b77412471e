"""Reading and writing framework files: strict, and every error names its line."""

from __future__ import annotations

import csv
import io

import pytest

from tandem.careers.frameworkfile import (
    FrameworkFileError,
    framework_csv,
    framework_parse,
    framework_yaml,
    spreadsheet_safe,
)
from tandem.careers.services import DEFAULT_FRAMEWORK_PATH, default_framework_spec

SMALL = """\
framework: Small
tracks:
  - key: ic
    name: Individual contributor
    levels:
      - level: 1
        title: Learning
        summary: Learns.
        themes:
          - theme: Craft
            criteria:
              - Does the work.
      - level: 2
        title: Doing
        summary: Does.
        themes:
          - theme: Craft
            criteria:
              - Does more work.
"""


def _error(text: str) -> FrameworkFileError:
    with pytest.raises(FrameworkFileError) as caught:
        framework_parse(text)
    return caught.value


def test_the_default_framework_has_three_tracks_of_five_levels() -> None:
    spec = default_framework_spec()
    assert [t.key for t in spec.tracks] == ["ic", "manager", "lead"]
    for track in spec.tracks:
        assert [level.number for level in track.levels] == [1, 2, 3, 4, 5]
        for level in track.levels:
            assert level.summary
            assert len(level.themes) >= 2
            assert all(theme.criteria for theme in level.themes)


def test_it_reads_a_small_file() -> None:
    spec = framework_parse(SMALL)
    assert spec.name == "Small"
    assert spec.tracks[0].levels[1].themes[0].criteria == ("Does more work.",)
    assert spec.tracks[0].description == ""


def test_yaml_written_reads_back_the_same() -> None:
    spec = default_framework_spec()
    assert framework_parse(framework_yaml(spec)) == spec
    assert framework_parse(framework_yaml(spec).encode()) == spec


def test_a_syntax_error_names_its_line() -> None:
    broken = SMALL.replace("        summary: Does.", '        summary: "Does.')
    error = _error(broken)
    assert error.line is not None
    assert 16 <= error.line <= 20
    assert "not valid YAML" in error.message


def test_a_tab_indent_names_its_line() -> None:
    error = _error(SMALL.replace("        title: Doing", "\ttitle: Doing"))
    assert error.line == 14


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("        title: Doing", "        titel: Doing"), 14, "unknown field 'titel'"),
        (("      - level: 2", "      - level: 3"), 13, "should have level 2 here, found 3"),
        (("      - level: 2", "      - level: two"), 13, "whole number"),
        (("  - key: ic", "  - key: IC!"), 3, "track key 'IC!'"),
        (("              - Does more work.", "              - [a, list]"), 19, "should be text"),
        (("        summary: Learns.\n", ""), 6, "missing 'summary'"),
        (("              - Does the work.", "              -"), 12, "should be text"),
        (
            (
                "          - theme: Craft\n            criteria:\n              - Does more work.\n",
                "          - theme: Craft\n            criteria: []\n",
            ),
            18,
            "is empty",
        ),
    ],
)
def test_a_structure_error_names_its_line(change: tuple[str, str], line: int, words: str) -> None:
    old, new = change
    assert old in SMALL
    error = _error(SMALL.replace(old, new))
    assert words in error.message
    assert error.line == line
    assert str(error).startswith(f"Line {line}: ")


def test_duplicate_track_keys_are_refused_at_the_second_track() -> None:
    second = SMALL.split("tracks:\n", 1)[1]
    error = _error(SMALL + second)
    assert "Two tracks have the key 'ic'" in error.message
    assert error.line == 20


def test_duplicate_themes_in_a_level_are_refused() -> None:
    doubled = SMALL.replace(
        "              - Does the work.\n",
        "              - Does the work.\n          - theme: Craft\n            criteria:\n              - Again.\n",
    )
    error = _error(doubled)
    assert "appears twice" in error.message
    assert error.line == 13


def test_aliases_are_refused_with_their_line() -> None:
    aliased = SMALL.replace("summary: Learns.", "summary: &s Learns.").replace(
        "summary: Does.", "summary: *s"
    )
    error = _error(aliased)
    assert "Aliases" in error.message
    assert error.line == 15


def test_a_field_given_twice_is_refused() -> None:
    error = _error(SMALL.replace("framework: Small\n", "framework: Small\nframework: Again\n"))
    assert error.line == 2
    assert "twice" in error.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("just words", "mapping"),
        ("- a\n- b\n", "mapping"),
        ("framework: A\ntracks: []\n", "is empty"),
        (SMALL + "---\nframework: Second\n", "not valid YAML"),
    ],
)
def test_files_that_are_not_frameworks_are_refused(text: str, words: str) -> None:
    assert words in _error(text).message


def test_non_utf8_and_huge_files_are_refused() -> None:
    assert "UTF-8" in str(_error_bytes("framework: caf\xe9".encode("latin-1")))
    assert "1 MB" in str(_error_bytes(b"#" * (1024 * 1024 + 1)))


def _error_bytes(data: bytes) -> FrameworkFileError:
    with pytest.raises(FrameworkFileError) as caught:
        framework_parse(data)
    return caught.value


def test_the_default_file_is_written_in_full() -> None:
    text = DEFAULT_FRAMEWORK_PATH.read_text(encoding="utf-8")
    assert "Leadership without reports" in text


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("Plain words", "Plain words"),
        ("", ""),
    ],
)
def test_csv_cells_are_spreadsheet_safe(value: str, safe: str) -> None:
    assert spreadsheet_safe(value) == safe


def test_csv_has_one_row_per_criterion_and_no_formulas() -> None:
    spec = framework_parse(SMALL.replace("- Does the work.", '- =HYPERLINK("x")'))
    rows = list(csv.reader(io.StringIO(framework_csv(spec))))
    assert rows[0] == ["track", "track_name", "level", "level_title", "theme", "criterion"]
    assert rows[1] == [
        "ic",
        "Individual contributor",
        "1",
        "Learning",
        "Craft",
        '\'=HYPERLINK("x")',
    ]
    assert len(rows) == 3
