"""Webhooks against a real HTTP server on this machine: registered on the admin's page, emitted
by the services that change things, signed, retried with growing waits, logged with each
answer, and never carrying what an API token could not read."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.audit.models import AuditEvent
from tandem.careers.models import Outcome, Verdict
from tandem.careers.services import (
    CriterionVerdict,
    case_decide,
    case_open,
    case_propose,
    framework_default_install,
)
from tandem.integrations.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tandem.integrations.services import webhook_create, webhook_disable, webhook_send
from tandem.integrations.services.webhooks import RETRY_AFTER
from tandem.integrations.tasks import webhook_deliver
from tandem.vision.services.cascade import goal_create
from tandem.vision.services.hazards import hazard_raise
from tests.access.test_matrix import client_for
from tests.conftest import Personas
from tests.cycles.builders import launched_cycle, released_participant

pytestmark = pytest.mark.django_db

TASK = "tandem.integrations.tasks.webhook_deliver"


class Receiver:
    """An HTTP server that records every POST and answers with the statuses it is given."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status < 300 else b"broken today")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver()
    thread = threading.Thread(target=made.server.serve_forever, daemon=True)
    thread.start()
    yield made
    made.server.shutdown()
    made.server.server_close()


def _register(p: Personas, url: str, *events: str) -> Any:
    return webhook_create(
        organisation=p.organisation, url=url, events=list(events), created_by=None
    )


def _deliver_queued() -> list[str]:
    """Run every queued delivery task once, as a worker would."""
    done = []
    for task in DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at"):
        done.append(webhook_deliver.call(*task.args_kwargs["args"]))
        task.delete()
    return done


