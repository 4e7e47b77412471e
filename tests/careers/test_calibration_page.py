"""The calibration page shows what matters first: the flags, strongest evidence first, then a
compact table of the managers who proposed someone; the managers who proposed nobody are one
line, not dozens of rows with p = 1.000."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from tandem.people.models import Person
from tests.careers.seed import Round, _org, _propose, biased_round
from tests.factories import make_person

URL = reverse("careers:calibration") + "?since=2026-01-01"


def _page(r: Round) -> str:
    client = Client()
    client.force_login(r.hr)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _add_quiet_managers(r: Round, count: int, reports: int) -> list[Person]:
    managers = []
    for i in range(count):
        manager = make_person(r.organisation, f"Quiet Manager {i:02d}", manager=r.ceo)
        for k in range(reports):
            make_person(r.organisation, f"Quiet Report {i:02d}-{k}", manager=manager)
        managers.append(manager)
    return managers


def _section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


def test_a_new_organisations_first_proposal_is_too_few_to_judge(db: None) -> None:
    r = _org("Acme", [3])
    _add_quiet_managers(r, 20, 3)
    _propose(r, r.teams[r.managers[0].pk][0])
    page = _page(r)
    assert 'id="no-flags"' in page and "data-flag=" not in page
    flags = _section(page, "flags")
    assert "proposal rates are not compared yet: too few proposals" in flags
    assert "Checked: criteria argued without evidence; confidence without evidence." in flags
    rates = _section(page, "rates")
    assert "1 proposal in this period: too few to compare managers yet" in rates
    rows = re.findall(r'<tr data-manager="(\d+)"', rates)
    assert rows == [str(r.managers[0].pk)]
    assert "too few to judge: fewer than 5 proposals in the organisation" in rates
    # The 20 quiet managers and the chief executive (whose reports are the managers).
    assert "21 more managers proposed nobody in this period; nothing to compare yet." in rates
    assert "Quiet Manager" not in rates and "p = 1.000" not in page


def test_flags_come_first_and_managers_who_proposed_nobody_are_folded(db: None) -> None:
    r = biased_round()
    _add_quiet_managers(r, 20, 5)
    page = _page(r)
    assert page.index('id="flags"') < page.index('id="distribution"') < page.index('id="rates"')
    flags = _section(page, "flags")
    kinds = re.findall(r'data-flag="([a-z-]+)"', flags)
    # Patterns across the round first, then the flags about single cases.
    assert kinds == [
        "manager-proposal-rate",
        "four-fifths",
        "argued-without-evidence",
        "confidence-without-evidence",
    ]
    assert "after Holm&#x27;s adjustment for the 25 managers compared" in flags
    rates = _section(page, "rates")
    gina = r.managers[0]
    rows = re.findall(r'<tr data-manager="(\d+)"', rates)
    assert rows[0] == str(gina.pk)  # the flagged manager leads the table
    assert set(rows) == {str(m.pk) for m in r.managers}  # the four who proposed someone
    assert "Stands out" in rates
    assert "21 more managers proposed nobody in this period; none of them stands out" in rates
    assert "Quiet Manager" not in page


def test_a_manager_sees_the_rule_for_every_flag_but_never_the_groups(db: None) -> None:
    r = biased_round()
    client = Client()
    client.force_login(r.manager_users[1])
    page = client.get(URL).content.decode()
    assert "Holm, 1979" in page and "fewer than 5 direct reports" in page
    assert "four-fifths" not in page and 'id="groups"' not in page


def test_a_group_too_small_to_judge_is_shown_in_the_table_not_flagged(db: None) -> None:
    from tandem.careers.services import demographics_import

    r = biased_round()
    # Mark two unproposed people as a third group: 0 of 2 against the men's 9 of 20 is under
    # four-fifths, but one different proposal would give them 1 of 2 (50%) against 8 of 20.
    proposed = {case.candidate_id for case in r.cases}
    two = [p for team in r.teams.values() for p in team if p.pk not in proposed][:2]
    text = "employee_id,gender\n" + "".join(f"{p.employee_id},other\n" for p in two)
    demographics_import(organisation=r.organisation, text=text, actor=None)
    page = _page(r)
    assert "gender: other" not in _section(page, "flags")
    groups = _section(page, "groups")
    assert "too few to judge: gender: proposals, other (0 of 2)" in groups
    assert "(too few to judge)" in groups
