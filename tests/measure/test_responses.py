"""Reading a long 360 export: exact error locations, and the same codes however it is written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tandem.measure.responses import ResponsesError, read_responses
from tests.measure.builders import instrument, team_rows, write_rows

HEADER = ("ratee", "rater", "group", "item", "value")


def error_of(tmp_path: Path, rows: list[list[str]], **options) -> ResponsesError:
    path = write_rows(tmp_path / "r.csv", rows)
    with pytest.raises(ResponsesError) as info:
        read_responses(path, instrument(), **options)
    return info.value


def codes(result) -> tuple:
    """What was read, independent of the (arbitrary) numbering of rater pairs."""
    ratee = np.asarray(result.pair_ratee)[result.row_pair]
    group = np.asarray(result.pair_group)[result.row_pair]
    rows = list(
        zip(
            ratee.tolist(),
            group.tolist(),
            result.row_item.tolist(),
            result.row_value.tolist(),
            strict=True,
        )
    )
    same_pair = (result.row_pair[1:] == result.row_pair[:-1]).tolist()
    return result.ratee_ids, len(result.pair_ratee), rows, same_pair


def test_it_reads_the_team(tmp_path: Path) -> None:
    rows = team_rows()
    result = read_responses(write_rows(tmp_path / "r.csv", rows), instrument())
    assert result.ratee_ids == ("ana", "ben")
    assert result.n_rows == len(rows)
    assert result.pair_ratee.tolist().count(0) == 8 and result.pair_ratee.tolist().count(1) == 4
    assert (result.row_value == -1).sum() == sum(1 for r in rows if r[4] == "")


def test_chunk_boundaries_quotes_crlf_bom_and_long_ids_change_nothing(tmp_path: Path) -> None:
    rows = team_rows()
    plain = codes(read_responses(write_rows(tmp_path / "a.csv", rows), instrument()))
    small = codes(read_responses(tmp_path / "a.csv", instrument(), chunk_bytes=777))
    assert small == plain
    quoted = tmp_path / "q.csv"
    lines = ["\ufeff" + ",".join(HEADER)] + [",".join(f'"{c}"' for c in r) for r in rows]
    quoted.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert codes(read_responses(quoted, instrument())) == plain
    long_names = [[r[0] + "-with-a-long-name@example.org", r[1] * 5, *r[2:]] for r in rows]
    renamed = codes(
        read_responses(write_rows(tmp_path / "l.csv", long_names), instrument(), chunk_bytes=999)
    )
    assert renamed[1:] == plain[1:]
    assert renamed[0] == ("ana-with-a-long-name@example.org", "ben-with-a-long-name@example.org")


def test_blank_lines_spaces_and_column_order(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "value,item,group,rater,ratee,comment\n4, pb1 ,peer,pia,ana,hi\n\n5,pb2,peer,pia,ana,\n"
    )
    result = read_responses(path, instrument())
    assert result.row_value.tolist() == [4, 5]
    assert result.line_of(1) == 4


def test_the_not_observed_code_and_decimal_zero_are_understood(tmp_path: Path) -> None:
    rows = [["ana", "pia", "peer", "pb1", "0"], ["ana", "pia", "peer", "pb2", "4.0"]]
    result = read_responses(write_rows(tmp_path / "r.csv", rows), instrument())
    assert result.row_value.tolist() == [-1, 4]


@pytest.mark.parametrize(
    ("row", "column", "problem"),
    [
        (["ana", "pia", "boss", "pb1", "3"], "group", "unknown group 'boss'"),
        (["ana", "pia", "peer", "zz9", "3"], "item", "item 'zz9' is not in the instrument"),
        (["ana", "pia", "peer", "keep", "3"], "item", "'keep' is an open question"),
        (["ana", "pia", "peer", "pb1", "6"], "value", "6 is outside 1..5 for item 'pb1'"),
        (["ana", "pia", "peer", "pb1", "x"], "value", "'x' is not a whole number"),
        (["ana", "pia", "peer", "pb1", "3.5"], "value", "'3.5' is not a whole number"),
        (["", "pia", "peer", "pb1", "3"], "ratee", "is empty"),
        (
            ["ana", "pia", "peer", "mtm_dev1", "3"],
            "item",
            "is self-only, but this row is from a 'peer'",
        ),
    ],
)
def test_bad_rows_are_located(tmp_path: Path, row: list[str], column: str, problem: str) -> None:
    good = ["ana", "pia", "peer", "pb2", "3"]
    error = error_of(tmp_path, [good, [*good[:3], "pb3", "4"], row], chunk_bytes=64)
    assert (error.row, error.column) == (4, column)
    assert problem in error.problem
    assert str(error).startswith(f"{tmp_path / 'r.csv'}, row 4, column {column!r}: ")


def test_a_short_row_is_located(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("ratee,rater,group,item,value\nana,pia,peer,pb1,3\nana,pia,peer,pb2\n")
    with pytest.raises(ResponsesError, match="row 3: expected 5 columns, found 4"):
        read_responses(path, instrument())


def test_a_rater_in_two_groups_is_refused(tmp_path: Path) -> None:
    rows = [["ana", "pia", "peer", "pb1", "3"], ["ana", "pia", "direct_report", "pb2", "3"]]
    error = error_of(tmp_path, rows)
    assert (error.row, error.column) == (3, "group")
    assert "'direct_report' here but 'peer' in row 2" in error.problem


def test_two_self_raters_are_refused(tmp_path: Path) -> None:
    rows = [["ana", "ana", "self", "pb1", "3"], ["ana", "ann", "self", "pb1", "3"]]
    error = error_of(tmp_path, rows)
    assert (error.row, error.column) == (3, "rater")
    assert "more than one 'self' rater" in error.problem


def test_the_header_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("ratee,rater,group,item\nana,pia,peer,pb1\n")
    with pytest.raises(ResponsesError, match=r"row 1: missing column.s. value"):
        read_responses(path, instrument())
    path.write_text("")
    with pytest.raises(ResponsesError, match="the file is empty"):
        read_responses(path, instrument())
    path.write_text("ratee,rater,group,item,value\n")
    with pytest.raises(ResponsesError, match="no answers found"):
        read_responses(path, instrument())
    with pytest.raises(ResponsesError, match="cannot open the file"):
        read_responses(tmp_path / "missing.csv", instrument())


def test_the_fast_pass_reads_what_the_precise_pass_reads(tmp_path: Path) -> None:
    from tandem.measure._response_fast import read_fast
    from tandem.measure.responses import _read_precise

    rows = team_rows()
    # A rater's answers split in two runs, and an id written with a space around it.
    moved = rows.pop(3)
    rows.append(moved)
    rows[5] = [f" {rows[5][0]}", *rows[5][1:]]
    path = write_rows(tmp_path / "r.csv", rows)
    fast = read_fast(str(path), instrument())
    precise = _read_precise(str(path), instrument(), progress=None, chunk_bytes=1 << 20)
    assert fast is not None
    assert fast.ratee_ids == precise.ratee_ids
    for name in ("pair_ratee", "pair_group", "pair_first_line", "row_pair", "row_item"):
        assert np.array_equal(getattr(fast, name), getattr(precise, name)), name
    assert np.array_equal(fast.row_value, precise.row_value)


def test_the_fast_pass_leaves_a_rater_changing_group_to_the_precise_pass(
    tmp_path: Path,
) -> None:
    from tandem.measure._response_fast import read_fast

    rows = team_rows()
    first = next(k for k in range(1, len(rows)) if rows[k][:3] == rows[k - 1][:3])
    rows[first] = [
        *rows[first][:2],
        "other" if rows[first][2] != "other" else "peer",
        *rows[first][3:],
    ]
    assert read_fast(str(write_rows(tmp_path / "r.csv", rows)), instrument()) is None