def _verified(secret: str, request: dict[str, Any]) -> dict[str, Any]:
    """What a receiver does: recompute the signature over the raw body, then read it."""
    parts = dict(part.split("=", 1) for part in request["headers"]["Tandem-Signature"].split(","))
    stamp, given = parts["t"], parts["v1"]
    wanted = hmac.new(
        secret.encode(), stamp.encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(given, wanted), "the signature does not match the body"
    assert abs(int(stamp) - timezone.now().timestamp()) < 60
    return dict(json.loads(request["body"]))


def test_the_admin_registers_an_endpoint_and_sees_its_secret_once(
    personas: Personas, receiver: Receiver
) -> None:
    admin = client_for("admin", personas)
    page = admin.post(
        reverse("integrations:webhooks"),
        {"name": "HR system", "url": receiver.url, "events": ["cycle.launched", "goal.changed"]},
    )
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in text and "Copy the signing secret now" in text
    assert endpoint.secret not in admin.get(reverse("integrations:webhooks")).content.decode()
    assert AuditEvent.objects.filter(action="webhook.create").count() == 1
    refused = admin.post(
        reverse("integrations:webhooks"),
        {"name": "Outside", "url": "http://hooks.example.org/x", "events": ["cycle.launched"]},
    ).content.decode()
    assert "Use https://" in refused and 'value="Outside"' in refused  # what was typed is kept
    nothing = admin.post(reverse("integrations:webhooks"), {"url": receiver.url}).content.decode()
    assert "This field is required" in nothing
    assert WebhookEndpoint.objects.count() == 1


def test_a_launch_reaches_the_endpoint_signed_and_is_logged(
    personas: Personas, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    launches = _register(personas, receiver.url, "cycle.launched")
    _register(personas, receiver.url, "goal.changed")  # not asked for launches: gets nothing
    with django_capture_on_commit_callbacks(execute=True):
        cycle = launched_cycle(personas)
    assert _deliver_queued() == ["delivered"]
    (request,) = receiver.received
    assert request["headers"]["Tandem-Event"] == "cycle.launched"
    message = _verified(launches.secret, request)
    assert request["headers"]["Tandem-Delivery"] == message["id"]
    assert message["event"] == "cycle.launched" and message["organisation"] == cycle.organisation_id
    assert message["data"] == {
        "cycle_id": cycle.pk,
        "name": cycle.name,
        "status": "open",
        "opens_on": cycle.opens_on.isoformat(),
        "closes_on": cycle.closes_on.isoformat(),
        "participants": 1,
    }
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    (attempt,) = delivery.tries.all()
    assert attempt.status_code == 200 and attempt.response == '{"ok": true}'
    page = client_for("admin", personas).get(
        reverse("integrations:webhook", args=[launches.endpoint.pk])
    )
    assert "HTTP 200" in page.content.decode() and message["id"] in page.content.decode()
    assert webhook_deliver.call(message["id"]) == "skipped"  # delivered twice: sent once


def test_a_failing_endpoint_is_tried_again_later_and_then_given_up(
    personas: Personas, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _register(personas, receiver.url, "cycle.launched")
    receiver.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        launched_cycle(personas)
    started = timezone.now()
    assert _deliver_queued() == ["queued"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1
    assert abs(delivery.next_attempt_at - (started + RETRY_AFTER[0])) < dt.timedelta(seconds=5)
    again = DBTaskResult.objects.get(task_path=TASK)  # the retry queued itself for then
    assert abs(again.run_after - delivery.next_attempt_at) < dt.timedelta(seconds=1)
    assert webhook_send(delivery_id=str(delivery.pk)) == "skipped"  # not due yet
    assert webhook_send(delivery_id=str(delivery.pk), now=delivery.next_attempt_at) == "delivered"
    tries = list(delivery.tries.order_by("at"))
    assert [t.status_code for t in tries] == [500, 200] and tries[0].response == "broken today"
    assert len(receiver.received) == 2
    assert receiver.received[0]["body"] == receiver.received[1]["body"]  # the same message

    # An endpoint that never answers 2xx is given up after the last wait.
    with django_capture_on_commit_callbacks(execute=True):
        other = _register(personas, receiver.url, "goal.changed")
        goal_create(
            organisation=personas.organisation,
            team=personas.manager_person,
            owner=personas.manager_person,
            title="Ship weekly",
            meaning="We release every week.",
            why="Small releases break less.",
            actor=None,
        )
    failing = WebhookDelivery.objects.get(endpoint=other.endpoint)
    receiver.answers = [503] * (len(RETRY_AFTER) + 1)
    when = timezone.now()
    for _ in range(len(RETRY_AFTER) + 1):
        webhook_send(delivery_id=str(failing.pk), now=when)
        failing.refresh_from_db()
        when = failing.next_attempt_at
    assert failing.status == DeliveryStatus.FAILED and failing.attempts == len(RETRY_AFTER) + 1

    # The admin sends the given-up message again, once the endpoint works: the same message.
    DBTaskResult.objects.filter(task_path=TASK).delete()  # the retries run above by hand
    admin = client_for("admin", personas)
    page = admin.get(reverse("integrations:webhook", args=[other.endpoint.pk])).content.decode()
    assert "Send again" in page and "HTTP 503" in page
    again_url = reverse("integrations:webhook_send_again", args=[other.endpoint.pk, failing.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(again_url).status_code == 302
    assert _deliver_queued() == ["delivered"]
    assert receiver.received[-1]["body"] == receiver.received[-2]["body"]
    assert AuditEvent.objects.filter(action="webhook.send_again").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(again_url)  # delivered now: nothing to send again
    assert _deliver_queued() == []


def test_an_endpoint_that_is_down_is_logged_with_the_error(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    closed = Receiver()
    url = closed.url
    closed.server.server_close()  # nothing listens there now
    _register(personas, url, "cycle.launched")
    with django_capture_on_commit_callbacks(execute=True):
        launched_cycle(personas)
    assert _deliver_queued() == ["queued"]
    (attempt,) = WebhookDelivery.objects.get().tries.all()
    assert attempt.status_code is None and "refused" in attempt.error.lower()


def test_a_disabled_endpoint_gets_nothing_more(
    personas: Personas, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    created = _register(personas, receiver.url, "cycle.launched", "cycle.closed")
    with django_capture_on_commit_callbacks(execute=True):
        launched_cycle(personas)
    admin = client_for("admin", personas)
    response = admin.post(reverse("integrations:webhook_disable", args=[created.endpoint.pk]))
    assert response.status_code == 302
    assert _deliver_queued() == ["failed"]  # queued before, not sent after
    assert receiver.received == []
    assert not webhook_disable(endpoint=created.endpoint, actor=None)


ALLOWED_KEYS = {
    "cycle_id", "name", "status", "opens_on", "closes_on", "participants", "reports",
    "participant_id", "person_id", "case_id", "outcome", "track", "level",
    "goal_id", "change", "title", "team_manager_id", "owner_id", "hazard_id", "kind", "severity",
}  # fmt: skip


def test_every_event_carries_ids_names_and_states_only(
    personas: Personas, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _register(personas, receiver.url, *WebhookEvent.values)
    with django_capture_on_commit_callbacks(execute=True):
        released_participant(personas)
        goal = goal_create(
            organisation=personas.organisation,
            team=personas.manager_person,
            owner=personas.manager_person,
            title="Ship weekly",
            meaning="We release every week.",
            why="Small releases break less.",
            actor=None,
        )
        hazard_raise(
            goal=goal,
            kind="risk",
            severity=3,
            description="The pipeline needs a licence nobody has.",
            raised_by=personas.employee_person,
            actor=None,
        )
        version = framework_default_install(organisation=personas.organisation, actor=None)
        level = version.tracks.get(key="ic").levels.get(number=3)
        case = case_open(candidate=personas.employee_person, target_level=level, actor=None)
        case_propose(case=case, actor=None)
        case_decide(
            case=case,
            verdicts=[
                CriterionVerdict(criterion=c, verdict=Verdict.MET, reason="Shown on call.")
                for c in level.criteria.all()
            ],
            outcome=Outcome.PROMOTED,
            reason="Shown throughout the year.",
            actor=personas.hr,
        )
    _deliver_queued()
    messages = [json.loads(r["body"]) for r in receiver.received]
    assert {m["event"] for m in messages} == set(WebhookEvent.values)
    for message in messages:
        assert set(message["data"]) <= ALLOWED_KEYS, message
    text = json.dumps(messages)
    for secret in ("licence", "Shown on call", "Shown throughout", personas.employee_person.name):
        assert secret not in text


def test_a_delivery_held_by_a_killed_worker_is_sent_when_its_claim_runs_out(
    personas: Personas, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    from tandem.integrations.services.webhooks import CLAIM

    _register(personas, receiver.url, "cycle.launched")
    with django_capture_on_commit_callbacks(execute=True):
        launched_cycle(personas)
    DBTaskResult.objects.filter(task_path=TASK).delete()
    delivery = WebhookDelivery.objects.get()
    claimed_until = timezone.now() + CLAIM  # a worker claimed it, then died before posting
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=claimed_until)
    # The message comes back to another worker: not due, so it is looked at again then.
    assert webhook_deliver.call(str(delivery.pk)) == "skipped"
    again = DBTaskResult.objects.get(task_path=TASK)
    assert abs(again.run_after - claimed_until) < dt.timedelta(seconds=1)
    assert receiver.received == []
    assert webhook_send(delivery_id=str(delivery.pk), now=claimed_until) == "delivered"
    assert len(receiver.received) == 1
