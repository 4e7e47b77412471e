"""A large send goes to the workers in batches, and a process killed while sending sends again
at most the one email it was sending: each outcome is saved as soon as it is known, and the rest
of its batch waits out the claim and is then sent once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.outbox.models import MailStatus, OutgoingMail
from tandem.outbox.services import BATCH, CLAIM, mail_deliver, mail_queue
from tandem.outbox.tasks import deliver_mail_batch
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

BATCH_TASK = "tandem.outbox.tasks.deliver_mail_batch"


def _messages(n: int) -> list[tuple[str, str, None, list[str]]]:
    return [(f"Hello {k}", "Body", None, [f"person{k}@example.org"]) for k in range(n)]


def test_a_small_send_goes_out_when_the_change_commits(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MAIL_SEND_AT_ONCE_UP_TO = 5
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(organisation=personas.organisation, messages=_messages(5))
    assert len(mail.outbox) == 5
    assert not DBTaskResult.objects.filter(task_path=BATCH_TASK).exists()


def test_a_large_send_is_handed_to_the_workers_in_batches(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MAIL_SEND_AT_ONCE_UP_TO = 5
    n = BATCH + 7
    with django_capture_on_commit_callbacks(execute=True):
        rows = mail_queue(organisation=personas.organisation, messages=_messages(n))
    assert mail.outbox == []  # nothing sent in the request
    tasks = list(DBTaskResult.objects.filter(task_path=BATCH_TASK).order_by("enqueued_at"))
    batches = [task.args_kwargs["args"][0] for task in tasks]
    assert sorted(len(b) for b in batches) == [7, BATCH]
    assert sorted(pk for b in batches for pk in b) == sorted(row.pk for row in rows)
    for batch in batches:
        deliver_mail_batch.call(batch)
        deliver_mail_batch.call(batch)  # delivered twice (a redelivered message): sent once
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"person{k}@example.org" for k in range(n)
    )
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == n


def test_a_process_killed_mid_batch_sends_again_at_most_the_email_in_flight(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = mail_queue(organisation=personas.organisation, messages=_messages(6))
    ids = [row.pk for row in rows]
    real_send = EmailMessage.send
    calls = {"n": 0}

    def killed_on_the_fourth(self: EmailMessage, fail_silently: bool = False) -> int:
        calls["n"] += 1
        if calls["n"] == 4:
            raise SystemExit("worker killed")  # not an Exception: nothing records it
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", killed_on_the_fourth)
    started = timezone.now()
    with pytest.raises(SystemExit):
        mail_deliver(ids=ids, now=started)
    monkeypatch.setattr(EmailMessage, "send", real_send)
    assert len(mail.outbox) == 3
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 3
    # The other three are held by the dead process's claim: not sent by a second process now.
    assert mail_deliver(ids=ids, now=started + dt.timedelta(seconds=1)).sent == 0
    # The task given the same ids (redelivered) looks at them again when the claim runs out.
    deliver_mail_batch.call(ids)
    again = DBTaskResult.objects.get(task_path=BATCH_TASK)
    assert again.args_kwargs["args"] == [sorted(ids[3:])]
    assert abs(again.run_after - (started + CLAIM)) < dt.timedelta(seconds=1)
    assert mail_deliver(ids=ids, now=started + CLAIM).sent == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.to for r in rows)
