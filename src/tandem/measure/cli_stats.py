"""``tandem stats``: reliability and agreement statistics on plain CSV files (alpha and omega per
scale, ICC, rwg(j) and AD_M(j) within groups).

Data files are read by pyarrow's multithreaded CSV reader, only the columns a command needs,
straight into float64 columns. When it refuses a file or meets a cell it cannot vouch for (a
short row, text that is not a number, an infinite number, bad UTF-8), a precise pass with
Python's csv module reads the file again and names the file, row (its line, header = 1) and
column at fault. numpy, pyarrow and the statistics are imported only by the commands that use
them, so ``tandem --help`` starts at once.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["LazyGroup", "stats"]

MISSING_TEXT = ("", "NA", "NaN", "nan")
"""Cells read as missing (after stripping spaces)."""


def _emit(data: dict[str, Any]) -> None:
    from tandem.measure._arrays import to_python

    click.echo(json.dumps(to_python(data), indent=2, allow_nan=False))


def _rows(path: str) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank CSV record of ``path`` with the line it starts on (header = 1)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            last = 0
            for row in reader:
                if row:
                    yield last + 1, row
                last = reader.line_num
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot open the file ({exc.strerror})") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise click.ClickException(f"{path}: not a readable UTF-8 CSV file ({exc})") from None


def _read_keys(path: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A small CSV file (the keys) as its header and its rows with their lines."""
    rows = list(_rows(path))
    if not rows:
        raise click.ClickException(f"{path}: the file is empty; expected a header row")
    header = [h.strip() for h in rows[0][1]]
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise click.ClickException(
                f"{path}, row {line}: expected {len(header)} columns, found {len(row)}"
            )
    return header, rows[1:]


def _read_table(path: str) -> tuple[list[str], list[list[str]]]:
    """A whole CSV file as its header and its non-blank rows, with the csv module.

    Slow on large files (a Python list per row): prefer :class:`_Table`.
    """
    header, rows = _read_keys(path)
    return header, [row for _line, row in rows]


def _numeric(
    path: str, header: list[str], body: list[list[str]], columns: Sequence[str]
) -> NDArray[np.float64]:
    """Columns of rows from :func:`_read_table` as floats (NaN for missing), cell by cell.

    Slow on large files (a Python loop over every cell): prefer :meth:`_Table.numeric`.
    """
    import numpy as np

    index = []
    for name in columns:
        if name not in header:
            raise click.ClickException(f"{path}: no column {name!r} (columns: {', '.join(header)})")
        index.append(header.index(name))
    out = np.full((len(body), len(columns)), np.nan)
    for r, row in enumerate(body):
        for c, col in enumerate(index):
            out[r, c] = _number(row[col], path, r + 2, columns[c])
    return out


def _number(text: str, path: str, line: int, column: str) -> float:
    """One cell as a float: NaN when missing, else a finite number or a located error."""
    cell = text.strip()
    if cell in MISSING_TEXT:
        return math.nan
    try:
        value = float(cell)
    except ValueError:
        raise click.ClickException(
            f"{path}, row {line}, column {column!r}: {cell!r} is not a number"
        ) from None
    if not math.isfinite(value):
        raise click.ClickException(
            f"{path}, row {line}, column {column!r}: {cell!r} is not a finite number"
        )
    return value


def _floats(chunks: Sequence[Any]) -> NDArray[np.float64]:
    """pyarrow float64 chunks as one numpy array, NaN where null.

    Read from the buffers: pyarrow's own ``to_numpy`` with nulls imports pandas when it is
    installed, which costs more than the whole read.
    """
    import numpy as np

    parts = [np.empty(0)]
    for chunk in chunks:
        start, n = chunk.offset, len(chunk)
        validity, data = chunk.buffers()
        values = np.frombuffer(data, dtype=np.float64, count=start + n)[start:]
        if chunk.null_count:
            bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
            values = np.where(bits[start : start + n].astype(bool), values, np.nan)
        parts.append(values)
    return np.concatenate(parts)


def _small_ints(chunks: Sequence[Any]) -> NDArray[Any]:
    """pyarrow int8 chunks as one numpy array: int8 when complete, else float64 with NaN."""
    import numpy as np

    parts = []
    nulls = False
    for chunk in chunks:
        start, n = chunk.offset, len(chunk)
        validity, data = chunk.buffers()
        values = np.frombuffer(data, dtype=np.int8, count=start + n)[start:]
        if chunk.null_count:
            nulls = True
            bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
            values = np.where(bits[start : start + n].astype(bool), values, np.nan)
        parts.append(values)
    if not parts:
        return np.empty(0)
    if nulls:
        return np.concatenate([p.astype(np.float64) for p in parts])
    return np.concatenate(parts)


