"""``tandem stats``: reliability and agreement statistics on plain CSV files (alpha and omega per
scale, ICC, rwg(j) and AD_M(j) within groups).

Data files are read by :class:`tandem.measure._csv_table.CsvTable` (pyarrow, with a precise
pass that names file, row and column). numpy, pyarrow and the statistics are imported only by
the commands that use them, so ``tandem --help`` starts at once.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tandem.measure._csv_table import CsvTable, read_keys

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["LazyGroup", "stats"]

_Table = CsvTable  # the name tandem.measure.cli_cfa imports
_T = TypeVar("_T")


def _emit(data: dict[str, Any]) -> None:
    from tandem.measure._arrays import to_python

    click.echo(json.dumps(to_python(data), indent=2, allow_nan=False))


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


def _import_numpy_with_one_blas_thread() -> None:
    """Import numpy with OpenBLAS limited to one thread (unless OPENBLAS_NUM_THREADS is set).

    ``tandem stats alpha`` runs its scales on two threads of its own, each with small matrix
    products (k x n by n x k); OpenBLAS's own threads add nothing to that but their start-up
    and contention, about a sixth of the command's time measured here. OpenBLAS reads the
    variable once, when numpy loads it, so the environment is put back at once; nothing changes
    when numpy is already imported (as in tests) or when the user chose a number.
    """
    if "numpy" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        import numpy  # noqa: F401
    finally:
        del os.environ["OPENBLAS_NUM_THREADS"]


def _in_threads(work: Callable[[str], _T], names: list[str], threads: int) -> dict[str, _T]:
    """``{name: work(name)}`` in the order of ``names``, shared among ``threads`` threads.

    numpy releases the GIL in its loops, so two threads share the scales between two cores.
    Plain threads rather than concurrent.futures, whose import (logging, traceback) costs more
    than the eight scales of 200,000 answers take. The first name's error, if any, is raised.
    """
    results: dict[str, _T] = {}
    errors: dict[str, Exception] = {}

    def run(part: list[str]) -> None:
        for name in part:
            try:
                results[name] = work(name)
            except Exception as exc:  # raised in the calling thread below
                errors[name] = exc

    parts = [names[k::threads] for k in range(threads)]
    helpers = [threading.Thread(target=run, args=(part,)) for part in parts[1:] if part]
    for helper in helpers:
        helper.start()
    run(parts[0])
    for helper in helpers:
        helper.join()
    for name in names:
        if name in errors:
            raise errors[name]
    return {name: results[name] for name in names}


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

    from tandem.measure.reliability import cronbach_alpha, omega_from_correlation, omega_total

    try:
        result = cronbach_alpha(
            x, reverse=reverse, scale_min=scale_min, scale_max=scale_max, item_names=names
        )
    except ValueError as exc:
        raise click.ClickException(f"scale {scale!r}: {exc}") from None
    omega = None
    if len(names) >= 3 and bool((result.item_n == result.n_obs).all()):
        # Complete answers: the keyed correlation is cov2cor of alpha's keyed covariance.
        sd = np.sqrt(np.diag(result.covariance))
        try:
            omega = omega_from_correlation(result.covariance / np.outer(sd, sd)).omega_total
        except ValueError:
            omega = None
    elif len(names) >= 3:
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
    _import_numpy_with_one_blas_thread()
    key_header, key_rows = read_keys(keys_path)
    if "scale" not in key_header or "item" not in key_header:
        raise click.ClickException(f"{keys_path}: the header must name the columns scale,item")
    scales: dict[str, list[tuple[str, bool]]] = {}
    table = CsvTable(data)
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

    out = _in_threads(one, list(scales), min(2, os.cpu_count() or 1))
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

    table = CsvTable(data)
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

    table = CsvTable(data)
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
