"""Email never fails the change that sends it: a real SMTP server, down and then up.

The mail server is a real one (aiosmtpd) on a local port; "down" is that port with nothing
listening, so Django's SMTP backend gets a real "connection refused".
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.cycles.models import Nomination
from tandem.cycles.services import nomination_add, nominations_submit
from tandem.outbox.models import MailStatus, OutgoingMail
from tandem.outbox.services import RETRY_AFTER, mail_deliver
from tests.access.test_matrix import client_for
from tests.conftest import Personas
from tests.cycles.builders import launched_cycle, participant_of
from tests.factories import make_person

pytestmark = pytest.mark.django_db(transaction=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """Collects what the SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"


@pytest.fixture
def smtp(settings: Any) -> Iterator[tuple[int, Inbox]]:
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield port, Inbox()


def _submitted(p: Personas) -> Any:
    cycle = launched_cycle(p)
    participant = participant_of(cycle, p.employee_person)
    for k in range(3):
        peer = make_person(p.organisation, f"Peer {k}", manager=p.manager_person)
        nomination_add(participant=participant, rater=peer, group="peer", actor=p.employee)
    nominations_submit(participant=participant, actor=p.employee)
    OutgoingMail.objects.all().delete()  # keep only what the approval sends
    return participant


def test_a_mail_server_that_is_down_does_not_fail_the_change(
    personas: Personas, smtp: tuple[int, Inbox], django_capture_on_commit_callbacks: Any
) -> None:
    port, inbox = smtp
    participant = _submitted(personas)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager", personas).post(
            reverse("cycles:review", args=[participant.pk]), {"do": "approve"}
        )
    assert response.status_code == 302, "the approval is saved and the manager moves on"
    assert Nomination.objects.filter(participant=participant, approved=False).count() == 0
    queued = list(OutgoingMail.objects.order_by("pk"))
    assert len(queued) == 4  # the manager and three peers get their links
    for mail in queued:
        assert mail.status == MailStatus.QUEUED and mail.attempts == 1
        assert "refused" in mail.last_error.lower()
        assert mail.next_attempt_at > timezone.now()

    # The server comes back; the retry (what the worker or cron runs) delivers everything.
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        delivery = mail_deliver(now=timezone.now() + RETRY_AFTER[0])
    finally:
        controller.stop()
    assert (delivery.sent, delivery.failed) == (4, 0)
    assert sorted(to[0] for to, _ in inbox.messages) == sorted(m.to for m in queued)
    assert all("/cycles/r/" in body for _, body in inbox.messages)
    for mail in OutgoingMail.objects.all():
        assert mail.status == MailStatus.SENT and mail.body == "", "links erased once delivered"


def test_undelivered_email_reaches_the_people_team_and_can_be_sent_again(
    personas: Personas, smtp: tuple[int, Inbox], django_capture_on_commit_callbacks: Any
) -> None:
    port, inbox = smtp
    participant = _submitted(personas)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("manager", personas).post(
            reverse("cycles:review", args=[participant.pk]), {"do": "approve"}
        )
    later = timezone.now()
    for pause in RETRY_AFTER:  # every retry fails too: the server stays down
        later += pause + dt.timedelta(seconds=1)
        mail_deliver(now=later)
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.FAILED}

    hr = client_for("hr", personas)
    page = hr.get(reverse("outbox:undelivered"))
    body = page.content.decode()
    assert page.status_code == 200 and "Not delivered" in body
    assert "/cycles/r/" not in body, "bodies hold personal links and are never shown"
    assert "Undelivered email (4)" in hr.get(reverse("web:home")).content.decode()
    assert (
        "Undelivered email"
        not in client_for("employee", personas).get(reverse("web:home")).content.decode()
    )

    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = hr.post(reverse("outbox:send_again"), {"all": "1"})
    finally:
        controller.stop()
    assert response.status_code == 302
    assert len(inbox.messages) == 4
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}
    assert AuditEvent.objects.filter(action="mail.send_again").count() == 1
    assert "all-delivered" in hr.get(reverse("outbox:undelivered")).content.decode()


def test_email_file_path_is_read_from_the_environment(tmp_path: Path) -> None:
    folder = tmp_path / "mails"
    env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(folder),
        "DJANGO_SETTINGS_MODULE": "tandem.web.settings",
    }
    script = (
        "import django; django.setup(); from django.core.mail import send_mail; "
        "send_mail('Hello', 'A body', None, ['ann@example.org'])"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
    written = list(folder.iterdir())
    assert len(written) == 1 and "A body" in written[0].read_text()
