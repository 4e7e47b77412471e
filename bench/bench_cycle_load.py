"""Answer saving under load: gunicorn on PostgreSQL, 1,000 simulated raters for 60 seconds.

Requirement (issue 4): every answer a rater sends is stored (sent == stored), no 5xx; report
throughput and p99 latency, and the ratio of answer-saving throughput to a bare Django view
(``/healthz``) served the same way, by the same server, in the same run.

How it runs: a fresh database is created on the PostgreSQL server in ``DATABASE_URL`` (else
the server on 127.0.0.1:5432, else the benchmark re-runs itself inside ``pg_virtualenv``),
migrated, and seeded
with an open cycle: 100 participants, 1,000 raters with one sheet and one link each. gunicorn
serves the real project (gthread workers, DEBUG off). Each simulated rater opens its sheet
through its link (which sets the CSRF cookie), then answers the sheet's questions one at a
time, in random order, each answer once, pausing 0.5-1.5 s between answers like a person
reading the next question, exactly as the htmx form posts them; raters arrive over the
first ten seconds. Then the same number of
clients request ``/healthz`` with the same pauses for the same time.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

NAME = "cycle_load"
REQUIREMENT = "answers sent == stored, 0 server errors"
ROOT = Path(__file__).resolve().parents[1]

FULL = {"raters": 1000, "seconds": 60.0, "participants": 100}
QUICK = {"raters": 40, "seconds": 5.0, "participants": 4}
THINK = (0.5, 1.5)
ARRIVALS = 10.0
"""Raters open their links spread over the first ten seconds, not all in the same instant."""
WORKERS, THREADS = 3, 8


# --- database -------------------------------------------------------------------------------


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _admin_sql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        connection.execute(sql)


def _libpq(url: str) -> str:
    """psycopg wants 'postgresql://'; 'postgres:///db' (socket from PGHOST) works as is."""
    return "postgresql://" + url.split("://", 1)[1]


@contextmanager
def fresh_database(bench: str, *, keep: bool = False) -> Iterator[tuple[dict[str, str], str]]:
    """A new, migrated PostgreSQL database for one run of ``bench``: yields the environment
    Tandem's processes need to use it (:func:`_env`) and its name; dropped afterwards unless
    ``keep``. The server is ``DATABASE_URL``'s, else the one on 127.0.0.1:5432."""
    base_url = os.environ.get("DATABASE_URL", "")
    if not _is_postgres(base_url):
        if not _local_server_answers():
            raise RuntimeError(f"bench_{bench} needs PostgreSQL on 127.0.0.1:5432 or DATABASE_URL")
        base_url = LOCAL_SERVER
    name = f"tandem_bench_{bench}_{os.getpid()}"
    _admin_sql(base_url, f'DROP DATABASE IF EXISTS "{name}"')
    _admin_sql(base_url, f'CREATE DATABASE "{name}"')
    env = _env(_with_database(base_url, name))
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            env=env, cwd=ROOT, check=True,
        )  # fmt: skip
        yield env, name
    finally:
        if not keep:
            _admin_sql(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def with_workers(env: dict[str, str], media: Path) -> tuple[dict[str, str], str]:
    """``env`` for Celery on RabbitMQ with queues of their own (their name prefix returned),
    every email queued for the workers and files under ``media``."""
    prefix = f"tandem-bench-{uuid.uuid4().hex[:8]}."
    return {
        **env,
        "TASKS_BACKEND": "tandem.web.celery.CeleryBackend",
        "CELERY_QUEUE_PREFIX": prefix,
        "MAIL_SEND_AT_ONCE_UP_TO": "0",
        "MEDIA_ROOT": str(media),
    }, prefix


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "DEBUG": "false",
            "DJANGO_ENV": "development",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    return env


SEED = r"""
import datetime as dt, json, sys
import django
django.setup()
from tandem.cycles.instruments import instrument_default_install, instrument_of
from tandem.cycles.links import token_issue
from tandem.cycles.models import Cycle, CycleStatus, Nomination, Participant, RaterLink
from tandem.people.models import Organisation, Person

raters_n, participants_n = int(sys.argv[1]), int(sys.argv[2])
org = Organisation.objects.create(name="Load")
people = Person.objects.bulk_create(
    Person(organisation=org, employee_id=f"E{k}", name=f"Person {k}", email=f"p{k}@example.org")
    for k in range(raters_n)
)
version = instrument_default_install(organisation=org, actor=None)
today = dt.date.today()
cycle = Cycle.objects.create(organisation=org, name="Load", instrument=version,
    status=CycleStatus.OPEN, opens_on=today, closes_on=today + dt.timedelta(days=14))
participants = Participant.objects.bulk_create(
    Participant(cycle=cycle, person=people[k], nominations_state="approved")
    for k in range(participants_n))
nominations = Nomination.objects.bulk_create(
    Nomination(participant=participants[k % participants_n], rater=person,
               group="self" if k < participants_n else "peer", approved=True)
    for k, person in enumerate(people))
instrument = instrument_of(version)
sheets = []
for nomination in nominations:
    link = RaterLink.objects.create(cycle=cycle, rater_id=nomination.rater_id)
    token = token_issue(link)
    items = [i.id for i in (instrument.items if nomination.group != "self" else instrument.all_items)]
    sheets.append({"path": f"/cycles/r/{token}/{nomination.pk}/", "items": items})
json.dump(sheets, sys.stdout)
"""

COUNT = r"""
import django
django.setup()
from tandem.cycles.models import Answer
print(Answer.objects.count())
"""


def _django(code: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**env, "DJANGO_SETTINGS_MODULE": "tandem.web.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


# --- server -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", "tandem.web.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS),
        "--backlog", "4096", "--keep-alive", "5", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"gunicorn did not start; see {log}")


# --- clients ----------------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.connection_errors = 0

    def add(self, status: int, seconds: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.latencies.append(seconds)


async def _request(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, dict[str, list[str]], bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body:
            lines += [f"Content-Length: {len(body)}"]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, content = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed: dict[str, list[str]] = {}
    for line in header_lines:
        key, _, value = line.partition(":")
        parsed.setdefault(key.strip().lower(), []).append(value.strip())
    return int(status_line.split()[1]), parsed, content


async def _rater(
    port: int, sheet: dict[str, Any], stop: float, tally: Tally, rng: random.Random
) -> None:
    await asyncio.sleep(rng.uniform(0, min(ARRIVALS, (stop - time.monotonic()) / 3)))
    try:
        status, headers, _ = await _request(port, "GET", sheet["path"], {})
    except OSError:
        tally.connection_errors += 1
        return
    cookie = next((c for c in headers.get("set-cookie", []) if c.startswith("csrftoken=")), "")
    token = cookie.split(";", 1)[0].split("=", 1)[1] if cookie else ""
    items = list(sheet["items"])
    rng.shuffle(items)
    for item in items:
        await asyncio.sleep(rng.uniform(*THINK))
        if time.monotonic() >= stop:
            return
        body = urllib.parse.urlencode({"item": item, item: str(rng.randint(1, 5))}).encode()
        headers_out = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}",
            "X-CSRFToken": token,
            "HX-Request": "true",
        }
        started = time.monotonic()
        try:
            status, _, _ = await _request(
                port, "POST", sheet["path"] + "answer/", headers_out, body
            )
        except OSError:
            tally.connection_errors += 1
            continue
        tally.add(status, time.monotonic() - started)


async def _bare(port: int, stop: float, tally: Tally, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(0, THINK[1]))
    while True:
        await asyncio.sleep(rng.uniform(*THINK))
        if time.monotonic() >= stop:
            return
        started = time.monotonic()
        try:
            status, _, _ = await _request(port, "GET", "/healthz", {})
        except OSError:
            tally.connection_errors += 1
            continue
        tally.add(status, time.monotonic() - started)


def _load(make: Any, clients: int, seconds: float) -> tuple[Tally, float]:
    """Run ``clients`` coroutines ``make(k, stop, tally, rng)`` until ``seconds`` have passed."""
    tally = Tally()
    rngs = [random.Random(1000 + k) for k in range(clients)]
    wall = _run_async(_drive(lambda k, stop: make(k, stop, tally, rngs[k]), clients, seconds))
    return tally, wall


def _run_async(coroutine: Any) -> Any:
    """asyncio.run in a thread of its own: the caller may already have a loop (pytest with
    Playwright does)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _drive(make: Any, clients: int, seconds: float) -> float:
    started = time.monotonic()
    stop = started + seconds
    await asyncio.gather(*(make(k, stop) for k in range(clients)))
    return time.monotonic() - started


def _warm_up(port: int, sheets: list[dict[str, Any]]) -> None:
    """Load every worker (imports, templates, the parsed questionnaire) before measuring."""

    async def main() -> None:
        for _ in range(3 * WORKERS):
            await asyncio.gather(
                _request(port, "GET", "/healthz", {}),
                _request(port, "GET", sheets[-1]["path"], {}),
            )

    _run_async(main())


def _p99(latencies: list[float]) -> float:
    if not latencies:
        return float("nan")
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


# --- the benchmark ----------------------------------------------------------------------------


def run(*, quick: bool = False, workdir: Path) -> dict[str, Any]:
    size = QUICK if quick else FULL
    if not _is_postgres(os.environ.get("DATABASE_URL", "")) and not _local_server_answers():
        return _inside_pg_virtualenv(quick=quick, workdir=workdir)
    with fresh_database("cycle_load") as (env, _name):
        server = None
        try:
            sheets = json.loads(_django(SEED, env, str(size["raters"]), str(size["participants"])))
            port = _free_port()
            server = _start_gunicorn(env, port, workdir / "gunicorn.log")
            clients, seconds = int(size["raters"]), float(size["seconds"])
            _warm_up(port, sheets)

            answers, answers_wall = _load(
                lambda k, stop, tally, rng: _rater(port, sheets[k], stop, tally, rng),
                clients,
                seconds,
            )
            stored = int(_django(COUNT, env).strip())
            bare, bare_wall = _load(
                lambda k, stop, tally, rng: _bare(port, stop, tally, rng), clients, seconds
            )
        finally:
            if server is not None:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)

    sent_ok = answers.statuses.get(200, 0)
    sent = sum(answers.statuses.values())
    server_errors = sum(n for s, n in answers.statuses.items() if s >= 500) + sum(
        n for s, n in bare.statuses.items() if s >= 500
    )
    answer_rps = sent_ok / answers_wall
    bare_rps = bare.statuses.get(200, 0) / bare_wall
    passed = (
        sent > 0
        and sent == sent_ok == stored
        and server_errors == 0
        and answers.connection_errors == 0
    )
    return {
        "name": NAME,
        "size": f"{clients:,} simulated raters x {seconds:g} s, pauses {THINK[0]}-{THINK[1]} s, "
        f"gunicorn {WORKERS} gthread workers x {THREADS} threads, PostgreSQL",
        "ratio": round(answer_rps / bare_rps, 3) if bare_rps else None,
        "ratio_meaning": "answers saved per second / bare /healthz responses per second",
        "requirement": REQUIREMENT,
        "passed": passed,
        "metrics": {
            "answers_sent": sent,
            "answers_saved_200": sent_ok,
            "answers_stored": stored,
            "answer_statuses": answers.statuses,
            "server_errors_5xx": server_errors,
            "connection_errors": answers.connection_errors + bare.connection_errors,
            "answers_per_s": round(answer_rps, 1),
            "answer_p50_ms": round(1000 * sorted(answers.latencies)[len(answers.latencies) // 2], 1)
            if answers.latencies
            else None,
            "answer_p99_ms": round(1000 * _p99(answers.latencies), 1),
            "bare_per_s": round(bare_rps, 1),
            "bare_p99_ms": round(1000 * _p99(bare.latencies), 1),
            "cpus": os.cpu_count(),
        },
    }


LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def _local_server_answers() -> bool:
    """Is there a PostgreSQL server on 127.0.0.1:5432 we may use (as make test does)?"""
    import psycopg

    try:
        with psycopg.connect(_libpq(LOCAL_SERVER), connect_timeout=2):
            return True
    except psycopg.Error:
        return False


def _inside_pg_virtualenv(*, quick: bool, workdir: Path) -> dict[str, Any]:
    """Run this benchmark again inside a throw-away PostgreSQL cluster."""
    out = workdir / "result.json"
    code = (
        "import json, sys; from pathlib import Path; from bench.bench_cycle_load import run; "
        f"Path({str(out)!r}).write_text(json.dumps(run(quick={quick}, workdir=Path({str(workdir)!r}))))"
    )
    inner = f"DATABASE_URL=postgres:///postgres {sys.executable} -c {_quote(code)}"
    subprocess.run(["pg_virtualenv", "sh", "-c", inner], cwd=ROOT, check=True)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


if __name__ == "__main__":
    outcome = run(quick="--quick" in sys.argv, workdir=Path.cwd())
    print(json.dumps(outcome, indent=2))
