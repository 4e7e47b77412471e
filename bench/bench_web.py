"""The answer path against its floor, the rater sheet, and start-up: gunicorn, PostgreSQL, wrk.

Requirement (issue "Fast end to end, and ready to grow past one machine", part 2): saving an
answer reaches at least 70% of a bare view doing the same one durable write (a one-row
upsert) under the same server; answers are stored per second at least as fast as a peer that
saves a whole form per request (Blik: its best case is the bare view writing the form's 35
rows in one request, and Tandem's batch of 35 must reach 70% of that too); the rater sheet
serves at least 3x as many pages per second as before (the commit named in ``BASELINE``,
served side by side from a git worktree); a process starts (gunicorn up and its first
response) in under 4 s.

How it runs: a fresh database on the PostgreSQL server (``DATABASE_URL``, else
127.0.0.1:5432), migrated and seeded with an open cycle of 300 sheets, each with its own
emailed link, on the shipped questionnaire's English text (the baseline predates
questionnaires in several languages and cannot read the four-language file). gunicorn serves the project with 2 sync workers (DEBUG off, persistent
connections with health checks and Redis as the shared cache and session store, as deployed
with several processes) with ``bench.web.settings``: Tandem's settings plus the bare view at ``/bench/bare/<sheet>/``. wrk (2 threads, 4 connections) drives each
endpoint for ``SECONDS`` seconds, rotating over the sheets; the rounds alternate endpoints and
the median of ``ROUNDS`` rounds is kept, so a noisy neighbour hits every endpoint alike. Then
the same for the baseline commit, served from a worktree on the same database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.bench_cycle_load import _django, _free_port, fresh_database

NAME = "web"
REQUIREMENT = (
    "answer >= 70% of bare one-row upsert; batch of 35 >= 70% of bare 35-row upsert; "
    "sheet >= 3x baseline; start < 4 s; released report page < 5 ms and PDF < 50 ms (median, "
    "one reader at a time, after the first)"
)
ROOT = Path(__file__).resolve().parents[1]
BASELINE = "b9bbd95"
"""The last commit before the answer path was reworked (answers one by one, link ``IN``)."""
WORKERS = 2
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # 32 characters: Django takes it unmasked
FULL = {"sheets": 300, "seconds": 8, "rounds": 3}
QUICK = {"sheets": 20, "seconds": 1, "rounds": 1}
REDIS_URL = "redis://127.0.0.1:6379/13"

SEED = r"""
import datetime as dt, json, sys
import django
django.setup()
from tandem.cycles.instruments import instrument_default_install, instrument_of
from tandem.cycles.links import token_issue
from tandem.cycles.models import Cycle, CycleStatus, Nomination, Participant, RaterLink
from tandem.people.models import Organisation, Person

n = int(sys.argv[1])
org = Organisation.objects.create(name="Web bench")
people = Person.objects.bulk_create(
    Person(organisation=org, employee_id=f"E{k}", name=f"Person {k}", email=f"p{k}@example.org")
    for k in range(n))
version = instrument_default_install(organisation=org, actor=None)
# Its English text alone: the baseline predates questionnaires in several languages, and both
# trees must serve the same questionnaire.
import yaml
def english(node, languages):
    if isinstance(node, dict):
        if set(node) == set(languages):
            return node["en"]
        return {k: english(v, languages) for k, v in node.items() if k != "languages"}
    if isinstance(node, list):
        return [english(v, languages) for v in node]
    return node
tree = yaml.safe_load(version.text)
version.text = yaml.safe_dump(english(tree, tree["languages"]), allow_unicode=True,
                              sort_keys=False)
version.save()
today = dt.date.today()
cycle = Cycle.objects.create(organisation=org, name="Web", instrument=version,
    status=CycleStatus.OPEN, opens_on=today, closes_on=today + dt.timedelta(days=14))
participants = Participant.objects.bulk_create(
    Participant(cycle=cycle, person=people[k], nominations_state="approved") for k in range(n))
nominations = Nomination.objects.bulk_create(
    Nomination(participant=participants[k], rater=people[(k + 1) % n], group="peer",
               approved=True) for k in range(n))
