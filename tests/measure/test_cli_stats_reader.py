"""The digit pass of ``tandem stats``' reader: the same numbers as pyarrow, or no answer.

A file whose every data cell is one digit is read by numpy alone (``digit_grid``); every other
file must fall through to pyarrow and the precise pass, with the results and the located
errors they always gave.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.measure import _csv_table
from tandem.measure._csv_table import CsvTable, digit_grid
from tandem.measure.cli import main
from tandem.measure.cli_stats import _in_threads

HEADER = "a,b,c,d,e,f"
ROWS = [
    "1,2,3,4,5,1",
    "2,3,4,4,5,2",
    "4,4,5,3,3,3",
    "3,2,2,1,2,2",
    "5,5,4,5,5,4",
    "1,1,2,2,1,1",
    "0,3,3,4,2,5",
    "2,4,1,3,4,9",
]
KEYS = "scale,item\none,a\none,-b\none,c\ntwo,d\ntwo,e\ntwo,-f\n"


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def plain(folder: Path) -> Path:
    return write(folder, "plain.csv", ("\n".join([HEADER, *ROWS]) + "\n").encode())


def alpha_json(path: Path, folder: Path) -> str:
    keys = folder / "keys.csv"
    keys.write_text(KEYS)
    result = CliRunner().invoke(main, ["stats", "alpha", str(path), "--keys", str(keys), "--json"])
    assert result.exit_code == 0, result.output
    return result.stdout


def without_digit_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_csv_table, "digit_grid", lambda body, width: None)


def test_a_file_of_digits_is_read_by_numpy_as_pyarrow_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = plain(tmp_path)
    table = CsvTable(str(path))
    assert table._digits() is not None  # the digit pass takes this file
    fast = table.numeric(table.header)
    fast_json = alpha_json(path, tmp_path)
    without_digit_pass(monkeypatch)
    table = CsvTable(str(path))
    arrow = table.numeric(table.header)
    assert fast.dtype == arrow.dtype == np.int8
    assert np.array_equal(fast, arrow)
    assert fast_json == alpha_json(path, tmp_path)  # every printed digit the same


def test_the_digit_pass_does_not_import_pyarrow(tmp_path: Path) -> None:
    path = plain(tmp_path)
    code = (
        "import sys\n"
        "from tandem.measure._csv_table import CsvTable\n"
        f"table = CsvTable({str(path)!r})\n"
        "x = table.numeric(table.header)\n"
        "print(x.dtype, x.shape, 'pyarrow' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["int8", "(8,", "6)", "False"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("crlf", ("\r\n".join([HEADER, *ROWS]) + "\r\n").encode()),
        ("no last line feed", "\n".join([HEADER, *ROWS]).encode()),
        ("blank line", ("\n".join([HEADER, *ROWS[:3], "", *ROWS[3:]]) + "\n").encode()),
        (
            "quoted cells",
            ("\n".join([HEADER, *[f'"{r}"'.replace(",", '","') for r in ROWS]]) + "\n").encode(),
        ),
        ("spaces", ("\n".join([HEADER, *[r.replace(",", ", ") for r in ROWS]]) + "\n").encode()),
        ("leading zero", ("\n".join([HEADER, "01" + ROWS[0][1:], *ROWS[1:]]) + "\n").encode()),
        (
            "header ends in a lone carriage return",
            (HEADER + "\r" + "\n".join(ROWS) + "\n").encode(),
        ),
        ("quoted header", ('"a",b,c,d,e,f\n' + "\n".join(ROWS) + "\n").encode()),
    ],
)
def test_other_spellings_of_the_same_numbers_fall_through_with_the_same_result(
    tmp_path: Path, name: str, data: bytes
) -> None:
    expected = alpha_json(plain(tmp_path), tmp_path)
    path = write(tmp_path, "other.csv", data)
    assert CsvTable(str(path))._digits() is None, name
    assert alpha_json(path, tmp_path) == expected, name


def test_a_byte_order_mark_keeps_the_digit_pass(tmp_path: Path) -> None:
    expected = alpha_json(plain(tmp_path), tmp_path)
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + plain(tmp_path).read_bytes())
    table = CsvTable(str(path))
    assert table.header == HEADER.split(",") and table._digits() is not None
    assert alpha_json(path, tmp_path) == expected


def test_empty_cells_and_larger_numbers_go_to_pyarrow(tmp_path: Path) -> None:
    gaps = write(
        tmp_path, "gaps.csv", f"{HEADER}\n1,2,3,4,5,1\n2,,4,4,5,2\n3,2,NA,1,2,2\n".encode()
    )
    table = CsvTable(str(gaps))
    assert table._digits() is None
    x = table.numeric(table.header)
    assert x.dtype == np.float64 and np.isnan(x[1, 1]) and np.isnan(x[2, 2])
    wide = write(tmp_path, "wide.csv", f"{HEADER}\n10,2,3,4,5,1\n2,3,4,4,5,2\n".encode())
    table = CsvTable(str(wide))
    assert table._digits() is None and table.numeric(["a"])[:, 0].tolist() == [10, 2]


@pytest.mark.parametrize(("cell", "problem"), [("x", "'x' is not a number"), ("-", "'-' is not")])
def test_a_bad_cell_is_still_named_by_row_and_column(
    tmp_path: Path, cell: str, problem: str
) -> None:
    rows = [*ROWS]
    rows[4] = f"5,5,{cell},5,5,4"
    path = write(tmp_path, "bad.csv", ("\n".join([HEADER, *rows]) + "\n").encode())
    keys = tmp_path / "keys.csv"
    keys.write_text(KEYS)
    result = CliRunner().invoke(main, ["stats", "alpha", str(path), "--keys", str(keys)])
    assert result.exit_code == 1
    assert f"{path}, row 6, column 'c': {problem}" in result.stderr


def test_a_short_row_is_still_named(tmp_path: Path) -> None:
    path = write(tmp_path, "short.csv", f"{HEADER}\n1,2,3,4,5,1\n1,2,3,4,5\n".encode())
    result = CliRunner().invoke(main, ["stats", "icc", str(path)])
    assert result.exit_code == 1 and f"{path}, row 3: expected 6 columns, found 5" in result.stderr


CELLS = st.sampled_from([*"0123456789", "", "10", " 3", '"4"', "-1", "x", "3.5", "7 ", "\t2"])


@settings(max_examples=300, deadline=None)
@given(
    rows=st.integers(1, 6).flatmap(
        lambda width: st.lists(
            st.lists(CELLS, min_size=width, max_size=width), min_size=1, max_size=6
        )
    ),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    last=st.booleans(),
    blank=st.booleans(),
)
def test_the_digit_pass_reads_as_the_csv_module_or_not_at_all(
    rows: list[list[str]], ending: str, last: bool, blank: bool
) -> None:
    lines = [",".join(row) for row in rows]
    if blank:
        lines.insert(len(lines) // 2, "")
    text = ending.join(lines) + (ending if last else "")
    grid = digit_grid(bytearray(text.encode()), len(rows[0]))
    if grid is None:
        return
    records = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    assert grid.dtype == np.int8
    assert grid.tolist() == [[int(cell) for cell in record] for record in records]


def test_the_digit_pass_takes_what_it_should() -> None:
    # The property above cannot fail if the pass never answers: it does for plain digits.
    assert digit_grid(bytearray(b"1,2,3\n4,5,6\n"), 3).tolist() == [[1, 2, 3], [4, 5, 6]]  # type: ignore[union-attr]
    assert digit_grid(bytearray(b"7\n8\n"), 1).tolist() == [[7], [8]]  # type: ignore[union-attr]
    assert digit_grid(bytearray(), 3) is None and digit_grid(bytearray(b"1,2\n"), 3) is None


def test_the_bench_file_shape(tmp_path: Path) -> None:
    # bench_cli writes its 200,000 x 40 file this way; a few rows must take the digit pass.
    from bench.bench_cli import write_files

    csv_path, keys_path = write_files(tmp_path, 50)
    assert CsvTable(str(csv_path))._digits() is not None
    result = CliRunner().invoke(
        main, ["stats", "alpha", str(csv_path), "--keys", str(keys_path), "--json"]
    )
    assert result.exit_code == 0 and len(json.loads(result.stdout)["scales"]) == 8


def test_alpha_imports_numpy_with_one_blas_thread_and_leaves_the_environment(
    tmp_path: Path,
) -> None:
    # The scales run on threads of their own; OpenBLAS's threads would only start and wait.
    code = (
        "import os, sys\n"
        "from tandem.measure.cli_stats import _import_numpy_with_one_blas_thread\n"
        "_import_numpy_with_one_blas_thread()\n"
        "threads = [l.split()[1] for l in open('/proc/self/status') if l.startswith('Threads')]\n"
        "print('numpy' in sys.modules, 'OPENBLAS_NUM_THREADS' in os.environ, threads[0])\n"
    )
    if not Path("/proc/self/status").exists():
        pytest.skip("needs Linux's /proc to count threads")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.split() == ["True", "False", "1"]


def test_scales_on_threads_keep_their_order_and_the_first_error() -> None:
    def work(name: str) -> str:
        if name in ("c", "e"):
            raise ValueError(name)
        return name.upper()

    assert list(_in_threads(str.upper, list("abcde"), 2).items()) == [
        (k, k.upper()) for k in "abcde"
    ]
    with pytest.raises(ValueError, match="c"):
        _in_threads(work, list("abcdef"), 2)
