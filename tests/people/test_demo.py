"""The demo organisation: generated, repeatable, realistic, and as valid as any real export."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.people.demo import (
    DEPARTMENTS,
    EMAIL_DOMAIN,
    MAX_SIZE,
    MIN_SIZE,
    demo_people,
    unique_email,
)
from tandem.people.hris import guess_mapping, parse_people, read_table, write_people_csv
from tandem.people.records import PersonRecord

PEOPLE = demo_people()


def reports_of(people: tuple[PersonRecord, ...]) -> Counter[str]:
    return Counter(p.manager_id for p in people if p.manager_id)


def through_the_importer(people: tuple[PersonRecord, ...]) -> tuple[PersonRecord, ...]:
    """Render the people as an HRIS export and validate it exactly as an upload would be."""
    data = write_people_csv(people).encode("utf-8")
    table = read_table(data=data, filename="demo.csv")
    parsed = parse_people(table=table, mapping=guess_mapping(table.headers))
    assert parsed.ok, [str(p) for p in parsed.problems[:5]]
    assert parsed.warnings == ()
    return tuple(replace(record, row=0) for record in parsed.records)


def assert_one_tree_with_spans_of_three_to_nine(people: tuple[PersonRecord, ...]) -> None:
    by_id = {p.employee_id: p for p in people}
    assert len(by_id) == len(people)
    tops = [p for p in people if not p.manager_id]
    assert len(tops) == 1
    for person in people:  # every chain reaches the top without a loop
        seen = set()
        while person.manager_id:
            assert person.employee_id not in seen
            seen.add(person.employee_id)
            person = by_id[person.manager_id]
        assert person == tops[0]
    assert all(3 <= count <= 9 for count in reports_of(people).values())


def test_it_makes_150_people_by_default() -> None:
    assert len(PEOPLE) == 150


@pytest.mark.parametrize("size", [MIN_SIZE, 47, 150, 151, 400, MAX_SIZE])
def test_it_makes_exactly_the_size_asked_for(size: int) -> None:
    assert len(demo_people(size=size)) == size


def test_the_same_seed_gives_the_same_people() -> None:
    assert demo_people(seed=2026) == PEOPLE
    assert demo_people(seed=7, size=80) == demo_people(seed=7, size=80)


def test_another_seed_gives_another_organisation() -> None:
    other = demo_people(seed=2027)
    assert [p.name for p in other] != [p.name for p in PEOPLE]


@pytest.mark.parametrize("size", [0, MIN_SIZE - 1, MAX_SIZE + 1])
def test_sizes_it_cannot_make_are_refused(size: int) -> None:
    with pytest.raises(ValueError, match=f"between {MIN_SIZE} and {MAX_SIZE}"):
        demo_people(size=size)


def test_it_passes_the_same_validation_as_an_uploaded_file() -> None:
    assert through_the_importer(PEOPLE) == PEOPLE


def test_reporting_lines_form_one_tree_under_a_ceo() -> None:
    assert_one_tree_with_spans_of_three_to_nine(PEOPLE)
    ceo = PEOPLE[0]
    assert ceo.manager_id == "" and ceo.title == "Chief Executive Officer" and ceo.level == 1


def test_managers_come_before_their_reports() -> None:
    position = {p.employee_id: i for i, p in enumerate(PEOPLE)}
    assert all(position[p.manager_id] < position[p.employee_id] for p in PEOPLE if p.manager_id)


def test_the_executive_team_is_one_chief_per_department() -> None:
    executives = [p for p in PEOPLE if p.manager_id == PEOPLE[0].employee_id]
    assert sorted(p.department for p in executives) == sorted(d.name for d in DEPARTMENTS)
    assert all(p.level == 1 and p.title.startswith("Chief ") for p in executives)


def test_there_are_four_levels_each_reporting_to_the_one_above() -> None:
    by_id = {p.employee_id: p for p in PEOPLE}
    assert {p.level for p in PEOPLE} == {1, 2, 3, 4}
    for person in PEOPLE:
        if person.manager_id:
            manager = by_id[person.manager_id]
            assert manager.level is not None and person.level is not None
            assert manager.level <= person.level, (manager, person)
            assert manager.level < person.level or manager.title == "Chief Executive Officer"
    levels = Counter(p.level for p in PEOPLE)
    assert levels[4] > levels[3] > levels[2] > 0, "a pyramid: most people are contributors"


def test_level_four_people_have_no_reports() -> None:
    managers = set(reports_of(PEOPLE))
    assert all(p.employee_id not in managers for p in PEOPLE if p.level == 4)


def test_tracks_follow_the_reporting_lines() -> None:
    managers = set(reports_of(PEOPLE))
    for person in PEOPLE:
        if person.employee_id in managers:
            assert person.track == "manager"
        else:
            assert person.track in ("ic", "lead")
    tracks = Counter(p.track for p in PEOPLE)
    assert tracks["ic"] > tracks["manager"] > tracks["lead"] > 0
    leads = [p for p in PEOPLE if p.track == "lead"]
    assert {p.level for p in leads} <= {3, 4}
    assert len(leads) <= len(PEOPLE) // 8, "only a few lead without reports"
    assert Counter(p.track for p in PEOPLE if p.level == 4).most_common(1)[0][0] == "ic"


def test_departments_are_the_seven_plus_the_ceo() -> None:
    counts = Counter(p.department for p in PEOPLE)
    assert set(counts) == {d.name for d in DEPARTMENTS} | {"Executive"}
    assert counts["Executive"] == 1
    assert counts.most_common(1)[0][0] == "Engineering"
    assert min(counts[d.name] for d in DEPARTMENTS) >= 4


def test_everyone_stays_in_their_executives_department() -> None:
    by_id = {p.employee_id: p for p in PEOPLE}
    for person in PEOPLE:
        manager = by_id.get(person.manager_id)
        if manager is not None and manager.department != "Executive":
            assert person.department == manager.department


def test_titles_fit_the_department_and_level() -> None:
    engineering = {d.name: d for d in DEPARTMENTS}["Engineering"]
    for person in PEOPLE:
        if person.department == "Engineering" and person.level == 4:
            assert person.title in engineering.member_titles + engineering.member_lead_titles
        if person.level == 3 and person.track == "manager":
            assert "Manager" in person.title or "Controller" in person.title
    assert len({p.title for p in PEOPLE}) > 40


def test_names_are_diverse_and_unique() -> None:
    names = [p.name for p in PEOPLE]
    assert len(set(names)) == len(names)
    assert len({n.split()[0] for n in names}) > 60
    assert any(not n.isascii() for n in names), "some names have accents"


def test_emails_come_from_names_and_are_plain_and_unique() -> None:
    emails = [p.email for p in PEOPLE]
    assert len(set(emails)) == len(emails)
    for person in PEOPLE:
        local, domain = person.email.split("@")
        assert domain == EMAIL_DOMAIN
        assert local.isascii() and local == local.lower()
        assert "." in local
    assert any(p.email.startswith("lukasz.") for p in demo_people(size=MAX_SIZE))


def test_clashing_names_get_numbered_emails() -> None:
    used: set[str] = set()
    emails = [
        unique_email(first, last, used)
        for first, last in [
            ("Zoë", "Müller"),
            ("Zoe", "Muller"),
            ("ZOE", "MÜLLER"),
            ("Łukasz", "O'Brien"),
        ]
    ]
    assert emails == [
        f"zoe.muller@{EMAIL_DOMAIN}",
        f"zoe.muller2@{EMAIL_DOMAIN}",
        f"zoe.muller3@{EMAIL_DOMAIN}",
        f"lukasz.obrien@{EMAIL_DOMAIN}",
    ]
    assert used == set(emails)


def test_employee_ids_count_up_from_e1001() -> None:
    assert [p.employee_id for p in PEOPLE] == [f"E{n}" for n in range(1001, 1151)]


def test_locations_are_offices_and_teams_tend_to_sit_together() -> None:
    by_id = {p.employee_id: p for p in PEOPLE}
    assert len({p.location for p in PEOPLE}) >= 5
    members = [p for p in PEOPLE if p.level == 4]
    together = sum(1 for p in members if by_id[p.manager_id].location == p.location)
    assert together > len(members) / 2


def test_start_dates_are_mondays_and_the_ceo_was_first() -> None:
    dates = [p.start_date for p in PEOPLE]
    assert all(d is not None for d in dates)
    assert all(d.weekday() == 0 for d in dates if d is not None)
    assert PEOPLE[0].start_date == min(d for d in dates if d is not None)
    assert all(datetime.date(2012, 1, 1) <= d <= datetime.date(2025, 12, 31) for d in dates if d)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    size=st.integers(min_value=MIN_SIZE, max_value=MAX_SIZE),
)
def test_any_seed_and_size_makes_a_valid_organisation(seed: int, size: int) -> None:
    people = demo_people(seed=seed, size=size)
    assert len(people) == size
    assert_one_tree_with_spans_of_three_to_nine(people)
    assert through_the_importer(people) == people
