"""Background work for integrations: sending webhooks, run by ``make worker``."""

from __future__ import annotations

from django_tasks import task


@task()
def webhook_deliver(delivery_id: str) -> str:
    """Try one webhook delivery when it is due (its own retries queue themselves). Safe to run
    twice: a delivery sent, given up on, or being sent by another worker is skipped."""
    from tandem.integrations.services.webhooks import webhook_send

    return webhook_send(delivery_id=delivery_id)
