"""A whole organisation through one cycle at scale, on real parts: PostgreSQL, RabbitMQ and two
Celery workers (issue "Fast end to end", part 4).

Each stage runs in a process of its own, so its peak resident memory (``ru_maxrss``) is that
stage's own; the workers' peak is read from ``/proc`` (VmHWM of each worker and its pool child).

1. people: ``SIZE`` people in one reporting tree (a CEO, spans of 7, eight departments), made
   by a small generator here (the demo generator stops at 1,000) and written through the real
   import service, :func:`tandem.people.services.people_import_apply`;
2. launch: :func:`tandem.cycles.services.cycle_create` for everyone, then the real
   :func:`tandem.cycles.services.cycle_launch`: participants, their self, manager and
   direct-report sheets, a link for everyone and the self-assessment emails queued;
3. invitations: every participant's list filled with peers up to ``SHEETS`` sheets, from their
   own team and the teams next to it (written in bulk, as if each had chosen them), then the
   lists approved. The first ``APPROVE_SAMPLE``
   approvals go through the real :func:`tandem.cycles.services.nominations_approve` (each
   rater emailed their link) and are timed; the rest are approved in bulk, without emails, and
   the per-approval time is projected. The emails and delivery tasks queued on RabbitMQ are
   counted and then deleted: no invitation is sent;
4. answers: every sheet answered, ~35 answers a sheet, bulk-loaded with ``COPY``, the cycle
   closed by :func:`tandem.cycles.services.cycle_close`, then ``ANALYZE`` (timed on its own):
   PostgreSQL plans by table statistics, and a table bulk-loaded a moment ago has none until
   autovacuum gets to it;
5. release: :func:`tandem.cycles.tasks.cycle_release_queued` run as a worker runs it (one
   transaction: read every answer, score, store reports and anonymous sheets, delete the live
   answers, queue "your report is ready" and the rendering);
6. workers: two Celery workers (one process each: this machine has 2 cores) take the queued
   work from RabbitMQ: the emails (Django's dummy mail backend: nothing leaves the machine),
   every report's page and PDF, instrument health. At about a second of a worker per report a
   100,000-person organisation needs hours, so the workers run for a fixed budget
   (``WORKER_SECONDS``), the reports they finished are counted, and the rest is projected.

Sizes: ``--quick`` 200 people (the suite's smoke run), else 10,000; ``BENCH_SCALE_PEOPLE`` sets
any other (2000 for a small run, 100000 for the big one; ``BENCH_SCALE_WORKER_SECONDS`` sets
the workers' budget, default 600, 20 with --quick). Each
stage's result is also appended, as it finishes, to ``bench/out/scale-<people>.jsonl``, so a
run that does not finish still says which stages did.

Projection: stages that are one transaction (import, launch, release) do not spread over
workers and are scaled linearly in size to 100,000 when run smaller; the workers' work is
projected from seconds per report per worker to 2, 16 and 64 workers.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.bench_cycle_load import fresh_database, with_workers
from bench.bench_release import _peak_mb, _progress, queue_delete, workers_start, workers_stop

NAME = "scale"
REQUIREMENT = "every stage runs at the size; reports rendered within the budget counted"
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
FULL, QUICK = 10_000, 200
TARGET = 100_000
SHEETS = 10
"""Sheets per participant: self, manager, direct reports, peers to fill the list."""
SPAN = 7
APPROVE_SAMPLE = int(os.environ.get("BENCH_SCALE_APPROVE_SAMPLE", 500))
REAL_LAUNCH_UP_TO = int(os.environ.get("BENCH_SCALE_REAL_LAUNCH_UP_TO", 10_000))
"""Larger organisations are launched in bulk (the real launch takes ~40 ms a person here)."""
WORKERS = 2
MEMORY_LIMIT_MB = int(os.environ.get("BENCH_SCALE_MEMORY_LIMIT_MB", 10_000))
SEED = 19


# --- the stages, each run in a Django process of its own ----------------------------------------


def _people_records(size: int) -> list[Any]:
    """``size`` people: person k reports to person (k - 1) // SPAN; the CEO's reports head the
    departments, and everyone below is in their top manager's department."""
    from tandem.people.records import PersonRecord

    department = ["Executive"] + [""] * (size - 1)
    records = []
    for k in range(size):
        manager = (k - 1) // SPAN if k else -1
        if k and not department[k]:
            department[k] = f"Department {k}" if manager == 0 else department[manager]
        records.append(
            PersonRecord(
                employee_id=f"E{k:06d}",
                name=f"Person {k}",
                email=f"person{k}@scale.example",
                manager_id=f"E{manager:06d}" if manager >= 0 else "",
                title="Manager" if k * SPAN + 1 < size else "Engineer",
                department=department[k],
                track="manager" if k * SPAN + 1 < size else "ic",
                level=min(4, 1 + (k > 0) + (k > SPAN) + (k > SPAN * SPAN)),
            )
        )
    return records


