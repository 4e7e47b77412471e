"""The ``tandem`` command line: 360 scoring (``tandem score``); ``tandem stats`` is in cli_stats."""

from __future__ import annotations

import csv
import gc
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import click

from tandem.measure.cli_stats import stats

if TYPE_CHECKING:
    from pathlib import Path

# The measurement modules (numpy, scipy.sparse, pyarrow), and pathlib (which imports urllib),
# are imported inside the commands that use them, so `tandem --help` and `tandem stats` do not
# pay for `tandem score`'s imports.

__all__ = ["guard_cell", "main", "peak_memory_bytes", "report_folders", "safe_file_name"]

PROGRESS_BYTES = 64 * 1024 * 1024
PROGRESS_RATEES = 2000
RATEES_PER_FOLDER = 1000
"""Reports per folder: a folder is written by one process, and stays easy to browse."""
SMALL_NORM_GROUP = 30
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,150}$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection in a text cell (numbers pass unchanged).

    Examples
    --------
    >>> guard_cell("=HYPERLINK(1)"), guard_cell("ana"), guard_cell(-1.5)
    ("'=HYPERLINK(1)", 'ana', -1.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_file_name(name: str) -> bool:
    """Whether a ratee id can be used as a file name as it is.

    Examples
    --------
    >>> safe_file_name("ana.lopez"), safe_file_name("../etc/passwd"), safe_file_name("a b")
    (True, False, False)
    """
    return bool(SAFE_NAME.match(name)) and not name.endswith(".")


@click.group()
@click.version_option(package_name="tandem", prog_name="tandem")
def main() -> None:
    """Tandem's measurement core on the command line."""


main.add_command(stats)
# Imported when used (their modules load scipy, which would slow every other command down).
stats.add_lazy_command("raters", "tandem.measure.cli_raters:raters_command")
stats.add_lazy_command("cfa", "tandem.measure.cli_cfa:cfa_command")


def _parse_minimums(values: Iterable[str]) -> dict[str, int]:
    from tandem.measure.raters import GROUPS

    out = {}
    for text in values:
        group, _, number = text.partition("=")
        if group not in GROUPS or not number.isdigit() or int(number) < 1:
            raise click.BadParameter(
                f"{text!r}: write GROUP=N, e.g. peer=4 (groups: {', '.join(GROUPS)})",
                param_hint="--minimum",
            )
        out[group] = int(number)
    return out


def _progress(length: int, label: str, show: bool) -> Any:
    if not show:
        return None
    return click.progressbar(length=length, label=label, file=sys.stderr)


@main.command("score")
@click.argument("responses", type=click.Path(dir_okay=False))
@click.option(
    "--instrument",
    "instrument_ref",
    required=True,
    help="Instrument YAML file, or a shipped one by name (e.g. tandem-lm-1).",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help=(
        "Folder for summary.csv and the reports: <first>--<last>/<ratee>.json and .html, "
        "one folder per 1,000 ratees in id order (summary.csv lists each report's path)."
    ),
)
@click.option(
    "--minimum",
    "minimums",
    multiple=True,
    metavar="GROUP=N",
    help="Anonymity minimum for a rater group (repeatable; default self 1, manager 1, others 3).",
)
@click.option(
    "--min-answered",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True),
    help="Share of a scale's items a rater must answer for the scale to count.",
)
@click.option(
    "--cut",
    "agreement_cut",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0),
    help="Self-other agreement band, in standard deviations.",
)
@click.option(
    "--norms",
    "norms_path",
    type=click.Path(dir_okay=False),
    help="Stored norm file (JSON from --save-norms); default: norms of this file.",
)
@click.option(
    "--save-norms",
    "save_norms",
    type=click.Path(dir_okay=False),
    help="Write the norms used to this JSON file.",
)
@click.option(
    "--profile-cut",
    "profile_cut",
    metavar="L,M",
    help="Absolute leadership and management cuts, e.g. 3.5,3.5 (default: the norms' median).",
)
@click.option(
    "--cut-percentile",
    default=50.0,
    show_default=True,
    type=click.FloatRange(0, 100),
    help="Percentile of the norms used as the profile cut.",
)
@click.option(
    "--progress/--no-progress",
    "progress",
    default=None,
    help="Show progress bars (default: only for large files).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1),
    default=None,
    help="Processes writing the reports (default: up to 2, one per CPU).",
)
@click.option(
    "--timings",
    is_flag=True,
    help="Print load, score and write times and peak memory as JSON on stderr.",
)
def score_command(
    responses: str,
    instrument_ref: str,
    out_dir: str,
    minimums: tuple[str, ...],
    min_answered: float,
    agreement_cut: float,
    norms_path: str | None,
    save_norms: str | None,
    profile_cut: str | None,
    cut_percentile: float,
    progress: bool | None,
    jobs: int | None,
    timings: bool,
) -> None:
    """Score a 360 exported from any survey tool (long CSV: ratee,rater,group,item,value)."""
    from pathlib import Path

    from tandem.measure.answers import DuplicateAnswerError, long_to_wide
    from tandem.measure.batch import score_360
    from tandem.measure.instrument import InstrumentError, load_instrument
    from tandem.measure.norms import NormTable
    from tandem.measure.responses import ResponsesError, read_responses

    mins = _parse_minimums(minimums)
    cuts = None
    if profile_cut is not None:
        try:
            lead, man = (float(v) for v in profile_cut.split(","))
        except ValueError:
            raise click.BadParameter(
                "write two numbers, e.g. 3.5,3.5", param_hint="--profile-cut"
            ) from None
        cuts = (lead, man)
    try:
        instrument = load_instrument(instrument_ref)
    except InstrumentError as exc:
        raise click.ClickException(str(exc)) from None
    norms = None
    if norms_path is not None:
        try:
            norms = NormTable.from_dict(json.loads(Path(norms_path).read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise click.ClickException(f"{norms_path}: {exc}") from None

    size = Path(responses).stat().st_size if Path(responses).is_file() else 0
    show = progress if progress is not None else size >= PROGRESS_BYTES
    started = time.perf_counter()
    bar = _progress(size, "Reading responses", show)
    try:
        if bar is not None:
            with bar:
                data = read_responses(responses, instrument, progress=bar.update)
        else:
            data = read_responses(responses, instrument)
    except ResponsesError as exc:
        raise click.ClickException(str(exc)) from None
    loaded = time.perf_counter()

    try:
        wide = long_to_wide(
            data.row_pair,
            data.row_item,
            data.row_value,
            n_pairs=data.pair_ratee.shape[0],
            n_items=len(instrument.all_items),
        )
    except DuplicateAnswerError as exc:
        first, second = (data.line_of(r) for r in exc.rows)
        raise click.ClickException(
            f"{responses}, row {second}, column 'item': the same rater answers this item for the "
            f"same ratee in row {first} too"
        ) from None
    try:
        scored = score_360(
            wide,
            ratee=data.pair_ratee,
            group=data.pair_group,
            instrument=instrument,
            ratee_ids=data.ratee_ids,
            minimums=mins,
            min_answered=min_answered,
            cut=agreement_cut,
            norms=norms,
            profile_cuts=cuts,
            cut_percentile=cut_percentile,
        )
    except ValueError as exc:
        raise click.ClickException(f"{responses}: {exc}") from None
    del wide
    scored_at = time.perf_counter()
    if norms is None:
        normed = int(scored.norms.n_[0]) if scored.norms.n_.size else 0
        if normed < SMALL_NORM_GROUP:
            click.echo(
                f"Note: the norms come from only {normed} ratee(s) with ratings from others, so "
                "percentiles and norm-referenced cuts are rough; give --norms FILE (or "
                "--profile-cut L,M) for steadier ones.",
                err=True,
            )

    for r, ratee in enumerate(data.ratee_ids):
        if not safe_file_name(ratee):
            raise click.ClickException(
                f"{responses}, row {int(data.ratee_first_line[r])}, column 'ratee': {ratee!r} "
                "cannot be used as a file name; use letters, digits, '.', '_', '-', '@' or '+'"
            )
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    count = len(data.ratee_ids)
    write_bar = _progress(
        count, "Writing reports", show or (progress is None and count >= PROGRESS_RATEES)
    )
    worker_peak = _write(folder, scored, instrument, write_bar, jobs or min(2, os.cpu_count() or 1))
    if save_norms:
        Path(save_norms).write_text(json.dumps(scored.norms.to_dict()), encoding="utf-8")
    done = time.perf_counter()
    click.echo(
        f"Scored {count} ratees from {data.n_rows} answers; reports are in {folder}/, "
        "one folder per 1,000 ratees in id order (summary.csv lists each report's path)"
    )
    if timings:
        peak = max(peak_memory_bytes(), worker_peak)
        click.echo(
            json.dumps(
                {
                    "rows": data.n_rows,
                    "ratees": count,
                    "load_s": round(loaded - started, 3),
                    "score_s": round(scored_at - loaded, 3),
                    "write_s": round(done - scored_at, 3),
                    "peak_rss_gib": round(peak / 1024**3, 3),
                }
            ),
            err=True,
        )


_WRITE_STATE: dict[str, Any] = {}


def peak_memory_bytes() -> int:
    """This process's peak resident memory in bytes (Linux VmHWM; else the rusage maximum).

    Examples
    --------
    >>> peak_memory_bytes() > 0
    True
    """
    try:
        with open("/proc/self/status", encoding="utf-8") as status:
            lines = status.read().splitlines()
        for line in lines:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    import resource

    scale = 1 if sys.platform == "darwin" else 1024
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * scale


def _write_file(name: str, data: bytes, directory: int) -> None:
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=directory)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def report_folders(ratee_ids: Sequence[str], per_folder: int = RATEES_PER_FOLDER) -> list[str]:
    """Names of the report folders: one per ``per_folder`` ratees in order, ``<first>--<last>``.

    A folder holds a run of ratees in id order (as summary.csv lists them), so a person's
    report is found the way a word is found in a dictionary. Very long ids are cut to keep
    the name within file-system limits; a name already taken gets the folder's number.

    Examples
    --------
    >>> report_folders(["ana", "ben", "cy"], per_folder=2)
    ['ana--ben', 'cy--cy']
    """
    names: list[str] = []
    taken: set[str] = set()
    for number, start in enumerate(range(0, len(ratee_ids), per_folder), start=1):
        first = ratee_ids[start]
        last = ratee_ids[min(start + per_folder, len(ratee_ids)) - 1]
        name = f"{first[:100]}--{last[:100]}"
        if name in taken:
            name += f"--{number}"
        taken.add(name)
        names.append(name)
    return names


def _write_reports(block: int) -> tuple[int, int]:
    """Write the reports of the ratees of folder ``block``; return (count, peak memory).

    The text is :class:`tandem.measure._report_text.ReportText`'s: byte for byte what
    ``json.dumps(ratee_dicts(...))`` and ``render_html`` give, several times faster. Each
    folder is written by one process, so writers never wait for each other on a directory.
    """
    # The reports are strings and arrays of strings: no reference cycles for the collector
    # to find, and its passes over millions of new objects cost more than the writing.
    gc.disable()
    text = _WRITE_STATE["text"]
    start = block * RATEES_PER_FOLDER
    stop = min(start + RATEES_PER_FOLDER, len(text.scored.ratee_ids))
    folder = os.path.join(_WRITE_STATE["folder"], _WRITE_STATE["folders"][block])
    os.makedirs(folder, exist_ok=True)
    directory = os.open(folder, os.O_RDONLY)
    try:
        for name, report_json, report_html in text.texts(start, stop):
            _write_file(f"{name}.json", report_json.encode("utf-8"), directory)
            _write_file(f"{name}.html", report_html.encode("utf-8"), directory)
    finally:
        os.close(directory)
    return stop - start, peak_memory_bytes()


def _write(folder: Path, scored: Any, instrument: Any, bar: Any, jobs: int) -> int:
    """Write every ratee's reports (in ``jobs`` forked processes) and summary.csv meanwhile.

    Returns the largest peak memory of the worker processes (0 when written in-process).
    """
    from tandem.measure._report_text import ReportText
    from tandem.measure.report import summary_header, summary_rows

    folders = report_folders(scored.ratee_ids)
    blocks = list(range(len(folders)))
    _WRITE_STATE.update(text=ReportText(scored), folder=folder, folders=folders)
    update = bar.update if bar is not None else (lambda n: None)
    worker_peak = 0

    def summary() -> None:
        with (folder / "summary.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([*summary_header(instrument.scale_ids), "html", "json"])
            for r, row in enumerate(summary_rows(scored)):
                where = f"{folders[r // RATEES_PER_FOLDER]}/{row[0]}"
                writer.writerow([*(guard_cell(v) for v in row), f"{where}.html", f"{where}.json"])

    import multiprocessing  # here, not at the top: only writing reports needs it

    try:
        if jobs > 1 and len(blocks) > 1 and "fork" in multiprocessing.get_all_start_methods():
            # Forked workers share the scored arrays copy-on-write; nothing is pickled but numbers.
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                results = pool.imap_unordered(_write_reports, blocks)
                summary()  # while the workers write the reports
                for n, peak in results:
                    update(n)
                    worker_peak = max(worker_peak, peak)
        else:
            summary()
            for block in blocks:
                update(_write_reports(block)[0])
    finally:
        _WRITE_STATE.clear()
        gc.enable()
    return worker_peak


if __name__ == "__main__":  # python -m tandem.measure.cli
    main()
