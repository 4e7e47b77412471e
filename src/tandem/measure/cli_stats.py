"""``tandem stats``: reliability and agreement statistics on plain CSV files (alpha and omega per
scale, ICC, rwg(j) and AD_M(j) within groups)."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from typing import Any

import click
import numpy as np

from tandem.measure._arrays import to_python
from tandem.measure.agreement import ad_m, bliese_icc, rwg_j
from tandem.measure.icc import icc
from tandem.measure.reliability import cronbach_alpha, omega_total

__all__ = ["stats"]


def _emit(data: dict[str, Any]) -> None:
    click.echo(json.dumps(to_python(data), indent=2, allow_nan=False))


def _read_table(path: str) -> tuple[list[str], list[list[str]]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot open the file ({exc.strerror})") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise click.ClickException(f"{path}: not a readable UTF-8 CSV file ({exc})") from None
    if not rows:
        raise click.ClickException(f"{path}: the file is empty; expected a header row")
    header = [h.strip() for h in rows[0]]
    body = [r for r in rows[1:] if r]
    for n, row in enumerate(rows[1:], start=2):
        if row and len(row) != len(header):
            raise click.ClickException(
                f"{path}, row {n}: expected {len(header)} columns, found {len(row)}"
            )
    return header, body


def _numeric(
    path: str, header: list[str], body: list[list[str]], columns: Sequence[str]
) -> np.ndarray:
    index = []
    for name in columns:
        if name not in header:
            raise click.ClickException(f"{path}: no column {name!r} (columns: {', '.join(header)})")
        index.append(header.index(name))
    out = np.full((len(body), len(columns)), np.nan)
    for r, row in enumerate(body):
        for c, col in enumerate(index):
            cell = row[col].strip()
            if cell in ("", "NA", "NaN", "nan"):
                continue
            try:
                value = float(cell)
            except ValueError:
                raise click.ClickException(
                    f"{path}, row {r + 2}, column {columns[c]!r}: {cell!r} is not a number"
                ) from None
            if not math.isfinite(value):
                raise click.ClickException(
                    f"{path}, row {r + 2}, column {columns[c]!r}: {cell!r} is not a finite number"
                )
            out[r, c] = value
    return out


@click.group()
def stats() -> None:
    """Reliability and agreement statistics on plain CSV files."""


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
    key_header, key_rows = _read_table(keys_path)
    if "scale" not in key_header or "item" not in key_header:
        raise click.ClickException(f"{keys_path}: the header must name the columns scale,item")
    scales: dict[str, list[tuple[str, bool]]] = {}
    header, body = _read_table(data)
    for n, row in enumerate(key_rows, start=2):
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
    out: dict[str, Any] = {}
    for scale, entries in scales.items():
        names = [e[0] for e in entries]
        reverse = [e[1] for e in entries]
        x = _numeric(data, header, body, names)
        try:
            result = cronbach_alpha(
                x, reverse=reverse, scale_min=scale_min, scale_max=scale_max, item_names=names
            )
        except ValueError as exc:
            raise click.ClickException(f"scale {scale!r}: {exc}") from None
        omega = None
        if len(names) >= 3:
            adjust = (
                np.nanmin(x) + np.nanmax(x)
                if scale_min is None or scale_max is None
                else scale_min + scale_max
            )
            keyed = np.where(np.array(reverse), adjust - x, x)
            try:
                omega = omega_total(keyed).omega_total
            except ValueError:
                omega = None
        out[scale] = {
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
    header, body = _read_table(data)
    x = _numeric(data, header, body, header)
    missing = np.argwhere(np.isnan(x))
    if missing.size:
        r, c = (int(v) for v in missing[0])
        raise click.ClickException(
            f"{data}, row {r + 2}, column {header[c]!r}: empty; ICC needs every judge to rate "
            "every target"
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
    header, body = _read_table(data)
    if group_col not in header:
        raise click.ClickException(
            f"{data}: no column {group_col!r} (columns: {', '.join(header)})"
        )
    groups = np.array([row[header.index(group_col)].strip() for row in body], dtype=object)
    has_group = groups != ""
    out: dict[str, Any] = {}
    try:
        if value_col is not None:
            values = _numeric(data, header, body, [value_col])[:, 0]
            result = bliese_icc(values[has_group], groups[has_group].astype(str))
            out.update(
                icc1=result.icc1,
                icc2=result.icc2,
                n_groups=result.n_groups,
                n_obs=result.n_obs,
                mean_group_size=result.mean_group_size,
            )
        if items_list is not None and scale_points is not None:
            names = [c.strip() for c in items_list.split(",") if c.strip()]
            x = _numeric(data, header, body, names)[has_group]
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