def stage_people(size: int) -> dict[str, Any]:
    from tandem.people.services import organisation_create, people_import_apply

    started = time.perf_counter()
    records = _people_records(size)
    generated = time.perf_counter() - started
    organisation = organisation_create(name="Scale bench")
    started = time.perf_counter()
    outcome = people_import_apply(
        organisation=organisation, records=records, actor=None, source="bench_scale"
    )
    return {
        "seconds": time.perf_counter() - started,
        "generate_s": generated,
        "people": outcome.added,
        "organisation": organisation.pk,
    }


def _launch_in_bulk(cycle: Any) -> None:
    """What :func:`cycle_launch` writes, with COPY: participants, self, manager and
    direct-report sheets, a link per person; no tokens and no emails."""
    from django.db import transaction
    from django.utils import timezone

    from tandem.cycles.models import CycleStatus, Nomination, Participant, RaterLink
    from tandem.people.models import Person
    from tandem.web.bulk import rows_insert, tables_analyze

    now = timezone.now()
    people = list(
        Person.objects.filter(organisation=cycle.organisation).values_list("pk", "manager_id")
    )
    with transaction.atomic():
        rows_insert(
            Participant,
            ["cycle", "person", "nominations_state", "manager_may_view"],
            ((cycle.pk, person, "open", True) for person, _ in people),
        )
        participant = dict(
            Participant.objects.filter(cycle=cycle).values_list("person_id", "pk").iterator()
        )

        def sheets() -> Iterator[tuple[Any, ...]]:
            for person, manager in people:
                yield participant[person], person, "self", True, now, False
                if manager is not None:
                    yield participant[person], manager, "manager", False, None, False
                    yield participant[manager], person, "direct_report", False, None, False

        fields = ["participant", "rater", "group", "approved", "invited_at", "started"]
        rows_insert(Nomination, fields, sheets())
        rows_insert(
            RaterLink,
            ["cycle", "rater", "last_sent_at"],
            ((cycle.pk, person, now) for person, _ in people),
        )
        cycle.status = CycleStatus.OPEN
        cycle.launched_at = now
        cycle.save(update_fields=["status", "launched_at"])
    # As the real launch does once it has committed (without it, at 100,000 people each list
    # approval scanned the million sheets: 3.5 s instead of 0.05 s).
    tables_analyze(Participant, Nomination, RaterLink)


def stage_launch(organisation_id: int) -> dict[str, Any]:
    import datetime as dt

    from django.utils import timezone

    from tandem.cycles.instruments import instrument_default_install
    from tandem.cycles.models import Nomination
    from tandem.cycles.services import cycle_create, cycle_launch
    from tandem.outbox.models import OutgoingMail
    from tandem.people.models import Organisation

    organisation = Organisation.objects.get(pk=organisation_id)
    people = organisation.people.count()
    version = instrument_default_install(organisation=organisation, actor=None)
    today = timezone.localdate()
    cycle = cycle_create(
        organisation=organisation,
        name="Scale 360",
        instrument=version,
        opens_on=today,
        closes_on=today + dt.timedelta(days=21),
        actor=None,
    )
    started = time.perf_counter()
    through_service = people <= REAL_LAUNCH_UP_TO
    if through_service:
        cycle_launch(cycle=cycle, actor=None)
    else:
        _launch_in_bulk(cycle)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "through_service": through_service,
        "cycle": cycle.pk,
        "sheets": Nomination.objects.filter(participant__cycle=cycle).count(),
        "emails_queued": OutgoingMail.objects.filter(kind="cycle.self_link").count(),
    }


