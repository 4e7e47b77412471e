"""``tandem stats cfa``: confirmatory factor analysis of a CSV file, as lavaan computes it (fit,
standardised loadings, factor correlations, one factor against several, and measurement
invariance across groups)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from tandem.measure.cli_stats import _Table

if TYPE_CHECKING:
    from tandem.measure.cfa import ChiSquareDifference, FitMeasures

__all__ = ["cfa_command"]

FIT_KEYS = (
    "chisq",
    "df",
    "pvalue",
    "cfi",
    "tli",
    "rmsea",
    "rmsea_ci_lower",
    "rmsea_ci_upper",
    "srmr",
    "aic",
    "bic",
    "logl",
)


def _fit_dict(fit: FitMeasures) -> dict[str, Any]:
    return {key: getattr(fit, key) for key in FIT_KEYS}


def _difference_dict(test: ChiSquareDifference) -> dict[str, Any]:
    return {
        "chisq": test.chisq,
        "df": test.df,
        "p": test.p,
        "delta_cfi": test.delta_cfi,
        "delta_rmsea": test.delta_rmsea,
    }


def _parse_factors(specs: Sequence[str]) -> dict[str, list[str]]:
    factors: dict[str, list[str]] = {}
    for text in specs:
        name, sep, items = text.partition("=")
        name = name.strip()
        columns = [c.strip() for c in items.split(",") if c.strip()]
        if not sep or not name or not columns:
            raise click.BadParameter(
                f"{text!r}: write NAME=COL1,COL2,..., e.g. lead=q1,q2,q3", param_hint="--factor"
            )
        if name in factors:
            raise click.BadParameter(
                f"{text!r}: the factor {name!r} is given twice", param_hint="--factor"
            )
        factors[name] = columns
    return factors


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _fit_text(fit: FitMeasures) -> str:
    pvalue = "" if fit.df == 0 else f" ({_p_text(fit.pvalue)})"
    return (
        f"chi-square {fit.chisq:.2f} on {fit.df} df{pvalue}; CFI {fit.cfi:.3f}, "
        f"TLI {fit.tli:.3f}, RMSEA {fit.rmsea:.3f} [{fit.rmsea_ci_lower:.3f}, "
        f"{fit.rmsea_ci_upper:.3f}], SRMR {fit.srmr:.3f}"
    )


def _difference_text(test: ChiSquareDifference) -> str:
    return (
        f"chi-square difference {test.chisq:.2f} on {test.df} df, {_p_text(test.p)}; "
        f"delta CFI {test.delta_cfi:+.3f}, delta RMSEA {test.delta_rmsea:+.3f}"
    )


@click.command("cfa")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option(
    "--factor",
    "factor_specs",
    multiple=True,
    required=True,
    metavar="NAME=COL1,COL2,...",
    help="A factor and its item columns (repeatable); its first item sets its scale.",
)
@click.option("--group", "group_col", help="Column naming each row's group (with --invariance).")
@click.option(
    "--invariance",
    is_flag=True,
    help="Test configural, metric and scalar invariance across --group.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cfa_command(
    data: str,
    factor_specs: tuple[str, ...],
    group_col: str | None,
    invariance: bool,
    as_json: bool,
) -> None:
    """Confirmatory factor analysis (maximum likelihood, as R's lavaan)."""
    # numpy and the statistics are imported here, so that ``tandem --help`` starts at once
    import numpy as np

    from tandem.measure._arrays import to_python
    from tandem.measure.cfa import cfa, cfa_from_covariance, chi_square_difference
    from tandem.measure.invariance import measurement_invariance

    if invariance and group_col is None:
        raise click.UsageError("--invariance needs --group COL (the column naming each group)")
    if group_col is not None and not invariance:
        raise click.UsageError("--group is used with --invariance; add --invariance")
    factors = _parse_factors(factor_specs)
    table = _Table(data)
    used = list(dict.fromkeys(c for items in factors.values() for c in items))
    table.read(used, [group_col] if group_col is not None else [])
    x = table.numeric(used)
    n_rows = x.shape[0]
    no_group = 0
    groups = None
    if group_col is not None:
        groups = np.array(table.text(group_col), dtype=str)
        has_group = groups != ""
        no_group = int(n_rows - np.count_nonzero(has_group))
        x, groups = x[has_group], groups[has_group]
    out: dict[str, Any] = {}
    try:
        result = cfa(x, factors=factors, columns=used)
        out["n"] = result.n_obs
        out["n_dropped"] = result.n_dropped + no_group
        out["fit"] = _fit_dict(result.fit)
        out["standardized_loadings"] = result.standardized_loadings_by_factor()
        out["factor_correlations"] = result.factor_correlations_by_pair()
        one = None
        notes = list(result.notes)
        if len(factors) >= 2:
            try:
                one = cfa_from_covariance(
                    result.sample_covariance,
                    n_obs=result.n_obs,
                    factors={"general": list(result.item_names)},
                    columns=result.item_names,
                )
            except ValueError as exc:  # the comparison fails, the model asked for stands
                notes.append(f"the one-factor model to compare with could not be fitted: {exc}")
            else:
                difference = chi_square_difference(one.fit, result.fit)
                out["one_factor"] = {"fit": _fit_dict(one.fit)}
                out["difference"] = _difference_dict(difference)
        steps = None
        if groups is not None:
            steps = measurement_invariance(x, groups=groups, factors=factors, columns=used)
            out["groups"] = dict(
                zip(steps.configural.group_labels, steps.configural.group_sizes, strict=True)
            )
            out["invariance"] = {
                "configural": _fit_dict(steps.configural.fit),
                "metric": _fit_dict(steps.metric.fit),
                "scalar": _fit_dict(steps.scalar.fit),
            }
            out["invariance_tests"] = {
                "metric_vs_configural": _difference_dict(steps.metric_vs_configural),
                "scalar_vs_metric": _difference_dict(steps.scalar_vs_metric),
            }
        if steps is not None:
            for name in ("configural", "metric", "scalar"):
                notes += [f"{name} model: {note}" for note in getattr(steps, name).notes]
        out["notes"] = notes
    except ValueError as exc:
        raise click.ClickException(f"{data}: {exc}") from None

    dropped_text = (
        f"{out['n_dropped']} of {n_rows} rows left out"
        + (f" ({no_group} without a group)" if no_group else "")
        + ": a row with a missing answer in the model's columns is dropped whole (listwise, as "
        "lavaan)"
    )
    if as_json:
        if out["n_dropped"]:
            click.echo(f"Note: {dropped_text}.", err=True)
        click.echo(json.dumps(to_python(out), indent=2, allow_nan=False))
        return
    click.echo(f"Confirmatory factor analysis (maximum likelihood, as lavaan) of {out['n']} rows")
    if out["n_dropped"]:
        click.echo(f"  {dropped_text}")
    fit = result.fit
    click.echo(f"Fit: {_fit_text(fit)}")
    click.echo(f"     AIC {fit.aic:.1f}, BIC {fit.bic:.1f}, log-likelihood {fit.logl:.1f}")
    click.echo("Standardised loadings:")
    for factor, items in out["standardized_loadings"].items():
        for item, value in items.items():
            click.echo(f"  {factor:<14} {item:<14} {value:6.3f}")
    if out["factor_correlations"]:
        click.echo("Factor correlations:")
        for pair, r in out["factor_correlations"].items():
            click.echo(f"  {pair:<29} {r:6.3f}")
    if one is not None:
        click.echo(f"One factor instead: {_fit_text(one.fit)}")
        verdict = "fit better than one" if difference.p < 0.05 else "fit no better than one"
        click.echo(f"  {len(factors)} factors {verdict}: {_difference_text(difference)}")
    if steps is not None:
        sizes = ", ".join(f"{label} {size}" for label, size in out["groups"].items())
        click.echo(f"Measurement invariance across {group_col} ({sizes}):")
        click.echo(f"  configural  {_fit_text(steps.configural.fit)}")
        click.echo(f"  metric      {_fit_text(steps.metric.fit)}")
        click.echo(
            f"              against configural: {_difference_text(steps.metric_vs_configural)}"
        )
        click.echo(f"  scalar      {_fit_text(steps.scalar.fit)}")
        click.echo(f"              against metric: {_difference_text(steps.scalar_vs_metric)}")
        click.echo(
            "  (Chen 2007: a drop in CFI of 0.010 or more with a rise in RMSEA of 0.015 or more "
            "means the step does not hold)"
        )
    for note in out["notes"]:
        click.echo(f"Note: {note}")
