"""Released reports are rendered once and kept: workers render them at release, the views serve
what is kept while it is current, and render afresh when what it was made from changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.cycles.models import Report
from tandem.cycles.reporting import rendered as rendered_module
from tandem.cycles.selectors import release_progress
from tandem.cycles.tasks import reports_prerender, reports_render_batch
from tests.conftest import Personas
from tests.cycles.builders import released_participant
from tests.factories import make_user


@pytest.fixture
def reader(personas: Personas) -> tuple[Any, Client]:
    participant = released_participant(personas)
    client = Client()
    client.force_login(personas.employee)
    return participant, client


def test_release_queues_the_rendering_and_the_worker_keeps_body_and_pdf(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        participant = released_participant(personas)
    queued = DBTaskResult.objects.filter(task_path="tandem.cycles.tasks.reports_prerender")
    assert queued.count() == 1 and queued.get().args_kwargs["args"] == [participant.cycle_id]
    # The release task hands the reports to the workers in batches.
    assert reports_prerender.call(participant.cycle_id) == 1
    batch = DBTaskResult.objects.get(task_path="tandem.cycles.tasks.reports_render_batch")
    assert batch.args_kwargs["args"] == [participant.cycle_id, [participant.pk]]
    assert release_progress(participant.cycle).prepared == 0
    assert reports_render_batch.call(participant.cycle_id, [participant.pk]) == 1
    report = Report.objects.get(participant=participant)
    assert report.body_key == report.pdf_key and len(report.body_key) == 64
    assert "Each scale by rater group" in report.body_html
    with report.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert release_progress(participant.cycle).prepared == 1
    # Run again (a worker killed after its work, before it said so): nothing redone, and the
    # same file kept under the same name.
    name = report.pdf.name
    assert reports_render_batch.call(participant.cycle_id, [participant.pk]) == 0
    assert Report.objects.get(participant=participant).pdf.name == name
    # A report that changed is laid out again over the file of its new key; the old one goes.
    participant.person.name = "Emma Renamed"
    participant.person.save(update_fields=["name"])
    assert reports_render_batch.call(participant.cycle_id, [participant.pk]) == 1
    renamed = Report.objects.get(participant=participant)
    assert renamed.pdf.name != name and renamed.pdf.storage.exists(renamed.pdf.name)
    assert not renamed.pdf.storage.exists(name)


def test_a_batch_renders_only_released_reports_of_its_own_cycle(personas: Personas) -> None:
    participant = released_participant(personas)
    assert reports_render_batch.call(participant.cycle_id + 1, [participant.pk]) == 0
    assert Report.objects.get(participant=participant).pdf_key == ""


def test_the_page_serves_the_kept_body_while_it_is_current(reader: Any) -> None:
    participant, client = reader
    url = reverse("cycles:report", args=[participant.pk])
    first = client.get(url).content.decode()
    report = Report.objects.get(participant=participant)
    assert report.body_html and report.body_html in first
    Report.objects.filter(pk=report.pk).update(body_html=report.body_html + "<p>kept</p>")
    assert "<p>kept</p>" in client.get(url).content.decode()
    # The person is renamed: what the body was made from changed, so it is rendered afresh.
    participant.person.name = "Emma Renamed"
    participant.person.save(update_fields=["name"])
    page = client.get(url).content.decode()
    assert "<p>kept</p>" not in page and "Emma Renamed" in page


def test_a_kept_page_is_served_without_reading_the_report_or_the_questionnaire(
    reader: Any, django_assert_num_queries: Any
) -> None:
    participant, client = reader
    url = reverse("cycles:report", args=[participant.pk])
    client.get(url)
    body = Report.objects.get(participant=participant).body_html
    # The session, the user with their membership, the participant with cycle, person and
    # kept rendering (a digest of the report's data in place of the data), the comments.
    with django_assert_num_queries(4) as context:
        again = client.get(url).content.decode()
    assert body and body in again
    participant_query = context.captured_queries[2]["sql"]
    assert "cycles_report" in participant_query and "cycles_instrumentversion" not in (
        participant_query
    )
    assert '"cycles_report"."data",' not in participant_query


def test_a_report_whose_figures_changed_is_rendered_afresh(reader: Any) -> None:
    participant, client = reader
    url = reverse("cycles:report", args=[participant.pk])
    client.get(url)
    report = Report.objects.get(participant=participant)
    kept_key = report.body_key
    # Re-derived (as a later disclosure rule does): the same names, different figures.
    data = dict(report.data, norm_group_size=int(report.data.get("norm_group_size") or 0) + 1)
    Report.objects.filter(pk=report.pk).update(data=data)
    client.get(url)
    assert Report.objects.get(pk=report.pk).body_key not in ("", kept_key)


def test_the_pdf_is_laid_out_once_and_then_served_as_kept(
    reader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    participant, client = reader
    url = reverse("cycles:report_pdf", args=[participant.pk])
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF-")

    def no_layout(view: Any) -> bytes:
        raise AssertionError("the kept PDF should have been served")

    monkeypatch.setattr(rendered_module, "render_pdf", no_layout)
    again = client.get(url)
    assert again.content == first.content
    # A new comment changes the report: it is laid out again (and the old file removed).
    old = Report.objects.get(participant=participant).pdf.name
    participant.released_comments.create(question_id="keep", text="A new comment", position=99)
    monkeypatch.setattr(rendered_module, "render_pdf", lambda view: b"%PDF-new")
    assert client.get(url).content == b"%PDF-new"
    report = Report.objects.get(participant=participant)
    assert report.pdf.name != old and not report.pdf.storage.exists(old)


def test_only_readers_of_the_report_get_its_kept_files(reader: Any, personas: Personas) -> None:
    participant, client = reader
    client.get(reverse("cycles:report_pdf", args=[participant.pk]))
    other = Client()
    other.force_login(make_user(personas.organisation, person=personas.sibling_person))
    for name in ("cycles:report", "cycles:report_pdf"):
        assert other.get(reverse(name, args=[participant.pk])).status_code == 403