items = [i.id for i in instrument_of(version).items]
sheets = []
for nomination in nominations:
    link = RaterLink.objects.create(cycle=cycle, rater_id=nomination.rater_id)
    sheets.append({"path": f"/cycles/r/{token_issue(link)}/{nomination.pk}/",
                   "id": nomination.pk})
# A released report to read: one participant rated by four peers, and a session for her.
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from tandem.accounts.models import Membership, User
from tandem.cycles.models import Answer
from tandem.cycles.release import cycle_release
released = Cycle.objects.create(organisation=org, name="Released", instrument=version,
    status=CycleStatus.CLOSED, opens_on=today, closes_on=today)
reader = Participant.objects.create(cycle=released, person=people[0], nominations_state="approved")
rows = []
for k, rater in enumerate(people[1:5]):
    nomination = Nomination.objects.create(participant=reader, rater=rater, group="peer",
                                           approved=True)
    rows += [Answer(nomination=nomination, item_id=i, value=1 + (k + j) % 5)
             for j, i in enumerate(items)]
Answer.objects.bulk_create(rows)
cycle_release(cycle=released, actor=None, notify=False)
user = User.objects.create_user("reader@example.org", "a long bench passphrase")
Membership.objects.create(user=user, organisation=org, person=people[0])
def signed_in(backend):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
# Sessions name the backend that signed them in: the baseline knows only Django's own.
report = {"page": f"/cycles/participants/{reader.pk}/report/",
          "pdf": f"/cycles/participants/{reader.pk}/report.pdf",
          "session": signed_in(settings.AUTHENTICATION_BACKENDS[0]),
          "baseline_session": signed_in("django.contrib.auth.backends.ModelBackend")}
json.dump({"sheets": sheets, "items": items, "report": report}, sys.stdout)
"""

ANALYZE = r"""
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""


# --- wrk ---------------------------------------------------------------------------------------


def _lua(requests: list[dict[str, str]], cookie: str = "") -> str:
    """A wrk script that sends ``requests`` (method, path, body) in turn, with the CSRF pair."""
    entries = ",\n".join(
        "{" + f"{json.dumps(r['method'])}, {json.dumps(r['path'])}, {json.dumps(r['body'])}" + "}"
        for r in requests
    )
    return f"""
local requests = {{
{entries}
}}
local k = 0
wrk.headers["Cookie"] = "csrftoken={CSRF}{cookie}"
wrk.headers["X-CSRFToken"] = "{CSRF}"
wrk.headers["Accept"] = "application/json"
wrk.headers["HX-Request"] = "true"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  k = k % #requests + 1
  local r = requests[k]
  if r[1] == "GET" then return wrk.format("GET", r[2]) end
  return wrk.format(r[1], r[2], nil, r[3])
end
local errors = 0
response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("NON200 %d\\n", summary.errors.status))
end
"""