def _peers(
    people: list[tuple[int, int | None]], taken: dict[int, set[int]], rng: Any
) -> Iterator[tuple[int, int]]:
    """(person, peer) pairs: each person's list filled up to SHEETS with the colleagues they work
    with, as people choose peers: their teammates (the same manager) in a random order, then the
    people in the teams next to theirs (their manager's manager's other teams).

    Peers drawn at random from a whole department instead make the rater-leniency model's
    factor fill in: its cost grows with the cube of the department's size (see docs/deploy.md).
    """
    manager_of = dict(people)
    team: dict[int | None, list[int]] = {}
    for person, manager in people:
        team.setdefault(manager, []).append(person)
    for person, manager in people:
        have = taken[person]
        wanted = SHEETS - len(have)
        if wanted <= 0 or manager is None:
            continue
        grand = manager_of.get(manager)
        nearby = [
            p for uncle in team.get(grand, []) if uncle != manager for p in team.get(uncle, [])
        ]
        for pool in (team[manager], nearby if grand is not None else []):
            for k in rng.permutation(len(pool)).tolist():
                if wanted and pool[k] not in have:
                    have.add(pool[k])
                    wanted -= 1
                    yield person, pool[k]


def stage_invitations(cycle_id: int) -> dict[str, Any]:
    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from tandem.cycles.models import Cycle, Nomination, NominationsState, Participant
    from tandem.cycles.services import nominations_approve
    from tandem.outbox.models import OutgoingMail
    from tandem.web.bulk import rows_insert, tables_analyze

    cycle = Cycle.objects.get(pk=cycle_id)
    participants = dict(
        Participant.objects.filter(cycle=cycle).values_list("person_id", "pk").iterator()
    )
    taken: dict[int, set[int]] = {person: set() for person in participants}
    for participant, rater in Nomination.objects.filter(participant__cycle=cycle).values_list(
        "participant__person_id", "rater_id"
    ):
        taken[participant].add(rater)
    people = list(
        Participant.objects.filter(cycle=cycle).values_list("person_id", "person__manager_id")
    )
    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    with transaction.atomic():
        peers = rows_insert(
            Nomination,
            ["participant", "rater", "group", "approved", "invited_at", "started"],
            (
                (participants[person], peer, "peer", False, None, False)
                for person, peer in _peers(people, taken, rng)
            ),
        )
    # People choose their peers over days, and autovacuum refreshes the statistics meanwhile;
    # written in one go here, the table is analyzed as autovacuum would have.
    tables_analyze(Nomination)
    peers_s = time.perf_counter() - started

    sample = list(Participant.objects.filter(cycle=cycle).order_by("pk")[:APPROVE_SAMPLE])
    before = OutgoingMail.objects.count()
    started = time.perf_counter()
    for participant in sample:
        nominations_approve(participant=participant, actor=None)
    approve_s = time.perf_counter() - started
    sample_emails = OutgoingMail.objects.count() - before

    started = time.perf_counter()
    now = timezone.now()
    rest = Nomination.objects.filter(participant__cycle=cycle, invited_at=None)
    with transaction.atomic():
        bulk_sheets = rest.count()
        rest.update(approved=True, invited_at=now)
        Participant.objects.filter(cycle=cycle).exclude(
            nominations_state=NominationsState.APPROVED
        ).update(nominations_state=NominationsState.APPROVED, approved_at=now)
    bulk_s = time.perf_counter() - started
    sheets = Nomination.objects.filter(participant__cycle=cycle).count()
    per_approval = approve_s / max(len(sample), 1)
    return {
        "seconds": approve_s,
        "peers_added": peers,
        "peers_copy_s": peers_s,
        "approvals_through_service": len(sample),
        "seconds_per_approval": per_approval,
        "emails_queued_by_sample": sample_emails,
        "sheets_approved_in_bulk": bulk_sheets,
        "bulk_approve_s": bulk_s,
        "approve_all_projected_s": per_approval * len(participants),
        "sheets": sheets,
    }


