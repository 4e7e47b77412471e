"""``tandem stats raters``: rater leniency, corrected (crossed random effects by REML, as lme4).

numpy and the model are imported only when the command runs, so ``tandem --help`` starts at once.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from tandem.measure.crossed import CrossedFit

__all__ = ["fit_dict", "raters_command", "read_ratings"]


def read_ratings(
    path: str, *, ratee: str, rater: str, value: str
) -> tuple[list[str], list[str], NDArray[Any]]:
    """Read the ratee, rater and value columns of a CSV file (empty or NA values are NaN).

    Raises ``click.ClickException`` naming the file, row and column of anything unreadable.
    """
    from tandem.measure._csv_table import CsvTable

    table = CsvTable(path)
    table.read([value], [ratee, rater])
    ratees, raters = table.text(ratee), table.text(rater)
    for name, ids in ((ratee, ratees), (rater, raters)):
        if "" in ids:
            line = table.line_of(ids.index(""))
            raise click.ClickException(
                f"{path}, row {line}, column {name!r}: empty id; every rating needs the person "
                "rated and the person rating"
            )
    values = table.numeric([value])[:, 0].astype("float64")
    return ratees, raters, values


def fit_dict(fit: CrossedFit, *, level: float) -> dict[str, Any]:
    """The JSON printed by ``tandem stats raters --json``."""
    scores = fit.adjusted_scores(level=level)
    ratee_ids = [str(r) for r in fit.ratee_ids.tolist()]
    rater_ids = [str(r) for r in fit.rater_ids.tolist()]
    return {
        "n": fit.n,
        "n_dropped": fit.n_dropped,
        "n_ratees": len(ratee_ids),
        "n_raters": len(rater_ids),
        "intercept": fit.intercept,
        "intercept_se": fit.intercept_se,
        "variance": fit.variances,
        "reml_criterion": fit.reml_criterion,
        "theta": {"ratee": fit.theta[0], "rater": fit.theta[1]},
        "converged": fit.converged,
        "iterations": fit.iterations,
        "boundary": list(fit.boundary),
        "separable": fit.separable,
        "note": fit.note,
        "ratee_effects": dict(zip(ratee_ids, fit.ratee_effects.tolist(), strict=True)),
        "rater_effects": dict(zip(rater_ids, fit.rater_effects.tolist(), strict=True)),
        "level": level,
        "adjusted": {
            rid: {
                "score": scores.score[i],
                "se": scores.se[i],
                "lower": scores.lower[i],
                "upper": scores.upper[i],
                "raw_mean": scores.raw_mean[i],
                "n_ratings": scores.n_ratings[i],
                "n_raters": scores.n_raters[i],
                "linked_raters": scores.linked_raters[i],
            }
            for i, rid in enumerate(ratee_ids)
        },
    }


@click.command("raters")
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--ratee", "ratee_col", required=True, help="Column with the id of who was rated.")
@click.option("--rater", "rater_col", required=True, help="Column with the id of who rated.")
@click.option("--value", "value_col", required=True, help="Column with the rating (a number).")
@click.option(
    "--level",
    default=0.95,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="Coverage of each adjusted score's interval.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def raters_command(
    data: str, ratee_col: str, rater_col: str, value_col: str, level: float, as_json: bool
) -> None:
    """Rater leniency, corrected: y ~ 1 + (1 | ratee) + (1 | rater) by REML, as lme4::lmer."""
    if len({ratee_col, rater_col, value_col}) < 3:
        raise click.UsageError("--ratee, --rater and --value must name three different columns")
    from tandem.measure._arrays import to_python
    from tandem.measure.crossed import crossed_reml

    ratee, rater, values = read_ratings(data, ratee=ratee_col, rater=rater_col, value=value_col)
    try:
        fit = crossed_reml(values, ratee=ratee, rater=rater)
    except ValueError as exc:
        raise click.ClickException(f"{data}: {exc}") from None
    out = fit_dict(fit, level=level)
    if as_json:
        click.echo(json.dumps(to_python(out), indent=2, allow_nan=False))
        return
    _print_text(out)


def _print_text(out: dict[str, Any]) -> None:
    click.echo("Rater leniency, corrected: y ~ 1 + (1 | ratee) + (1 | rater) by REML (as lme4)")
    click.echo(
        f"Ratings: {out['n']} from {out['n_ratees']} ratees and {out['n_raters']} raters"
        + (f" ({out['n_dropped']} rows without a value left out)" if out["n_dropped"] else "")
    )
    if not out["separable"]:
        click.echo(f"Not adjusted: {out['note']}.")
        click.echo(f"{'ratee':<16} {'mean':>7} {'ratings':>8}")
        for rid, row in out["adjusted"].items():
            click.echo(f"{rid:<16} {row['raw_mean']:>7.3f} {row['n_ratings']:>8}")
        return
    variance = out["variance"]
    total = sum(variance.values())
    click.echo(
        f"Intercept {out['intercept']:.4f} (SE {out['intercept_se']:.4f}); "
        f"REML criterion {out['reml_criterion']:.4f}"
    )
    click.echo(
        "Variance: "
        + "  ".join(
            f"{name} {v:.4f} (SD {math.sqrt(v):.4f}, {100 * v / total:.0f}%)"
            for name, v in variance.items()
        )
    )
    if out["note"]:
        click.echo(f"Note: {out['note']}.")
    band = f"{100 * out['level']:g}% interval"
    click.echo(f"{'ratee':<16} {'raw mean':>8} {'adjusted':>8} {band:>18} {'raters':>7}")
    for rid, row in out["adjusted"].items():
        interval = f"[{row['lower']:.3f}, {row['upper']:.3f}]"
        click.echo(
            f"{rid:<16} {row['raw_mean']:>8.3f} {row['score']:>8.3f} {interval:>18} "
            f"{row['n_raters']:>7}"
        )
