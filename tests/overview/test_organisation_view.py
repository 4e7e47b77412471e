"""The organisation view (tandem.overview): heatmap cells, placements, bench, CSV and PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.cycles.instruments import instrument_default_install
from tandem.cycles.models import Cycle, CycleStatus, Participant, Report
from tandem.overview.bench import leadership_bench
from tandem.overview.selectors import levels_label, organisation_view
from tandem.people.models import Organisation, Person, Track
from tandem.vision.models import Nomination, NominationSurvey
from tests.conftest import Personas
from tests.factories import make_person

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 2)


def _released_cycle(organisation: Organisation, name: str = "Spring 360") -> Cycle:
    version = instrument_default_install(organisation=organisation, actor=None)
    return Cycle.objects.create(
        organisation=organisation,
        name=name,
        instrument=version,
        opens_on=TODAY - dt.timedelta(days=30),
        closes_on=TODAY - dt.timedelta(days=10),
        status=CycleStatus.RELEASED,
        released_at=timezone.now(),
    )


def _report(
    cycle: Cycle,
    person: Person,
    leadership: float | None,
    management: float | None,
    placement: str | None = None,
    *,
    manager_may_view: bool = True,
) -> Participant:
    """A released report as release stores it (only the profile the view reads)."""
    participant = Participant.objects.create(
        cycle=cycle, person=person, manager_may_view=manager_may_view
    )
    profile = {
        "leadership": {"score": leadership},
        "management": {"score": management},
        "placement": placement,
    }
    Report.objects.create(participant=participant, data={"profile": profile})
    return participant


def _people(
    organisation: Organisation, department: str, level: int | None, count: int, **fields: object
) -> list[Person]:
    return [
        make_person(
            organisation, f"{department} {level} {k}", department=department, level=level, **fields
        )  # type: ignore[arg-type]
        for k in range(count)
    ]


@pytest.fixture
def spring(personas: Personas, settings) -> Cycle:  # type: ignore[no-untyped-def]
    """Engineering: 3 at level 2 and 4 at level 3; Sales: 6 at level 3; Legal 2 and Ops 2."""
    settings.ORGANISATION_VIEW_MINIMUM = 5
    acme = personas.organisation
    cycle = _released_cycle(acme)
    for k, person in enumerate(
        _people(acme, "Engineering", 2, 3) + _people(acme, "Engineering", 3, 4)
    ):
        _report(cycle, person, 3.0 + k / 10, 2.0 + k / 10, "leader" if k % 2 else "manager")
    for k, person in enumerate(_people(acme, "Sales", 3, 6)):
        _report(cycle, person, 4.0, 3.0 + k / 10, "leader-manager")
    for person in _people(acme, "Legal", 4, 2) + _people(acme, "Ops", 1, 2):
        _report(cycle, person, 2.0, 2.0, "emerging")
    return cycle


def test_levels_are_named_in_plain_words() -> None:
    assert levels_label((3,)) == "Level 3"
    assert levels_label((1, 2, 3)) == "Levels 1–3"
    assert levels_label((1, 3)) == "Levels 1, 3"
    assert levels_label((None,)) == "No level"
    assert levels_label((4, None)) == "Level 4 and no level"


def test_cells_join_levels_pool_small_departments_and_show_no_margin(
    personas: Personas, spring: Cycle
) -> None:
    view = organisation_view(cycle=spring, reader=personas.hr)
    shown = [(c.department, c.label, c.n) for c in view.cells]
    # Engineering's levels 2 (3 people) and 3 (4 people) are each too small: shown together.
    # Legal and Ops (2 each) together are 4, still too few: hidden and counted.
    assert shown == [("Engineering", "Levels 2–3", 7), ("Sales", "Level 3", 6)]
    assert view.hidden == 4 and view.reports == view.scored == 17
    engineering = view.cells[0]
    assert engineering.leadership == pytest.approx(3.3)
    assert engineering.management == pytest.approx(2.3)
    assert view.columns == (2, 3)
    assert (engineering.first_column, engineering.last_column) == (0, 1)
    assert (view.cells[1].first_column, view.cells[1].last_column) == (1, 1)
    counts = {p.placement: p.count for p in view.placements}
    assert counts == {
        "leader-manager": 6,
        "leader": 3,
        "manager": 4,
        "emerging": 4,
        "borderline": 0,
    }


def test_reports_the_reader_may_read_do_not_count_towards_the_minimum(
    personas: Personas, spring: Cycle
) -> None:
    acme = personas.organisation
    # Harriet (people team) manages two of Sales' six, one of whom shares the report with her.
    sales = list(Person.objects.filter(organisation=acme, department="Sales").order_by("pk"))
    Person.objects.filter(pk__in=[sales[0].pk, sales[1].pk]).update(manager=personas.hr_person)
    Participant.objects.filter(person=sales[1]).update(manager_may_view=False)
    view = organisation_view(cycle=spring, reader=personas.hr)
    assert view.known == 1
    # Six in Sales, one of them known to her: five left, still enough.
    assert [c.department for c in view.cells] == ["Engineering", "Sales"]
    # Her own report in Sales too: seven there, two known, five left: still enough.
    _report(spring, personas.hr_person, 3.0, 3.0, "manager")
    Person.objects.filter(pk=personas.hr_person.pk).update(department="Sales", level=3)
    view = organisation_view(cycle=spring, reader=personas.hr)
    assert view.known == 2
    assert [c.department for c in view.cells] == ["Engineering", "Sales"]
    # The second one shares too: four left, too few, so Sales joins the small departments.
    Participant.objects.filter(person=sales[1]).update(manager_may_view=True)
    view = organisation_view(cycle=spring, reader=personas.hr)
    assert view.known == 3
    assert [c.department for c in view.cells] == ["Engineering", "Other departments"]
    assert view.cells[1].n == 7 + 4 and view.hidden == 0
    # Someone who knows none of them still sees Sales on its own.
    other_hr = Client()
    other_hr.force_login(personas.admin)
    page = other_hr.get(reverse("overview:organisation"))
    assert '<th scope="row">Sales</th>' in page.content.decode()


def test_people_without_both_scores_are_left_out_and_said_so(personas: Personas) -> None:
    cycle = _released_cycle(personas.organisation)
    for k, person in enumerate(_people(personas.organisation, "Engineering", 3, 6)):
        _report(cycle, person, 3.0 if k else None, 3.0)
    view = organisation_view(cycle=cycle, reader=personas.hr)
    assert (view.reports, view.scored, view.cells[0].n) == (6, 5, 5)


def test_placements_are_withheld_when_they_would_tell_someone_theirs(
    personas: Personas,
) -> None:
    cycle = _released_cycle(personas.organisation)
    for person in _people(personas.organisation, "Engineering", 3, 6):
        _report(cycle, person, 3.0, 3.0, "manager")
    view = organisation_view(cycle=cycle, reader=personas.hr)
    assert view.placements == () and view.placements_withheld
    client = Client()
    client.force_login(personas.hr)
    body = client.get(reverse("overview:organisation")).content.decode()
    assert "counting placements here would tell someone theirs" in body


def test_the_page_shows_the_heatmap_its_table_and_its_data(
    personas: Personas, spring: Cycle
) -> None:
    client = Client()
    client.force_login(personas.hr)
    response = client.get(reverse("overview:organisation"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="heatmap-leadership"' in body and 'id="heatmap-data"' in body
    assert "Levels 2–3" in body and "3.30" in body
    assert "4 participants in small departments are in no cell" in body
    assert "overview/heatmap.js" in body
    # The server's SVG is in the page too (for browsers without JavaScript).
    assert body.count('role="img" width=') == 3  # two heatmaps and the placement bars
    # The navigation offers the page to the people team only.
    assert reverse("overview:organisation") in body
    employee = Client()
    employee.force_login(personas.employee)
    assert (
        reverse("overview:organisation") not in employee.get(reverse("web:home")).content.decode()
    )


def test_a_cycle_is_chosen_among_the_released_ones(personas: Personas, spring: Cycle) -> None:
    client = Client()
    client.force_login(personas.hr)
    url = reverse("overview:organisation")
    assert client.get(url, {"cycle": spring.pk}).status_code == 200
    assert client.get(url, {"cycle": "x"}).status_code == 404
    draft = _released_cycle(personas.organisation, "Draft")
    Cycle.objects.filter(pk=draft.pk).update(status=CycleStatus.OPEN)
    assert client.get(url, {"cycle": draft.pk}).status_code == 404
    theirs = _released_cycle(personas.other_organisation)
    assert client.get(url, {"cycle": theirs.pk}).status_code == 404


def test_with_no_released_cycle_the_page_says_so(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.hr)
    body = client.get(reverse("overview:organisation")).content.decode()
    assert "No cycle has been released yet" in body
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("overview:organisation_csv")).content.decode("utf-8-sig")
            )
        )
    )
    assert rows == [
        ["kind", "department", "levels", "participants", "leadership", "management", "placement"]
    ]


def test_the_csv_has_exactly_the_shown_figures_spreadsheet_safe(
    personas: Personas, spring: Cycle
) -> None:
    Person.objects.filter(department="Sales").update(department="=Sales")
    client = Client()
    client.force_login(personas.hr)
    response = client.get(reverse("overview:organisation_csv"), {"cycle": spring.pk})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="tandem-organisation-spring-360.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1:3] == [
        ["cell", "'=Sales", "Level 3", "6", "4.0000", "3.2500", ""],
        ["cell", "Engineering", "Levels 2–3", "7", "3.3000", "2.3000", ""],
    ]
    assert ["placement", "", "", "6", "", "", "leader-manager"] in rows
    assert rows[-1] == ["hidden", "", "", "4", "", "", ""]
    assert len(rows) == 1 + 2 + 5 + 1  # every placement, none too (borderline: 0)


def test_the_pdf_draws_the_heatmaps_as_svg(personas: Personas, spring: Cycle) -> None:
    from pypdf import PdfReader

    client = Client()
    client.force_login(personas.hr)
    response = client.get(reverse("overview:organisation_pdf"), {"cycle": spring.pk})
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Organisation view" in text
    assert "Leadership by department and level" not in text  # SVG titles are not page text
    assert "Levels 2–3" in text and "3.30" in text and "n = 7" in text


def test_the_bench_names_who_leads_without_reports(personas: Personas, spring: Cycle) -> None:
    acme = personas.organisation
    make_person(acme, "Lena Lead", track=Track.LEADERSHIP_WITHOUT_REPORTS)
    named_ic = make_person(acme, "Ivo Named", track=Track.INDIVIDUAL_CONTRIBUTOR)
    named_manager = make_person(acme, "Mo Named", track=Track.PEOPLE_MANAGER)
    make_person(acme, "Rae Report", manager=named_ic, status="archived")  # left: no report
    survey = NominationSurvey.objects.create(organisation=acme, opened_on=TODAY)
    nominators = _people(acme, "Ops", 2, 3)
    for nominator in nominators:
        for nominee in (named_ic, named_manager):
            Nomination.objects.create(survey=survey, nominator=nominator, nominee=nominee)
    bench = leadership_bench(organisation=acme, reader=personas.hr)
    assert [(e.person.name, e.nominated_by) for e in bench.entries] == [
        ("Ivo Named", 3),
        ("Lena Lead", None),
    ]
    assert all(entry.leadership is None for entry in bench.entries)
    # Ivo's 360 is shown only to someone who may read his report: his manager, if he allows.
    Person.objects.filter(pk=named_ic.pk).update(manager=personas.hr_person)
    _report(spring, named_ic, 4.2, 3.1, "leader")
    readable = leadership_bench(organisation=acme, reader=personas.hr).entries[0]
    assert (readable.leadership, readable.leadership_cycle) == (4.2, "Spring 360")
    Participant.objects.filter(person=named_ic).update(manager_may_view=False)
    assert leadership_bench(organisation=acme, reader=personas.hr).entries[0].leadership is None
    client = Client()
    client.force_login(personas.hr)
    body = client.get(reverse("overview:organisation")).content.decode()
    assert "Ivo Named" in body and "3 colleagues" in body and "not yours to read" in body
    assert "Mo Named" not in body


def test_the_many_at_once_rule_is_can_view_report(personas: Personas, spring: Cycle) -> None:
    """``reports_readable_in`` is ``can_view_report`` over a whole cycle: the same answer for
    every reader and every participant, sharing or not."""
    from tandem import access

    Person.objects.filter(department="Sales").update(manager=personas.hr_person)
    sales = list(Participant.objects.filter(person__department="Sales").order_by("pk"))
    Participant.objects.filter(pk__in=[p.pk for p in sales[:3]]).update(manager_may_view=False)
    _report(spring, personas.hr_person, 3.0, 3.0)
    _report(spring, personas.employee_person, 3.0, 3.0, manager_may_view=False)
    _report(spring, personas.sibling_person, 3.0, 3.0)
    participants = list(Participant.objects.filter(cycle=spring).select_related("person", "cycle"))
    counts = {}
    for role in ("hr", "manager", "employee", "admin"):
        reader = getattr(personas, role)
        readable = set(
            Participant.objects.filter(
                access.overview.reports_readable_in(reader, spring)
            ).values_list("pk", flat=True)
        )
        expected = {p.pk for p in participants if access.cycles.can_view_report(reader, p)}
        assert readable == expected, role
        counts[role] = len(readable)
    # Harriet: her own and the three Sales reports shared with her; Manny: Eli's (Emma keeps
    # hers); Emma: her own; Ada: Harriet's, as her manager.
    assert counts == {"hr": 4, "manager": 1, "employee": 1, "admin": 1}


def test_placement_meanings_are_worded_for_every_placement_code() -> None:
    """The view words placements itself (tandem.measure stays English and Django-free); in
    English it says what the measure's report says."""
    from django.utils import translation

    from tandem.measure.htmlreport import PLACEMENT_TEXT
    from tandem.overview.selectors import PLACEMENT_MEANINGS

    assert set(PLACEMENT_MEANINGS) == set(PLACEMENT_TEXT)
    with translation.override("en-gb"):
        assert {k: str(v) for k, v in PLACEMENT_MEANINGS.items()} == PLACEMENT_TEXT


@pytest.mark.parametrize("language", ["es", "de", "ar"])
def test_the_page_and_its_downloads_work_in_every_language(
    personas: Personas, spring: Cycle, language: str
) -> None:
    client = Client()
    client.force_login(personas.hr)
    response = client.get(
        reverse("overview:organisation"), {"cycle": spring.pk}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'lang="{language}"' in body
    assert ('dir="rtl"' in body) == (language == "ar")
    assert 'id="heatmap-data"' in body
    csv_response = client.get(
        reverse("overview:organisation_csv"), {"cycle": spring.pk}, HTTP_ACCEPT_LANGUAGE=language
    )
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 7 and all(len(row) == 7 for row in rows)