def _answer_lines(
    nominations: list[tuple[int, int, int, str]], instrument: Any, rng: Any
) -> Iterator[bytes]:
    """COPY text lines (nomination, item, value, text) for these sheets, a block at a time:
    each person has a level, each rater a generosity, each answer noise."""
    import numpy as np

    rated = [item.id for item in instrument.items]
    extra = [item.id for item in instrument.self_items]
    level: dict[int, float] = {}
    generosity: dict[int, float] = {}
    block: list[str] = []
    for nomination, person, rater, group in nominations:
        mean = level.setdefault(person, 3.3 + 0.5 * float(rng.normal()))
        mean += generosity.setdefault(rater, 0.35 * float(rng.normal()))
        mean += 0.35 if group == "self" else 0.0
        values = np.clip(np.rint(mean + 0.7 * rng.normal(size=len(rated))), 1, 5).astype(int)
        block.extend(
            f"{nomination}\t{item}\t{value}\t\n"
            for item, value in zip(rated, values.tolist(), strict=True)
        )
        if group == "self":
            block.extend(f"{nomination}\t{item}\t3\t\n" for item in extra)
        if len(block) >= 200_000:
            yield "".join(block).encode()
            block = []
    if block:
        yield "".join(block).encode()


def stage_answers(cycle_id: int) -> dict[str, Any]:
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from tandem.cycles.instruments import instrument_of
    from tandem.cycles.models import Answer, Cycle, Nomination
    from tandem.cycles.services import cycle_close

    cycle = Cycle.objects.get(pk=cycle_id)
    instrument = instrument_of(cycle.instrument)
    nominations = list(
        Nomination.objects.filter(participant__cycle=cycle, approved=True)
        .order_by("pk")
        .values_list("pk", "participant__person_id", "rater_id", "group")
        .iterator(chunk_size=50_000)
    )
    table = Answer._meta.db_table
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # A bulk load of rows known to be valid: skip the per-row foreign-key trigger (the
        # usual way to load a dump; needs a superuser, as the bench's server has).
        cursor.execute("SET LOCAL session_replication_role = replica")
        copy_sql = f"COPY {table} (nomination_id, item_id, value, text) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for chunk in _answer_lines(nominations, instrument, np.random.default_rng(SEED)):
                copy.write(chunk)
        Nomination.objects.filter(participant__cycle=cycle).update(
            started=True, finished_at=timezone.now()
        )
    copy_s = time.perf_counter() - started
    cycle_close(cycle=cycle, actor=None)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}, {Nomination._meta.db_table}")
    analyze_s = time.perf_counter() - started
    return {
        "seconds": copy_s,
        "analyze_s": analyze_s,
        "answers": Answer.objects.filter(nomination__participant__cycle=cycle).count(),
        "sheets": len(nominations),
    }


def _queued_messages(prefix: str) -> int:
    from tandem.web.celery import app

    with app.connection_for_write() as broker:
        _, count, _ = broker.default_channel.queue_declare(f"{prefix}default", passive=True)
    return int(count)


def stage_release(cycle_id: int) -> dict[str, Any]:
    from django.urls import reverse

    from tandem.cycles.models import ReleasedAnswer, Report
    from tandem.cycles.tasks import cycle_release_queued

    reverse("cycles:report", args=[1])  # a worker has the URL map loaded already
    started = time.perf_counter()
    released = cycle_release_queued.call(cycle_id, None)
    return {
        "seconds": time.perf_counter() - started,
        "released": released,
        "reports": Report.objects.filter(participant__cycle_id=cycle_id).count(),
        "released_answers": ReleasedAnswer.objects.filter(
            sheet__participant__cycle_id=cycle_id
        ).count(),
    }


