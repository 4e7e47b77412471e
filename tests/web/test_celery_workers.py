"""Background work on real Celery workers and the machine's RabbitMQ, behind real web
processes (gunicorn) on PostgreSQL.

The workers are separate processes (``celery -A tandem.web.celery worker``) on the test
database, each on its own queue name so that runs never share messages. Killing a worker is
``SIGKILL`` to its whole process group, as a machine that loses power would.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from tandem.audit.models import AuditEvent
from tandem.cycles.models import Cycle, Report
from tandem.cycles.selectors import release_progress
from tandem.outbox.models import MailStatus, OutgoingMail
from tandem.outbox.services import mail_queue
from tests.conftest import Personas

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _broker_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=2):
            return True
    except OSError:
        return False


if not _broker_answers():  # pragma: no cover - every machine of this kind runs RabbitMQ
    pytest.skip("RabbitMQ is not running on 127.0.0.1:5672", allow_module_level=True)


def _database_url() -> str:
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    user = config["USER"] or "postgres"
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    return f"postgres://{user}{password}@{config['HOST']}:{config['PORT'] or 5432}/{config['NAME']}"


@dataclass
class Workers:
    """Start and kill Celery worker processes for one test, on a queue of its own."""

    env: dict[str, str]
    queue: str
    logs: Path
    started: list[tuple[str, subprocess.Popen[bytes]]]

    def start(self, name: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        command = [
            sys.executable, "-m", "celery", "-A", "tandem.web.celery", "worker",
            "-c", "1", "-n", f"{name}@%h", "-l", "INFO",  # no -Q: as make worker starts it
            "--without-mingle", "--without-gossip", "--without-heartbeat",
        ]  # fmt: skip
        process = subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append((name, process))
        return process

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture
def workers(settings: Any, tmp_path: Path) -> Iterator[Workers]:
    prefix = f"tandem-test-{uuid.uuid4().hex[:10]}."
    mail_folder = tmp_path / "mail"
    settings.TASKS = {"default": {"BACKEND": "tandem.web.celery.CeleryBackend"}}
    settings.CELERY_QUEUE_PREFIX = prefix
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(mail_folder)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_database_url(),
        TASKS_BACKEND="tandem.web.celery.CeleryBackend",
        CELERY_QUEUE_PREFIX=prefix,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_folder),
        REPORTS_PER_TASK="3",
        DJANGO_SETTINGS_MODULE="tandem.web.settings",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    pool = Workers(env=env, queue=f"{prefix}default", logs=tmp_path, started=[])
    yield pool
    for _name, process in pool.started:
        if process.poll() is None:
            pool.kill(process)
    from tandem.web.celery import app

    with app.connection_for_write() as broker:
        broker.default_channel.queue_delete(pool.queue)


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds:.0f} s for {what}")


def _sent_to(mail_folder: Path) -> Counter[str]:
    """How many emails each address got, from the file backend's files."""
    found: Counter[str] = Counter()
    for path in mail_folder.glob("*.log"):
        found.update(re.findall(r"^To: (.+)$", path.read_text(), flags=re.MULTILINE))
    return found


def test_a_task_queued_in_a_transaction_runs_on_a_worker_only_if_it_commits(
    personas: Personas, workers: Workers, settings: Any
) -> None:
    settings.MAIL_SEND_AT_ONCE_UP_TO = 0  # every email goes through the workers
    workers.start("only")
    with transaction.atomic():
        kept = mail_queue(
            organisation=personas.organisation,
            messages=[("Kept", "Body", None, ["kept@example.org"])],
        )
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_queue(
            organisation=personas.organisation,
            messages=[("Dropped", "Body", None, ["dropped@example.org"])],
        )
        raise RuntimeError("the change fails")
    row = OutgoingMail.objects.get(pk=kept[0].pk)
    wait_for(
        lambda: OutgoingMail.objects.get(pk=row.pk).status == MailStatus.SENT,
        60,
        "the worker to send the email",
    )
    assert _sent_to(Path(settings.EMAIL_FILE_PATH)) == Counter({"kept@example.org": 1})
    assert "tandem.run_task" in workers.log("only")


def _free_port() -> int:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        return int(free.getsockname()[1])