class _Table:
    """A data file: its header at once, the columns a command asks for when it asks."""

    def __init__(self, path: str) -> None:
        self.path = path
        first = next(_rows(path), None)
        if first is None:
            raise click.ClickException(f"{path}: the file is empty; expected a header row")
        self.header_line = first[0]
        self.header = [h.strip() for h in first[1]]
        self.numbers: dict[int, NDArray[Any]] = {}
        self.texts: dict[int, list[str]] = {}

    def index(self, name: str) -> int:
        if name not in self.header:
            raise click.ClickException(
                f"{self.path}: no column {name!r} (columns: {', '.join(self.header)})"
            )
        return self.header.index(name)

    def read(self, numeric: Sequence[str], text: Sequence[str] = ()) -> None:
        """Read these columns (numbers: NaN for missing; text: stripped), in one pass."""
        num = sorted({self.index(n) for n in numeric})
        txt = sorted({self.index(n) for n in text})
        if not self._fast(num, txt):
            self._precise(num, txt)

    def numeric(self, columns: Sequence[str]) -> NDArray[Any]:
        """The columns side by side: int8 when all are complete small whole numbers, else
        float64 with NaN for missing cells."""
        import numpy as np

        missing = [n for n in columns if self.index(n) not in self.numbers]
        if missing:
            self.read(missing)
        if not columns:
            return np.empty((sum(1 for _ in _rows(self.path)) - 1, 0))
        return np.column_stack([self.numbers[self.index(n)] for n in columns])

    def text(self, column: str) -> list[str]:
        if self.index(column) not in self.texts:
            self.read((), [column])
        return self.texts[self.index(column)]

    def line_of(self, row: int) -> int:
        """The line (header = 1) of data row ``row`` (0-based, blank lines left out)."""
        for k, (line, _row) in enumerate(_rows(self.path)):
            if k == row + 1:
                return line
        raise IndexError(row)

    def _fast(self, numeric: list[int], text: list[int]) -> bool:
        """pyarrow's reader; False when the precise pass must decide.

        Columns are read as small whole numbers (int8) first: answers usually are, and int8
        columns are 8 times smaller than float64 ones and take the exact integer paths of the
        statistics. A file that has anything else is read again as float64.
        """
        import numpy as np
        import pyarrow as pa

        if self.header_line != 1:
            return False
        table = self._arrow(numeric, text, pa.int8()) if numeric else None
        whole = table is not None
        if table is None:
            table = self._arrow(numeric, text, pa.float64())
            if table is None:
                return False
        numbers: dict[int, NDArray[Any]] = {}
        for i in numeric:
            column = table.column(f"c{i}")
            if whole:
                numbers[i] = _small_ints(column.chunks)
                continue
            values = _floats(column.chunks)
            # A NaN that is not a missing cell ("NAN", "-nan"), or an infinity, is refused with
            # its row by the precise pass; so is anything Python would read differently.
            if np.count_nonzero(np.isnan(values)) != column.null_count or np.isinf(values).any():
                return False
            numbers[i] = values
        texts = {i: [v.strip() for v in table.column(f"c{i}").to_pylist()] for i in text}
        self.numbers.update(numbers)
        self.texts.update(texts)
        return True

    def _arrow(self, numeric: list[int], text: list[int], number: Any) -> Any:
        """The columns as a pyarrow table, numbers of type ``number``; None if refused."""
        import pyarrow as pa
        from pyarrow import csv as pacsv

        names = [f"c{i}" for i in range(len(self.header))]
        types = {names[i]: number for i in numeric}
        types.update({names[i]: pa.string() for i in text})
        try:
            return pacsv.read_csv(
                self.path,
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
                convert_options=pacsv.ConvertOptions(
                    column_types=types,
                    include_columns=[names[i] for i in sorted({*numeric, *text})],
                    null_values=list(MISSING_TEXT),
                    strings_can_be_null=False,
                ),
            )
        except (pa.ArrowException, OSError):
            return None

    def _precise(self, numeric: list[int], text: list[int]) -> None:
        """Python's csv module, cell by cell: slow, but names the row and column at fault."""
        import numpy as np

        cells: dict[int, list[float]] = {i: [] for i in numeric}
        texts: dict[int, list[str]] = {i: [] for i in text}
        width = len(self.header)
        rows = _rows(self.path)
        next(rows, None)
        for line, row in rows:
            if len(row) != width:
                raise click.ClickException(
                    f"{self.path}, row {line}: expected {width} columns, found {len(row)}"
                )
            for i in numeric:
                cells[i].append(_number(row[i], self.path, line, self.header[i]))
            for i in text:
                texts[i].append(row[i].strip())
        self.numbers.update({i: np.array(v, dtype=np.float64) for i, v in cells.items()})
        self.texts.update(texts)