STAGE_FUNCTIONS = {
    "people": stage_people,
    "launch": stage_launch,
    "invitations": stage_invitations,
    "answers": stage_answers,
    "release": stage_release,
}


def _stage_main(name: str, argument: int) -> None:
    import django

    django.setup()
    out = STAGE_FUNCTIONS[name](argument)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


# --- the driver ---------------------------------------------------------------------------------


class StageStopped(RuntimeError):
    """A stage was stopped: past the run's deadline or over the memory limit."""


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _stage(
    name: str, argument: int, env: dict[str, str], log: Path, deadline: float
) -> dict[str, Any]:
    """Run one stage in a process of its own; stop it past ``deadline`` (a perf_counter time)
    or above MEMORY_LIMIT_MB resident (the machine is shared)."""
    import subprocess
    import tempfile

    print(f"   scale: {name} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.bench_scale", "--stage", name, str(argument)],
            env={
                **env,
                "DJANGO_SETTINGS_MODULE": "tandem.web.settings",
                "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}",
            },
            stdout=out,
            stderr=err,
            cwd=ROOT,
        )
        peak = 0.0
        while process.poll() is None:
            time.sleep(2)
            peak = max(peak, _rss_mb(process.pid))
            why = ""
            if time.perf_counter() > deadline:
                why = "past the run's deadline"
            elif peak > MEMORY_LIMIT_MB:
                why = f"over {MEMORY_LIMIT_MB} MB resident"
            if why:
                process.kill()
                process.wait()
                stopped = {"seconds": time.perf_counter() - started, "peak_mb": peak}
                _note(log, f"{name} stopped ({why})", stopped)
                raise StageStopped(f"{name} stopped {why} after {stopped['seconds']:.0f} s")
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"stage {name} failed:\n{err.read()[-4000:]}")
        result: dict[str, Any] = json.loads(out.read().strip().splitlines()[-1])
    _note(log, name, result)
    return result


def _note(log: Path, name: str, result: dict[str, Any]) -> None:
    line = json.dumps({"stage": name, "at": time.strftime("%Y-%m-%d %H:%M:%S"), **result})
    print(f"   scale: {line}", file=sys.stderr, flush=True)
    with log.open("a") as handle:
        handle.write(line + "\n")


def _workers(
    env: dict[str, str], prefix: str, workdir: Path, database_url: str, cycle: int, budget: float
) -> dict[str, Any]:
    workers = workers_start(env, prefix, workdir, WORKERS)
    started = time.perf_counter()
    reports = prepared = emails = sent = 0
    first_report_at = None
    try:
        while time.perf_counter() - started < budget:
            time.sleep(5)
            reports, prepared, emails, sent = _progress(database_url, cycle)
            if prepared and first_report_at is None:
                first_report_at = time.perf_counter() - started
            if reports and prepared >= reports and sent >= emails:
                break
        seconds = time.perf_counter() - started
        peak = max(_peak_mb(w.pid) for w in workers)
    finally:
        workers_stop(workers)
    return {
        "seconds": seconds,
        "budget_s": budget,
        "reports": reports,
        "reports_prepared": prepared,
        "emails": emails,
        "emails_sent": sent,
        "first_report_after_s": first_report_at,
        "peak_mb": peak,
    }