def _wrk(port: int, script: Path, seconds: float, *, one: bool = False) -> dict[str, float]:
    """Throughput with 4 connections, or (``one``) one request at a time, for latency."""
    width = ["-t1", "-c1"] if one else ["-t2", "-c4"]
    done = subprocess.run(
        ["wrk", *width, f"-d{max(1, round(seconds))}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([0-9.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    non200 = re.search(r"NON200 (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    p50 = re.search(r"50%\s+([0-9.]+)(us|ms|s)", out)
    return {
        "rps": rps,
        "p50_ms": float(p50.group(1)) * scale[p50.group(2)] if p50 else float("nan"),
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
        "non200": float(non200.group(1)) if non200 else 0.0,
        "socket_errors": 1.0 if socket_errors else 0.0,
    }


# --- server ------------------------------------------------------------------------------------


def _serve(
    env: dict[str, str], src: Path, port: int, log: Path
) -> tuple[subprocess.Popen[bytes], float]:
    """gunicorn with ``src`` first on the path; returns it and the seconds to a first 200."""
    env = {
        **env,
        "PYTHONPATH": f"{src}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "bench.web.settings",
    }
    command = [
        sys.executable, "-m", "gunicorn", "tandem.web.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS), "--log-level", "warning", "--keep-alive", "5",
    ]  # fmt: skip
    started = time.monotonic()
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    deadline = started + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return server, time.monotonic() - started
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise RuntimeError(f"gunicorn did not start; see {log}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def _warm(port: int, paths: list[str], report: dict[str, str]) -> None:
    """Every worker imports, parses and caches before anything is timed; the report is read
    once (its first reader renders it, as a worker would have at release)."""
    for path in paths[: 4 * WORKERS]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as reply:
            reply.read()
    for path in (report["page"], report["pdf"]) * WORKERS:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={report['session']}"}
        )
        with urllib.request.urlopen(request, timeout=60) as reply:  # noqa: S310 - our server
            reply.read()


def _worktree(commit: str, where: Path) -> Path | None:
    """The source tree of ``commit`` checked out beside this one (None without git)."""
    if shutil.which("git") is None:
        return None
    done = subprocess.run(
        ["git", "worktree", "add", "--detach", str(where), commit],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return where / "src" if done.returncode == 0 else None


def _endpoints(data: dict[str, Any], *, batch: bool) -> dict[str, list[dict[str, str]]]:
    sheets, items = data["sheets"], data["items"]

    def one(k: int) -> str:
        item = items[k % len(items)]
        return f"item={item}&{item}={1 + k % 5}"

    def form(k: int) -> str:
        return "&".join(f"item={i}&{i}={1 + (k + j) % 5}" for j, i in enumerate(items))

    out = {
        "bare_one": [
            {"method": "POST", "path": f"/bench/bare/{s['id']}/", "body": one(k)}
            for k, s in enumerate(sheets)
        ],
        "answer_one": [
            {"method": "POST", "path": s["path"] + "answer/", "body": one(k)}
            for k, s in enumerate(sheets)
        ],
        "sheet": [{"method": "GET", "path": s["path"], "body": ""} for s in sheets],
        "report_page": [{"method": "GET", "path": data["report"]["page"], "body": ""}],
        "report_pdf": [{"method": "GET", "path": data["report"]["pdf"], "body": ""}],
    }
    if batch:
        out["bare_form"] = [
            {"method": "POST", "path": f"/bench/bare/{s['id']}/", "body": form(k)}
            for k, s in enumerate(sheets)
        ]
        out["answer_form"] = [
            {"method": "POST", "path": s["path"] + "answer/", "body": form(k)}
            for k, s in enumerate(sheets)
        ]
    return out


def _measure(
    port: int,
    endpoints: dict[str, list[dict[str, str]]],
    workdir: Path,
    tag: str,
    seconds: float,
    rounds: int,
    session: str,
) -> dict[str, dict[str, float]]:
    """Each endpoint ``rounds`` times, interleaved; report pages one request at a time (their
    latency is the goal) with the reader's session."""
    scripts = {}
    for name, requests in endpoints.items():
        scripts[name] = workdir / f"{tag}-{name}.lua"
        cookie = f"; sessionid={session}" if name.startswith("report") else ""
        scripts[name].write_text(_lua(requests, cookie))
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in endpoints}
    for _ in range(rounds):
        for name in endpoints:
            one = name.startswith("report")
            runs[name].append(_wrk(port, scripts[name], seconds, one=one))
    return {
        name: {
            "rps": statistics.median(r["rps"] for r in results),
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p99_ms": statistics.median(r["p99_ms"] for r in results),
            "non200": sum(r["non200"] for r in results),
            "socket_errors": sum(r["socket_errors"] for r in results),
        }
        for name, results in runs.items()
    }


# --- the benchmark -----------------------------------------------------------------------------


def run(*, quick: bool = False, workdir: Path) -> dict[str, Any]:
    size = QUICK if quick else FULL
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is missing: apt-get install wrk (make bench installs it)")
    results: dict[str, Any] = {}
    with fresh_database("web") as (database, _name):
        # Redis as docs/deploy.md asks for with more than one web process (the shared cache,
        # and sessions read from it); its own database number, emptied first.
        env = {**database, "DATABASE_CONN_MAX_AGE": "600", "REDIS_URL": REDIS_URL}
        _redis_flush(REDIS_URL)
        baseline_src = None if quick else _worktree(BASELINE, workdir / "baseline")
        try:
            data = json.loads(_django(SEED, env, str(size["sheets"])))
            _django(ANALYZE, env)
            trees = [("tandem", ROOT / "src", True)]
            if baseline_src is not None:
                trees.append(("baseline", baseline_src, False))
            for tag, src, batch in trees:
                port = _free_port()
                server, start_s = _serve(env, src, port, workdir / f"{tag}.log")
                report = dict(data["report"])
                if tag == "baseline":
                    report["session"] = report["baseline_session"]
                try:
                    _warm(port, [s["path"] for s in data["sheets"]], report)
                    measured = _measure(
                        port, _endpoints(data, batch=batch), workdir, tag,
                        float(size["seconds"]), int(size["rounds"]), report["session"],
                    )  # fmt: skip
                finally:
                    _stop(server)
                results[tag] = {"start_s": start_s, **measured}
        finally:
            if baseline_src is not None:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(workdir / "baseline")],
                    cwd=ROOT, check=False, capture_output=True,
                )  # fmt: skip
    return _result(results, size, quick)


def _redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _result(results: dict[str, Any], size: dict[str, Any], quick: bool) -> dict[str, Any]:
    now = results["tandem"]
    items = 35
    answer_ratio = now["answer_one"]["rps"] / now["bare_one"]["rps"]
    form_ratio = now["answer_form"]["rps"] / now["bare_form"]["rps"]
    metrics: dict[str, Any] = {
        "answer_per_s": round(now["answer_one"]["rps"], 1),
        "bare_one_row_per_s": round(now["bare_one"]["rps"], 1),
        "answer_vs_bare": round(answer_ratio, 3),
        "form_of_35_per_s": round(now["answer_form"]["rps"], 1),
        "bare_35_rows_per_s": round(now["bare_form"]["rps"], 1),
        "form_vs_bare_35": round(form_ratio, 3),
        "answers_stored_per_s_batched": round(items * now["answer_form"]["rps"], 0),
        "sheet_per_s": round(now["sheet"]["rps"], 1),
        "sheet_p99_ms": round(now["sheet"]["p99_ms"], 1),
        "answer_p99_ms": round(now["answer_one"]["p99_ms"], 1),
        "start_to_first_response_s": round(now["start_s"], 2),
        "report_page_p50_ms": round(now["report_page"]["p50_ms"], 2),
        "report_pdf_p50_ms": round(now["report_pdf"]["p50_ms"], 2),
        "non_200": sum(v["non200"] for v in now.values() if isinstance(v, dict)),
    }
    passed = (
        answer_ratio >= 0.7
        and form_ratio >= 0.7
        and now["start_s"] < 4.0
        and metrics["non_200"] == 0
        and now["report_page"]["p50_ms"] < 5.0
        and now["report_pdf"]["p50_ms"] < 50.0
    )
    old = results.get("baseline")
    sheet_gain = None
    if old is not None:
        sheet_gain = now["sheet"]["rps"] / old["sheet"]["rps"]
        metrics.update({
            "baseline": BASELINE,
            "baseline_answer_per_s": round(old["answer_one"]["rps"], 1),
            "baseline_answer_vs_bare": round(old["answer_one"]["rps"] / now["bare_one"]["rps"], 3),
            "baseline_sheet_per_s": round(old["sheet"]["rps"], 1),
            "sheet_vs_baseline": round(sheet_gain, 2),
            "answers_stored_per_s_vs_baseline": round(
                items * now["answer_form"]["rps"] / old["answer_one"]["rps"], 1
            ),
            "baseline_start_s": round(old["start_s"], 2),
            "baseline_report_page_p50_ms": round(old["report_page"]["p50_ms"], 2),
            "baseline_report_pdf_p50_ms": round(old["report_pdf"]["p50_ms"], 2),
        })  # fmt: skip
        passed = passed and sheet_gain >= 3.0
    elif not quick:
        passed = False
    return {
        "name": NAME,
        "size": f"{size['sheets']} sheets (35 questions), wrk 2 threads x 4 connections, "
        f"{size['rounds']} x {size['seconds']} s per endpoint, gunicorn {WORKERS} sync workers, "
        "PostgreSQL",
        "ratio": round(answer_ratio, 3),
        "ratio_meaning": "answers saved per second / bare one-row upserts per second",
        "requirement": REQUIREMENT,
        "passed": passed,
        "metrics": metrics,
    }


if __name__ == "__main__":
    outcome = run(
        quick="--quick" in sys.argv,
        workdir=Path(sys.argv[-1])
        if len(sys.argv) > 1 and not sys.argv[-1].startswith("-")
        else Path.cwd(),
    )
    print(json.dumps(outcome, indent=2))
