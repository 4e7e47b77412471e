"""The demo cycle: everyone in a demo organisation gets a released report with real figures."""

from __future__ import annotations

from tandem.cycles.demo import demo_cycle_load
from tandem.cycles.models import Answer, CycleStatus, Report
from tandem.cycles.results import released_results_for
from tandem.people.models import Organisation
from tandem.people.services import demo_people_load


def test_the_demo_cycle_releases_a_report_for_everyone(db: None) -> None:
    organisation = Organisation.objects.create(name="Demo", is_demo=True)
    demo_people_load(organisation=organisation, actor=None, seed=7)
    cycle = demo_cycle_load(organisation=organisation, seed=7)
    assert cycle.status == CycleStatus.RELEASED
    reports = Report.objects.filter(participant__cycle=cycle)
    assert reports.count() == organisation.people.count()
    assert not Answer.objects.exists()
    placements = {r.data["profile"]["placement"] for r in reports}
    assert len(placements - {None}) >= 3  # a spread of leaders, managers, both, neither
    person = reports.first().participant.person  # type: ignore[union-attr]
    (result,) = released_results_for(person)
    assert result.others_scores["setting_direction"] is not None
    assert cycle.statistics["setting_direction"]["alpha"] > 0.5


def test_make_demo_loads_people_and_a_released_cycle(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_demo", "--seed", "3", stdout=out)
    assert "released 360 cycle" in out.getvalue()
    organisation = Organisation.objects.get(is_demo=True)
    assert Report.objects.filter(participant__cycle__organisation=organisation).count() == (
        organisation.people.count()
    )


def test_the_demo_raters_differ_in_generosity_and_the_release_finds_it(db: None) -> None:
    organisation = Organisation.objects.create(name="Demo", is_demo=True)
    demo_people_load(organisation=organisation, actor=None, seed=7)
    cycle = demo_cycle_load(organisation=organisation, seed=7)
    split = cycle.statistics["leniency"]
    people = organisation.people.count()
    for entry in split.values():
        # Simulated: generosity SD 0.35 against levels of SD 0.5 and answer noise of 0.7.
        assert 0.1 < entry["share"]["rater"] < 0.4 < entry["share"]["ratee"]
        assert entry["adjusted"] == people
    report = Report.objects.filter(participant__cycle=cycle).first()
    assert report is not None
    scale = report.data["leniency"]["scales"]["setting_direction"]
    assert scale["lower"] < scale["score"] < scale["upper"]
