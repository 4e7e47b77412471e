"""A cycle from draft to released, through the services, with the anonymity guarantees."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from tandem.cycles.instruments import instrument_of
from tandem.cycles.links import link_for_token, token_hash
from tandem.cycles.models import (
    Answer,
    CycleStatus,
    NominationsState,
    RaterToken,
    ReleasedAnswer,
    ReleasedComment,
    ReleasedSheet,
    Report,
)
from tandem.cycles.release import answer_matrix, cycle_release
from tandem.cycles.services import (
    CycleError,
    answer_save,
    cycle_close,
    nomination_add,
    nominations_approve,
    nominations_submit,
    reminders_send,
)
from tandem.measure import score_360
from tests.conftest import Personas
from tests.cycles.builders import fill_sheet, launched_cycle, participant_of
from tests.factories import make_person

pytestmark = pytest.mark.django_db(transaction=False)


def _peers(p: Personas, n: int) -> list:
    return [make_person(p.organisation, f"Peer {k}", manager=p.manager_person) for k in range(n)]


def test_launch_prefills_manager_and_sends_self_links(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        cycle = launched_cycle(personas)
    participant = participant_of(cycle, personas.employee_person)
    groups = sorted(participant.nominations.values_list("group", flat=True))
    assert groups == ["manager", "self"]
    assert cycle.status == CycleStatus.OPEN
    assert [m.to for m in mail.outbox] == [[personas.employee_person.email]]
    assert "/cycles/r/" in mail.outbox[0].body


def test_links_are_long_random_and_stored_only_as_hashes(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        launched_cycle(personas)
    url = next(line for line in mail.outbox[0].body.splitlines() if "/cycles/r/" in line)
    token = url.strip().rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes in URL-safe base64: 256 bits
    stored = RaterToken.objects.get()
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash
    assert link_for_token(token) is not None
    assert link_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_nominations_respect_maximum_and_need_approval(personas: Personas) -> None:
    cycle = launched_cycle(personas, minimums={"peer": 2}, maximums={"peer": 2})
    participant = participant_of(cycle, personas.employee_person)
    peers = _peers(personas, 3)
    for peer in peers[:2]:
        nomination_add(participant=participant, rater=peer, group="peer", actor=personas.employee)
    with pytest.raises(CycleError, match="most raters"):
        nomination_add(
            participant=participant, rater=peers[2], group="peer", actor=personas.employee
        )
    nomination = participant.nominations.get(rater=peers[0])
    with pytest.raises(CycleError, match="not been approved"):
        answer_save(nomination=nomination, item_id="pb1", value="4")


def test_answers_are_validated_against_the_sheet(personas: Personas) -> None:
    cycle = launched_cycle(personas)
    own = participant_of(cycle, personas.employee_person).nominations.get(group="self")
    item = instrument_of(cycle.instrument).items[0].id
    answer_save(nomination=own, item_id=item, value="4")
    answer_save(nomination=own, item_id=item, value="5")
    assert Answer.objects.get(nomination=own, item_id=item).value == 5
    with pytest.raises(CycleError, match="not an answer"):
        answer_save(nomination=own, item_id=item, value="9")
    with pytest.raises(CycleError, match="not a question"):
        answer_save(nomination=own, item_id="nope", value="3")
    answer_save(nomination=own, item_id=item, value="")
    assert not Answer.objects.filter(nomination=own, item_id=item).exists()


def _run_cycle(p: Personas, peers: int) -> tuple:
    cycle = launched_cycle(p)
    participant = participant_of(cycle, p.employee_person)
    for peer in _peers(p, peers):
        nomination_add(participant=participant, rater=peer, group="peer", actor=p.employee)
    nominations_submit(participant=participant, actor=p.employee)
    nominations_approve(participant=participant, actor=p.manager)
    assert participant.nominations.filter(approved=False).count() == 0
    for k, nomination in enumerate(participant.nominations.order_by("pk")):
        fill_sheet(nomination, 2 + k % 4, comment=f"comment from sheet {k}")
    cycle_close(cycle=cycle, actor=p.hr)
    with pytest.raises(CycleError, match="closed"):
        answer_save(nomination=participant.nominations.first(), item_id="keep", value="late")
    return cycle, participant


def test_release_deletes_its_own_answers_and_no_other_cycles(personas: Personas) -> None:
    other = launched_cycle(personas)
    kept = participant_of(other, personas.employee_person).nominations.get(group="self")
    item = instrument_of(other.instrument).items[0].id
    answer_save(nomination=kept, item_id=item, value="4")
    cycle, participant = _run_cycle(personas, peers=3)
    assert Answer.objects.filter(nomination__participant=participant).exists()
    cycle_release(cycle=cycle, actor=personas.hr)
    assert not Answer.objects.filter(nomination__participant__cycle=cycle).exists()
    assert list(Answer.objects.values_list("nomination", "item_id", "value")) == [
        (kept.pk, item, 4)
    ]


def test_release_reproduces_score_360_and_cuts_raters_off(personas: Personas) -> None:
    cycle, participant = _run_cycle(personas, peers=3)
    live = list(
        Answer.objects.filter(nomination__participant=participant).values_list(
            "nomination__group", "item_id", "value"
        )
    )
    cycle_release(cycle=cycle, actor=personas.hr)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.RELEASED
    assert not Answer.objects.exists()
    # Every numeric answer survives, anonymously.
    released = sorted(ReleasedAnswer.objects.values_list("sheet__group", "item_id", "value"))
    assert released == sorted((g, i, v) for g, i, v in live if v is not None)
    assert ReleasedSheet._meta.get_field("participant") and not hasattr(ReleasedSheet, "rater")
    # The stored report is what tandem.measure computes from the stored anonymous sheets.
    instrument = instrument_of(cycle.instrument)
    from tandem.cycles.release import Sheet

    sheets = []
    for sheet in ReleasedSheet.objects.all():
        sheets.append(
            Sheet(
                participant=participant.pk,
                group=sheet.group,
                values=dict(sheet.answers.values_list("item_id", "value")),
            )
        )
    answers, ratee, groups = answer_matrix(sheets, instrument, [participant.pk])
    scored = score_360(
        answers,
        ratee=ratee,
        group=groups,
        instrument=instrument,
        ratee_ids=[str(participant.pk)],
        minimums=cycle.minimums,
    )
    expected = json.loads(json.dumps(next(scored.ratee_dicts())))
    stored = Report.objects.get(participant=participant).data
    assert stored["scales"] == expected["scales"]
    assert stored["profile"] == expected["profile"]
    assert [a["label"] for a in stored["scales"]["setting_direction"]] == [
        "self",
        "manager",
        "peer",
        "all_others",
    ]
    # Comments: the manager and three peers are shown groups; self comments stay with the report.
    texts = list(ReleasedComment.objects.values_list("text", flat=True))
    assert len(texts) == 4 and "comment from sheet 0" not in texts
    assert stored["self_comments"] == {"keep": "comment from sheet 0"}


def test_a_peer_group_below_its_minimum_leaves_no_trace(personas: Personas) -> None:
    cycle, participant = _run_cycle(personas, peers=2)
    cycle_release(cycle=cycle, actor=personas.hr)
    stored = Report.objects.get(participant=participant).data
    labels = {a["label"] for rows in stored["scales"].values() for a in rows}
    assert "peer" not in labels and "others" not in labels
    assert not ReleasedSheet.objects.filter(group="peer").exists()
    # Two peers cannot reach the pool's minimum of three: their sheets and comments are gone.
    assert ReleasedSheet.objects.count() == 2  # self and manager
    assert ReleasedComment.objects.count() == 1  # the manager's
    assert "peer" not in str(stored["scales"])


def _stored_after_release(p: Personas, peer_answers: tuple[int, int], *, comments: bool) -> dict:
    """Release a cycle with two peers (below their minimum of three); everything stored."""
    cycle = launched_cycle(p)
    participant = participant_of(cycle, p.employee_person)
    for peer in _peers(p, 2):
        nomination_add(participant=participant, rater=peer, group="peer", actor=p.employee)
    nominations_submit(participant=participant, actor=p.employee)
    nominations_approve(participant=participant, actor=p.manager)
    peers = iter(peer_answers)
    items = instrument_of(cycle.instrument).items
    for k, nomination in enumerate(participant.nominations.order_by("pk")):
        if nomination.group != "peer":
            fill_sheet(nomination, 2 + k % 4, comment="words" if comments else "")
            continue
        start = next(peers)  # answers that vary by question, so alpha would notice them
        for j, item in enumerate(items):
            answer_save(nomination=nomination, item_id=item.id, value=str(1 + (start + j) % 5))
    cycle_close(cycle=cycle, actor=p.hr)
    cycle_release(cycle=cycle, actor=p.hr)
    cycle.refresh_from_db()
    return {
        "report": Report.objects.get(participant=participant).data,
        "statistics": cycle.statistics,
        "sheets": sorted(ReleasedSheet.objects.values_list("group", flat=True)),
        "answers": sorted(ReleasedAnswer.objects.values_list("item_id", "value")),
        "comments": sorted(ReleasedComment.objects.values_list("question_id", "text")),
    }


def test_what_two_peers_below_their_minimum_answered_changes_nothing_stored(
    personas: Personas,
) -> None:
    low = _stored_after_release(personas, (0, 1), comments=False)
    Report.objects.all().delete()
    for model in (ReleasedComment, ReleasedAnswer, ReleasedSheet):
        model.objects.all().delete()
    high = _stored_after_release(personas, (3, 2), comments=False)
    assert low["report"]["scales"] == high["report"]["scales"]
    assert low["report"]["items"] == high["report"]["items"]
    assert low["statistics"] == high["statistics"]
    assert low["sheets"] == high["sheets"] == ["manager", "self"]


def test_a_sheet_with_only_a_comment_is_not_a_rater(personas: Personas) -> None:
    cycle = launched_cycle(personas)
    participant = participant_of(cycle, personas.employee_person)
    peers = _peers(personas, 3)
    for peer in peers:
        nomination_add(participant=participant, rater=peer, group="peer", actor=personas.employee)
    nominations_submit(participant=participant, actor=personas.employee)
    nominations_approve(participant=participant, actor=personas.manager)
    for nomination in participant.nominations.order_by("pk"):
        if nomination.rater == peers[2]:
            answer_save(nomination=nomination, item_id="keep", value="only words from me")
        else:
            fill_sheet(nomination, 4, comment=f"from {nomination.group}")
    cycle_close(cycle=cycle, actor=personas.hr)
    cycle_release(cycle=cycle, actor=personas.hr)
    stored = Report.objects.get(participant=participant).data
    assert all(a["label"] != "peer" for rows in stored["scales"].values() for a in rows)
    texts = set(ReleasedComment.objects.values_list("text", flat=True))
    assert texts == {"from manager"}  # two answering peers are too few; the third only wrote


def test_reminders_respect_the_interval(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    import datetime as dt

    from django.utils import timezone

    cycle = launched_cycle(personas)
    participant = participant_of(cycle, personas.employee_person)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(cycle=cycle, now=now) == 0  # the invitation has just gone out
        assert reminders_send(cycle=cycle, now=now + dt.timedelta(days=4)) == 1
        assert reminders_send(cycle=cycle, now=now + dt.timedelta(days=5)) == 0
    assert mail.outbox[-1].subject.startswith("Reminder")
    fill_sheet(participant.nominations.get(group="self"), 3)
    from tandem.cycles.services import sheet_finish

    sheet_finish(nomination=participant.nominations.get(group="self"))
    assert reminders_send(cycle=cycle, now=now + dt.timedelta(days=9)) == 0
    assert participant.nominations_state == NominationsState.OPEN


def test_launch_queues_the_reminder_task_and_the_task_requeues_itself(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    from django_tasks_db.models import DBTaskResult

    from tandem.cycles.tasks import cycle_reminders

    with django_capture_on_commit_callbacks(execute=True):
        cycle = launched_cycle(personas)
    queued = DBTaskResult.objects.get(task_path__endswith="cycle_reminders")
    assert queued.args_kwargs["args"] == [cycle.pk] and queued.run_after > cycle.launched_at
    # Running the task itself (as the worker would) sends nothing yet and queues the next run.
    assert cycle_reminders.call(cycle.pk) == 0
    assert DBTaskResult.objects.filter(task_path__endswith="cycle_reminders").count() == 2


def test_a_raters_email_says_whom_they_rate_and_how_long_it_takes(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    cycle = launched_cycle(personas)
    participant = participant_of(cycle, personas.employee_person)
    (peer,) = _peers(personas, 1)
    nomination_add(participant=participant, rater=peer, group="peer", actor=personas.employee)
    nominations_submit(participant=participant, actor=personas.employee)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        nominations_approve(participant=participant, actor=personas.manager)
    body = next(m.body for m in mail.outbox if peer.email in m.to)
    questions = len(instrument_of(cycle.instrument).items)
    assert f"you are asked about {personas.employee_person.name}" in body
    assert f"about 9 minutes ({questions} short questions" in body