def run(*, quick: bool = False, workdir: Path) -> dict[str, Any]:
    size = int(os.environ.get("BENCH_SCALE_PEOPLE", QUICK if quick else FULL))
    budget = float(os.environ.get("BENCH_SCALE_WORKER_SECONDS", 20 if quick else 600))
    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / f"scale-{size}.jsonl"
    stages: dict[str, dict[str, Any]] = {}
    keep = bool(os.environ.get("BENCH_SCALE_KEEP_DATABASE"))
    with fresh_database("scale", keep=keep) as (database, name):
        env, prefix = with_workers(database, workdir / "media")
        env["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
        try:
            _note(log, "start", {"people": size, "database": name, "worker_budget_s": budget})
            deadline = time.perf_counter() + float(os.environ.get("BENCH_SCALE_DEADLINE_S", 1e9))
            stages["people"] = _stage("people", size, env, log, deadline)
            organisation = stages["people"]["organisation"]
            stages["launch"] = _stage("launch", organisation, env, log, deadline)
            cycle = int(stages["launch"]["cycle"])
            stages["invitations"] = _stage("invitations", cycle, env, log, deadline)
            stages["invitations"]["tasks_queued"] = _queued_messages(prefix)
            queue_delete(prefix)  # no invitation is sent
            stages["answers"] = _stage("answers", cycle, env, log, deadline)
            stages["release"] = _stage("release", cycle, env, log, deadline)
            stages["release"]["tasks_queued"] = _queued_messages(prefix)
            logs = OUT / f"scale-{size}-workers"
            logs.mkdir(exist_ok=True)
            stages["workers"] = _workers(env, prefix, logs, env["DATABASE_URL"], cycle, budget)
            _note(log, "workers", stages["workers"])
        except StageStopped as stopped:
            stages["stopped"] = {"why": str(stopped)}
        finally:
            queue_delete(prefix)
    return _result(size, budget, stages)


def _result(size: int, budget: float, stages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if "workers" not in stages:
        return _partial(size, stages)
    workers = stages["workers"]
    prepared = int(workers["reports_prepared"])
    rendering_s = max(workers["seconds"] - (workers["first_report_after_s"] or 0.0), 1e-9)
    per_report = WORKERS * rendering_s / prepared if prepared else None
    scale = TARGET / size
    projection: dict[str, Any] = {
        f"{stage}_s_at_100k": round(stages[stage]["seconds"] * scale, 0)
        for stage in ("people", "launch", "answers", "release")
    }
    projection["approve_all_s_at_100k"] = round(
        stages["invitations"]["seconds_per_approval"] * TARGET, 0
    )
    if per_report is not None:
        projection.update(
            {
                f"reports_at_100k_with_{n}_workers_h": round(TARGET * per_report / n / 3600, 2)
                for n in (2, 16, 64)
            }
        )
    metrics: dict[str, Any] = {}
    for stage, values in stages.items():
        for key, value in values.items():
            if key in {"organisation", "cycle", "budget_s"}:
                continue
            metrics[f"{stage}_{key}"] = round(value, 3) if isinstance(value, float) else value
    metrics["seconds_per_report_per_worker"] = round(per_report, 3) if per_report else None
    metrics["projection_one_transaction_stages_linear"] = projection
    passed = (
        stages["release"]["reports"] == size
        and stages["release"]["released"]
        and prepared > 0
        and stages["answers"]["answers"] > 0
    )
    return {
        "name": NAME,
        "size": f"{size:,} people and participants, {stages['answers']['sheets']:,} sheets, "
        f"{stages['answers']['answers']:,} answers; PostgreSQL, RabbitMQ, {WORKERS} Celery "
        f"workers x 1 process for {budget:g} s",
        "ratio": round(prepared / size, 4),
        "ratio_meaning": f"share of the reports the workers rendered within {budget:g} s",
        "requirement": REQUIREMENT,
        "passed": bool(passed),
        "metrics": metrics,
    }


def _partial(size: int, stages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The record of a run stopped before the workers: the stages that finished, and why."""
    metrics: dict[str, Any] = {}
    for stage, values in stages.items():
        for key, value in values.items():
            if key not in {"organisation", "cycle"}:
                metrics[f"{stage}_{key}"] = round(value, 3) if isinstance(value, float) else value
    answers = stages.get("answers", {})
    return {
        "name": NAME,
        "size": f"{size:,} people and participants, {answers.get('sheets', 0):,} sheets, "
        f"{answers.get('answers', 0):,} answers; PostgreSQL, RabbitMQ; stopped before the workers",
        "ratio": None,
        "ratio_meaning": "none: the run did not reach the workers",
        "requirement": REQUIREMENT,
        "passed": False,
        "metrics": metrics,
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--stage"]:
        _stage_main(sys.argv[2], int(sys.argv[3]))
    else:
        outcome = run(quick="--quick" in sys.argv, workdir=Path.cwd())
        print(json.dumps(outcome, indent=2))
