"""The rater's sheet page read in plain SQL says what the ORM says, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.cycles import selectors
from tandem.cycles.instruments import instrument_of
from tandem.cycles.models import Nomination
from tandem.cycles.services import (
    answer_save,
    nomination_add,
    nominations_approve,
    nominations_submit,
)
from tandem.cycles.sheet_page import sheet_page_read
from tests.conftest import Personas
from tests.cycles.builders import launched_cycle, participant_of
from tests.factories import make_person


def _with_raters(p: Personas, *, peers: int, others: int, approve: bool = True) -> list[Nomination]:
    cycle = launched_cycle(p)
    participant = participant_of(cycle, p.employee_person)
    for group, count in (("peer", peers), ("other", others)):
        for k in range(count):
            rater = make_person(p.organisation, f"{group} {k}", manager=p.manager_person)
            nomination_add(participant=participant, rater=rater, group=group, actor=p.employee)
    if approve:
        nominations_submit(participant=participant, actor=p.employee)
        nominations_approve(participant=participant, actor=p.manager)
    return list(participant.nominations.order_by("pk"))


@pytest.mark.django_db
@pytest.mark.parametrize(("peers", "others"), [(0, 0), (1, 0), (2, 0), (2, 1), (3, 0), (2, 3)])
def test_each_sheet_reads_as_the_orm_says(personas: Personas, peers: int, others: int) -> None:
    nominations = _with_raters(personas, peers=peers, others=others)
    for nomination in nominations:
        page = sheet_page_read(nomination.pk)
        assert page is not None
        cycle = nomination.participant.cycle
        assert (page.group, page.observer) == (nomination.group, nomination.group != "self")
        assert page.ratee_name == nomination.participant.person.name
        assert (page.cycle_id, page.cycle_name, page.cycle_status) == (
            cycle.pk,
            cycle.name,
            cycle.status,
        )
        assert type(page.closes_on) is dt.date and page.closes_on == cycle.closes_on
        # The same key the questionnaire's caches are kept under elsewhere.
        assert page.instrument_id == cycle.instrument_id
        assert page.instrument_updated == cycle.instrument.updated_at
        assert page.outcome == selectors.rater_outcome(nomination)


@pytest.mark.django_db
def test_a_small_group_is_told_what_happens_to_its_answers(personas: Personas) -> None:
    nominations = _with_raters(personas, peers=2, others=0)
    peer = next(n for n in nominations if n.group == "peer")
    page = sheet_page_read(peer.pk)
    assert page is not None and page.outcome is not None
    assert (page.outcome.group, page.outcome.count, page.outcome.shown) == ("peer", 2, "hidden")


@pytest.mark.django_db
def test_answers_and_comments_are_read_as_given_and_only_the_sheets_own(
    personas: Personas,
) -> None:
    nominations = _with_raters(personas, peers=3, others=0)
    own, other = [n for n in nominations if n.group == "peer"][:2]
    item = _first_item(own)
    answer_save(nomination=own, item_id=item, value="4")
    answer_save(nomination=own, item_id="keep", value="Clear <goals> & «kind» words")
    answer_save(nomination=other, item_id=item, value="1")
    with CaptureQueriesContext(connection) as queries:
        page = sheet_page_read(own.pk)
    assert page is not None
    assert dict(page.answers) == {item: "4", "keep": "Clear <goals> & «kind» words"}
    assert len(queries.captured_queries) == 2


@pytest.mark.django_db
def test_no_page_for_an_unknown_or_unapproved_sheet(personas: Personas) -> None:
    nominations = _with_raters(personas, peers=1, others=0, approve=False)
    peer = next(n for n in nominations if n.group == "peer")
    assert not peer.approved
    assert sheet_page_read(peer.pk) is None
    assert sheet_page_read(max(n.pk for n in nominations) + 1000) is None


def _first_item(nomination: Nomination) -> str:
    return instrument_of(nomination.participant.cycle.instrument).items[0].id
