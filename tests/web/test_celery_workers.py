"""Background work on real Celery workers and the machine's RabbitMQ.

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
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from tandem.cycles.models import Report
from tandem.cycles.release import cycle_release
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
            "-Q", self.queue, "-c", "1", "-n", f"{name}@%h", "-l", "INFO",
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


def test_killing_a_worker_mid_release_loses_and_duplicates_nothing(
    personas: Personas, workers: Workers, settings: Any
) -> None:
    """Two workers lay out a released cycle's reports; one is killed while it holds a task.
    Every report ends with one page and one PDF, and every participant gets one email."""
    if connection.vendor != "postgresql":
        pytest.skip("two worker processes writing at once: the PostgreSQL pass runs this")
    from tandem.cycles.demo import demo_cycle_answered
    from tandem.people.services import demo_people_load

    settings.MAIL_SEND_AT_ONCE_UP_TO = 0
    demo_people_load(organisation=personas.organisation, actor=None, seed=7, size=30)
    cycle = demo_cycle_answered(organisation=personas.organisation, seed=7)
    first = workers.start("first")
    workers.start("second")
    cycle_release(cycle=cycle, actor=personas.hr)
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
