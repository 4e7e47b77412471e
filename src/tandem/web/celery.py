"""Background work on Celery and RabbitMQ, behind Django's task interface.

Every background job in Tandem is a ``django_tasks`` task (``@task()`` in an app's
``tasks.py``, queued with ``.enqueue(...)``): that is the one task interface. Which engine runs
the tasks is a setting:

- ``django_tasks_db.DatabaseBackend`` (the default): tasks are rows in the database and
  ``make worker`` (``manage.py db_worker``) runs them. Nothing else to install: the right choice
  for one machine.
- :class:`CeleryBackend` (``TASKS_BACKEND=tandem.web.celery.CeleryBackend``): tasks are
  messages on RabbitMQ (``CELERY_BROKER_URL``) and any number of Celery workers on any number of
  machines run them (``celery -A tandem.web.celery worker``, or ``make worker``).

On Celery a task is acknowledged only after it ran (``acks_late``), and a message whose worker
died is given back to the broker (``reject_on_worker_lost``), so a killed worker loses nothing:
another worker runs the task again. That is safe because Tandem's tasks are idempotent (each one
says so, and the tests run them twice). A task that raises is retried with a growing wait
(:data:`RETRY_WAITS`); after the last one it is logged as failed.

Why our own thirty lines and not a package: the ones that bridge django-tasks to Celery were
one release old when this was written, and the two settings above are the whole point.
"""

from __future__ import annotations

import logging
import os
from typing import Any, TypeVar

from celery import Celery
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id, normalize_json

log = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.web.settings")

app = Celery("tandem")
app.config_from_object("django.conf:settings", namespace="CELERY")

RETRY_WAITS = (10, 60, 300, 1800)
"""Seconds before each retry of a task that raised: 10 s, 1 min, 5 min, 30 min."""

T = TypeVar("T")


def queue_name(django_queue: str) -> str:
    """The RabbitMQ queue that carries a django-tasks queue (prefixed, so that two
    installations, or two test runs, can share one broker)."""
    return f"{settings.CELERY_QUEUE_PREFIX}{django_queue}"


@app.task(  # type: ignore[untyped-decorator]
    name="tandem.run_task", bind=True, acks_late=True, reject_on_worker_lost=True
)
def run_task(self: Any, task_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run one django-tasks task on a Celery worker; retry it when it raises."""
    task = import_string(task_path)
    if not isinstance(task, Task):
        log.error("%s is not a task; dropped", task_path)
        return None
    try:
        return normalize_json(task.call(*args, **kwargs))
    except Exception as exc:
        attempt = int(self.request.retries)
        if attempt >= len(RETRY_WAITS):
            log.exception("task %s failed after %d attempts", task_path, attempt + 1)
            raise
        log.warning("task %s failed (attempt %d); retrying", task_path, attempt + 1, exc_info=True)
        raise self.retry(
            exc=exc, countdown=RETRY_WAITS[attempt], max_retries=len(RETRY_WAITS)
        ) from exc


class CeleryBackend(BaseTaskBackend):
    """django-tasks' backend interface over Celery: ``enqueue`` publishes a message.

    A task queued inside a transaction is published when the transaction commits (and never if
    it rolls back), as the database backend's row would appear: a worker never looks for rows
    that are not there yet.
    """

    supports_defer = True

    def enqueue(self, task: Task[Any, T], args: Any, kwargs: Any) -> TaskResult[T]:
        self.validate_task(task)
        result: TaskResult[T] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            finished_at=None,
            last_attempted_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

        def publish() -> None:
            run_task.apply_async(
                args=(task.module_path, result.args, result.kwargs),
                task_id=result.id,
                eta=task.run_after,
                queue=queue_name(task.queue_name),
            )
            task_enqueued.send(type(self), task_result=result)

        transaction.on_commit(publish, robust=False)
        return result