class LazyGroup(click.Group):
    """A click group whose subcommands can live in modules imported only when used.

    ``group.add_lazy_command("cfa", "tandem.measure.cli_cfa:cfa_command")`` registers a command
    without importing its module, so a command that needs scipy does not make every other
    ``tandem`` command wait for scipy to load.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = {}

    def add_lazy_command(self, name: str, target: str) -> None:
        """Register ``target`` (``"module:attribute"``) as subcommand ``name``."""
        self.lazy[name] = target

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy.pop(cmd_name, None)
        if target is not None:
            from importlib import import_module

            module, _, attribute = target.partition(":")
            self.add_command(getattr(import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup)
def stats() -> None:
    """Reliability and agreement statistics on plain CSV files."""


def _alpha_of_scale(
    scale: str,
    x: NDArray[Any],
    names: list[str],
    reverse: list[bool],
    scale_min: float | None,
    scale_max: float | None,
) -> dict[str, Any]:
    """Alpha, item statistics and omega of one scale, as ``tandem stats alpha`` prints them."""
    import numpy as np

    from tandem.measure.reliability import cronbach_alpha, omega_total

    try:
        result = cronbach_alpha(
            x, reverse=reverse, scale_min=scale_min, scale_max=scale_max, item_names=names
        )
    except ValueError as exc:
        raise click.ClickException(f"scale {scale!r}: {exc}") from None
    omega = None
    if len(names) >= 3:
        adjust = (
            float(np.nanmin(x)) + float(np.nanmax(x))
            if scale_min is None or scale_max is None
            else scale_min + scale_max
        )
        keyed = np.where(np.array(reverse), adjust - x, x)
        try:
            omega = omega_total(keyed).omega_total
        except ValueError:
            omega = None
    return {
        "raw_alpha": result.raw_alpha,
        "std_alpha": result.std_alpha,
        "g6": result.g6,
        "average_r": result.average_r,
        "mean": result.mean,
        "sd": result.sd,
        "n_items": result.n_items,
        "n_obs": result.n_obs,
        "omega_total": omega,
        "items": {
            name: {
                "reverse": result.reversed[i],
                "n": int(result.item_n[i]),
                "mean": float(result.item_mean[i]),
                "sd": float(result.item_sd[i]),
                "raw_r": float(result.raw_r[i]),
                "std_r": float(result.std_r[i]),
                "r_drop": float(result.r_drop[i]),
                "alpha_if_dropped": float(result.alpha_if_dropped[i]),
                "std_alpha_if_dropped": float(result.std_alpha_if_dropped[i]),
            }
            for i, name in enumerate(names)
        },
    }


@stats.command("alpha")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option(
    "--keys",
    "keys_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="CSV with columns scale,item; write an item -X to reverse-key it.",
)
@click.option("--scale-min", type=float, help="Lowest answer (default: observed minimum).")
@click.option("--scale-max", type=float, help="Highest answer (default: observed maximum).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def alpha_command(
    data: str, keys_path: str, scale_min: float | None, scale_max: float | None, as_json: bool
) -> None:
    """Cronbach's alpha per scale (as R's psych::alpha), with item statistics and omega."""
    if (scale_min is None) != (scale_max is None):
        raise click.UsageError("give both --scale-min and --scale-max, or neither")
    key_header, key_rows = _read_keys(keys_path)
    if "scale" not in key_header or "item" not in key_header:
        raise click.ClickException(f"{keys_path}: the header must name the columns scale,item")
    scales: dict[str, list[tuple[str, bool]]] = {}
    table = _Table(data)
    header = table.header
    for n, row in key_rows:
        scale = row[key_header.index("scale")].strip()
        raw = row[key_header.index("item")].strip()
        item = raw.lstrip("-")
        if not scale or not item:
            raise click.ClickException(f"{keys_path}, row {n}: scale and item must not be empty")
        if item not in header:
            raise click.ClickException(
                f"{keys_path}, row {n}, column 'item': {item!r} is not a column of {data}"
            )
        scales.setdefault(scale, []).append((item, raw.startswith("-")))
    table.read([item for entries in scales.values() for item, _reverse in entries])

    def one(scale: str) -> dict[str, Any]:
        names = [item for item, _reverse in scales[scale]]
        reverse = [rev for _item, rev in scales[scale]]
        return _alpha_of_scale(scale, table.numeric(names), names, reverse, scale_min, scale_max)

    # numpy releases the GIL in its loops, so two threads share the scales between two cores.
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        out = dict(zip(scales, pool.map(one, scales), strict=True))
    if as_json:
        _emit({"scales": out})
        return
    for scale, s in out.items():
        omega_text = "" if s["omega_total"] is None else f"  omega_total {s['omega_total']:.3f}"
        click.echo(
            f"{scale}: raw_alpha {s['raw_alpha']:.3f}  std_alpha {s['std_alpha']:.3f}  "
            f"mean {s['mean']:.3f}  items {s['n_items']}{omega_text}"
        )
        for name, item in s["items"].items():
            flag = "-" if item["reverse"] else " "
            click.echo(
                f"  {flag}{name:<12} r_drop {item['r_drop']:.3f}  "
                f"alpha_if_dropped {item['alpha_if_dropped']:.3f}"
            )


@stats.command("icc")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def icc_command(data: str, as_json: bool) -> None:
    """The six Shrout-Fleiss ICCs; rows are targets, columns are judges."""
    import numpy as np

    from tandem.measure.icc import icc

    table = _Table(data)
    header = table.header
    x = table.numeric(header)
    missing = np.argwhere(np.isnan(x))
    if missing.size:
        r, c = (int(v) for v in missing[0])
        raise click.ClickException(
            f"{data}, row {table.line_of(r)}, column {header[c]!r}: empty; ICC needs every judge "
            "to rate every target"
        )
    try:
        result = icc(x)
    except ValueError as exc:
        raise click.ClickException(f"{data}: {exc}") from None
    out: dict[str, Any] = {form.name: form.value for form in result.forms}
    out["n_targets"] = result.n_targets
    out["n_judges"] = result.n_judges
    out["details"] = {
        form.name: {
            "description": form.description,
            "F": form.f,
            "df1": form.df1,
            "df2": form.df2,
            "p": form.p,
            "lower": form.lower,
            "upper": form.upper,
        }
        for form in result.forms
    }
    if as_json:
        _emit(out)
        return
    for form in result.forms:
        click.echo(
            f"{form.name:<6} {form.value:.4f}  [{form.lower:.4f}, {form.upper:.4f}]  "
            f"{form.description}"
        )


@stats.command("groups")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--group", "group_col", required=True, help="Column holding the group id.")
@click.option("--value", "value_col", help="Column for Bliese's ICC(1) and ICC(2).")
@click.option("--items", "items_list", help="Comma-separated item columns for rwg(j), AD_M(j).")
@click.option("--scale-points", type=int, help="Number of answer options A (needed with --items).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def groups_command(
    data: str,
    group_col: str,
    value_col: str | None,
    items_list: str | None,
    scale_points: int | None,
    as_json: bool,
) -> None:
    """Agreement within groups: ICC(1)/ICC(2) for --value, rwg(j) and AD_M(j) for --items."""
    if value_col is None and items_list is None:
        raise click.UsageError("give --value COL, --items C1,C2,... or both")
    if items_list is not None and scale_points is None:
        raise click.UsageError("--items needs --scale-points (the number of answer options)")
    import numpy as np

    from tandem.measure.agreement import ad_m, bliese_icc, rwg_j

    table = _Table(data)
    table.index(group_col)
    names = [c.strip() for c in (items_list or "").split(",") if c.strip()]
    table.read([*([value_col] if value_col is not None else []), *names], [group_col])
    groups = np.array(table.text(group_col), dtype=object)
    has_group = groups != ""
    out: dict[str, Any] = {}
    try:
        if value_col is not None:
            values = table.numeric([value_col])[:, 0]
            result = bliese_icc(values[has_group], groups[has_group].astype(str))
            out.update(
                icc1=result.icc1,
                icc2=result.icc2,
                n_groups=result.n_groups,
                n_obs=result.n_obs,
                mean_group_size=result.mean_group_size,
            )
        if items_list is not None and scale_points is not None:
            x = table.numeric(names)[has_group]
            labels = groups[has_group].astype(str)
            agreement = rwg_j(x, labels, scale_points=scale_points)
            deviation = ad_m(x, labels)
            out["rwg_j"] = {
                "mean": agreement.mean,
                "median": agreement.median,
                "groups": dict(
                    zip(agreement.labels.tolist(), agreement.values.tolist(), strict=True)
                ),
                "sizes": dict(
                    zip(agreement.labels.tolist(), agreement.sizes.tolist(), strict=True)
                ),
            }
            out["ad_m_j"] = {
                "mean": deviation.mean,
                "median": deviation.median,
                "groups": dict(
                    zip(deviation.labels.tolist(), deviation.values.tolist(), strict=True)
                ),
            }
    except ValueError as exc:
        raise click.ClickException(f"{data}: {exc}") from None
    if as_json:
        _emit(out)
        return
    if "icc1" in out:
        click.echo(f"ICC(1) {out['icc1']:.4f}  ICC(2) {out['icc2']:.4f}  groups {out['n_groups']}")
    if "rwg_j" in out:
        click.echo(
            f"rwg(j) mean {out['rwg_j']['mean']:.4f}  median {out['rwg_j']['median']:.4f}  "
            f"AD_M(j) mean {out['ad_m_j']['mean']:.4f}"
        )
