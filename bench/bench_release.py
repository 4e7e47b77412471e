"""A cycle's release at scale, on real parts: PostgreSQL, RabbitMQ and two Celery workers.

Stages, each timed, with peak memory (issue "Fast end to end", part 4):

1. people: the demo generator's organisation (1,000 people, its largest), through the import;
2. answers: every person rated by self, manager, peers and reports (about 270 answers per
   person), bulk-loaded and the cycle closed;
3. release: scoring the whole cycle in one transaction (reports, anonymous sheets, the live
   answers deleted) and queueing "your report is ready" for everyone, as a worker runs it;
4. workers: two Celery workers (one process each, this machine has 2 cores) take the queued
   work from RabbitMQ: every report's page and PDF, the emails (to Django's in-memory mail
   backend), instrument health.

Then the projection of each stage to a 100,000-person organisation and to more workers,
written down from the measured rates. The release stage is one transaction and does not
spread over workers; rendering and email spread over as many workers as there are cores.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.bench_cycle_load import _django, _libpq, fresh_database, with_workers

NAME = "release"
REQUIREMENT = "every report laid out and every email sent by the workers; stages recorded"
ROOT = Path(__file__).resolve().parents[1]
FULL, QUICK = 1000, 30
TARGET = 100_000

STAGES = r"""
import json, resource, sys, time
import django
django.setup()
from tandem.cycles.demo import demo_cycle_answered
from tandem.cycles.release import cycle_release
from tandem.people.services import demo_people_load, organisation_create

size = int(sys.argv[1])
out = {}
started = time.perf_counter()
organisation = organisation_create(name="Release bench", is_demo=True)
demo_people_load(organisation=organisation, actor=None, seed=11, size=size)
out["people_s"] = time.perf_counter() - started
started = time.perf_counter()
cycle = demo_cycle_answered(organisation=organisation, seed=11)
out["answers_s"] = time.perf_counter() - started
from tandem.cycles.models import Answer
out["answers"] = Answer.objects.filter(nomination__participant__cycle=cycle).count()
from django.urls import reverse
reverse("cycles:report", args=[1])  # load the URL map first: a worker has it already
started = time.perf_counter()
cycle_release(cycle=cycle, actor=None)
out["release_s"] = time.perf_counter() - started
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["cycle"] = cycle.pk
json.dump(out, sys.stdout)
"""


def _peak_mb(pid: int) -> float:
    """Peak resident memory of a process and its children (the worker and its pool)."""
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    except OSError:
        pass
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def _progress(database_url: str, cycle: int) -> tuple[int, int, int, int]:
    import psycopg

    with psycopg.connect(_libpq(database_url)) as connection:
        reports, prepared = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE body_key <> '' AND pdf_key <> '') "
            "FROM cycles_report r JOIN cycles_participant p ON p.id = r.participant_id "
            "WHERE p.cycle_id = %s",
            [cycle],
        ).fetchone()  # type: ignore[misc]
        emails, sent = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'sent') FROM outbox_outgoingmail "
            "WHERE about = %s",
            [f"cycle:{cycle}"],
        ).fetchone()  # type: ignore[misc]
    return int(reports), int(prepared), int(emails), int(sent)


def workers_start(
    env: dict[str, str], prefix: str, workdir: Path, count: int
) -> list[subprocess.Popen[bytes]]:
    """``count`` Celery workers of one process each on the bench's queue, logs in ``workdir``."""
    workers = []
    for k in range(count):
        command = [
            sys.executable, "-m", "celery", "-A", "tandem.web.celery", "worker",
            "-Q", f"{prefix}default", "-c", "1", "-n", f"bench{k}@%h", "-l", "WARNING",
            "--without-mingle", "--without-gossip", "--without-heartbeat",
        ]  # fmt: skip
        log = (workdir / f"worker{k}.log").open("wb")
        workers.append(
            subprocess.Popen(
                command,
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return workers


def workers_stop(workers: list[subprocess.Popen[bytes]]) -> None:
    """Stop the workers (a warm shutdown lets each finish its task; killed after a minute)."""
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def queue_delete(prefix: str) -> None:
    """Delete the bench's RabbitMQ queue (and whatever is still in it)."""
    from tandem.web.celery import app

    try:
        with app.connection_for_write() as broker:
            broker.default_channel.queue_delete(f"{prefix}default")
    except Exception as error:  # the result stands; say what was left behind
        print(f"could not delete the bench queue: {error}", file=sys.stderr)


def run(*, quick: bool = False, workdir: Path) -> dict[str, Any]:
    size = QUICK if quick else FULL
    with fresh_database("release") as (database, _name):
        env, prefix = with_workers(database, workdir / "media")
        workers: list[subprocess.Popen[bytes]] = []
        try:
            stages = json.loads(_django(STAGES, env, str(size)))
            cycle = int(stages["cycle"])
            started = time.perf_counter()
            workers = workers_start(env, prefix, workdir, 2)
            deadline = started + (600 if quick else 3600)
            while time.perf_counter() < deadline:
                reports, prepared, emails, sent = _progress(env["DATABASE_URL"], cycle)
                if prepared >= reports and sent >= emails:
                    break
                time.sleep(1)
            workers_s = time.perf_counter() - started
            worker_peak = max(_peak_mb(w.pid) for w in workers)
        finally:
            workers_stop(workers)
            queue_delete(prefix)

    per_report_worker_s = 2 * workers_s / max(reports, 1)
    scale = TARGET / size
    projection = {
        "people_s": round(stages["people_s"] * scale, 0),
        "answers_s": round(stages["answers_s"] * scale, 0),
        "release_s": round(stages["release_s"] * scale, 0),
        **{
            f"reports_with_{n}_workers_h": round(TARGET * per_report_worker_s / n / 3600, 2)
            for n in (2, 16, 64)
        },
    }
    passed = reports == prepared == size and emails == sent == size
    return {
        "name": NAME,
        "size": f"{size:,} people and participants, {stages['answers']:,} answers, "
        "PostgreSQL, RabbitMQ, 2 Celery workers x 1 process",
        "ratio": round(stages["release_s"] / workers_s, 3),
        "ratio_meaning": "release (one transaction) seconds / workers' seconds for every "
        "report and email after it",
        "requirement": REQUIREMENT,
        "passed": passed,
        "metrics": {
            "people_s": round(stages["people_s"], 2),
            "answers_s": round(stages["answers_s"], 2),
            "release_s": round(stages["release_s"], 2),
            "release_peak_mb": round(stages["peak_mb"], 0),
            "workers_s": round(workers_s, 1),
            "worker_peak_mb": round(worker_peak, 0),
            "reports": reports,
            "reports_prepared": prepared,
            "emails": emails,
            "emails_sent": sent,
            "seconds_per_report_per_worker": round(per_report_worker_s, 3),
            "projection_to_100k_linear": projection,
        },
    }