@pytest.fixture
def web(workers: Workers, tmp_path: Path) -> Iterator[str]:
    """Two gunicorn web processes on the same database and broker as the workers."""
    if connection.vendor != "postgresql":
        pytest.skip("several processes writing at once: the PostgreSQL pass runs this")
    port = _free_port()
    env = dict(workers.env, RELEASE_AT_ONCE_UP_TO="0", DEBUG="false")
    log = (tmp_path / "gunicorn.log").open("wb")
    command = [
        sys.executable, "-m", "gunicorn", "tandem.web.wsgi", "--workers", "2",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310 - ours
                return True
        except OSError:
            return False

    wait_for(answers, 60, "gunicorn to answer")
    yield url
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


class Browser:
    """Just enough of a browser: the session cookie of ``user`` (made as Django makes one)
    and the cookies the site sets, sent back with every request."""

    def __init__(self, user: Any) -> None:
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        self.cookies = {"sessionid": str(session.session_key)}

    def open(self, url: str, data: dict[str, str] | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)  # noqa: S310 - our own server
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            for header in answer.headers.get_all("Set-Cookie") or []:
                name, value = header.split(";", 1)[0].split("=", 1)
                self.cookies[name.strip()] = value.strip()
            return str(answer.read().decode())


def test_killing_a_worker_mid_release_loses_and_duplicates_nothing(
    personas: Personas, workers: Workers, web: str, settings: Any
) -> None:
    """The people team asks for the release through one of two web processes; a worker
    releases the cycle and two lay out its reports; one is killed while it holds a task.
    Every report ends with one page and one PDF, and every participant gets one email."""
    from django.urls import reverse

    from tandem.cycles.demo import demo_cycle_answered
    from tandem.cycles.models import CycleStatus
    from tandem.people.services import demo_people_load

    settings.MAIL_SEND_AT_ONCE_UP_TO = 0
    demo_people_load(organisation=personas.organisation, actor=None, seed=7, size=30)
    cycle = demo_cycle_answered(organisation=personas.organisation, seed=7)
    first = workers.start("first")
    workers.start("second")

    browser = Browser(personas.hr)
    release = f"{web}{reverse('cycles:action', args=[cycle.pk, 'release'])}"
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.open(release))
    assert match, "the confirmation page has its form"
    dashboard = browser.open(release, {"csrfmiddlewaretoken": match[1], "confirm": "yes"})
    assert cycle.name in dashboard  # the redirect to the cycle's page
    # The web process did not release it: it handed the release to the workers.
    assert AuditEvent.objects.filter(action="cycle.release_queued", actor=personas.hr).exists()
    wait_for(
        lambda: Cycle.objects.get(pk=cycle.pk).status == CycleStatus.RELEASED,
        120,
        "a worker to release the cycle",
    )
    assert AuditEvent.objects.get(action="cycle.release").actor == personas.hr
    reports = Report.objects.filter(participant__cycle=cycle)
    total = reports.count()
    assert total >= 30

    wait_for(
        lambda: release_progress(cycle).prepared >= 3 and "succeeded" in workers.log("first"),
        120,
        "the first worker to finish a task",
    )
    wait_for(
        lambda: workers.log("first").count("received") > workers.log("first").count("succeeded"),
        60,
        "the first worker to hold a task",
    )
    workers.kill(first)
    killed_at = release_progress(cycle).prepared
    assert killed_at < total, "the release finished before the kill: nothing was tested"

    wait_for(lambda: release_progress(cycle).done, 300, "the second worker to finish")
    progress = release_progress(cycle)
    assert progress.prepared == progress.reports == total
    # Nothing lost: every report's page and PDF kept, each PDF a real one.
    for report in reports:
        assert report.body_html and report.pdf_key == report.body_key
        with report.pdf.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    # Nothing duplicated: one PDF file per report in storage, one email per participant.
    ours = {report.pk for report in reports}
    files = Counter(
        pk
        for path in (Path(settings.MEDIA_ROOT) / "reports").glob("report-*-*.pdf")
        if (pk := int(path.name.split("-")[1])) in ours
    )
    assert files == Counter(dict.fromkeys(ours, 1))
    emails = {p.person.email for p in cycle.participants.select_related("person") if p.person.email}
    assert _sent_to(Path(settings.EMAIL_FILE_PATH)) == Counter(dict.fromkeys(emails, 1))
