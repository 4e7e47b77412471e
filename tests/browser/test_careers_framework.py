"""An employee reads the career framework in a real browser and sees their level and the next."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.careers.models import FrameworkVersion
from tandem.careers.services import DEFAULT_FRAMEWORK_PATH, framework_default_install
from tests.browser.people import sign_in
from tests.factories import make_organisation, make_person, make_user


def test_employee_reads_the_framework(live_server, transactional_db, page: Page) -> None:  # type: ignore[no-untyped-def]
    acme = make_organisation("Acme")
    emma = make_person(acme, "Emma Employee", track="ic", level=2)
    make_user(acme, role=Role.EMPLOYEE, person=emma)
    framework_default_install(organisation=acme, actor=None)

    sign_in(page, live_server.url, emma.email)

    page.get_by_role("link", name="Careers", exact=True).click()
    expect(page.get_by_role("heading", name="Career framework")).to_be_visible()
    position = page.locator("#position")
    expect(position).to_contain_text("You are here")
    expect(position).to_contain_text("Individual contributor, level 2: Practitioner")
    expect(position).to_contain_text("Next level")
    expect(position).to_contain_text("Level 3: Experienced")
    expect(page.locator("#sideways")).to_contain_text("normal and respected choice")

    # Every track is readable, not only Emma's own.
    page.get_by_role("link", name="People manager").click()
    expect(page.get_by_role("heading", name="People manager", level=1)).to_be_visible()
    expect(page.locator("#level-1")).to_contain_text("Holds regular one-to-ones")
    expect(page.get_by_text("You are here")).to_have_count(0)

    # Her own track marks where she is and what comes next.
    page.go_back()
    position.get_by_role("link", name=re.compile("Level 3: Experienced")).click()
    expect(page).to_have_url(re.compile(r"/careers/tracks/ic/#level-3$"))
    expect(page.locator("#level-2")).to_contain_text("You are here")
    expect(page.locator("#level-3")).to_contain_text("Next level")
    expect(page.locator("#level-3")).to_contain_text("Weighs cost, risk and time honestly")


def test_people_team_imports_a_framework_after_a_malformed_file(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page, tmp_path: Path
) -> None:
    acme = make_organisation("Acme")
    harriet = make_person(acme, "Harriet Hr", title="People Partner")
    make_user(acme, role=Role.PEOPLE_TEAM, person=harriet)
    good = DEFAULT_FRAMEWORK_PATH.read_text(encoding="utf-8")
    lines = good.splitlines()
    at = next(i for i, line in enumerate(lines) if "title: Practitioner" in line)
    lines[at] = lines[at].replace("title:", "title-:")
    (tmp_path / "bad.yaml").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "good.yaml").write_text(good, encoding="utf-8")

    sign_in(page, live_server.url, harriet.email)
    page.get_by_role("link", name="Careers", exact=True).click()
    expect(page.get_by_text("no career framework yet")).to_be_visible()
    page.get_by_role("link", name="Import a YAML file").click()

    page.get_by_label("Framework file (YAML)").set_input_files(str(tmp_path / "bad.yaml"))
    page.get_by_role("button", name="Check and publish").click()
    problems = page.locator("#problems")
    expect(problems).to_contain_text("Nothing was saved.")
    expect(problems).to_contain_text(f"Line {at + 1}:")
    assert not FrameworkVersion.objects.exists()

    page.get_by_label("Framework file (YAML)").set_input_files(str(tmp_path / "good.yaml"))
    page.get_by_role("button", name="Check and publish").click()
    expect(page.get_by_text("published as framework version 1")).to_be_visible()
    expect(page.get_by_role("link", name="Leadership without reports")).to_be_visible()
    assert FrameworkVersion.objects.count() == 1

    # Editing in the page publishes version 2; version 1 keeps its words.
    page.get_by_role("link", name="Manage the framework").click()
    page.get_by_role("link", name="Edit the framework").click()
    text = page.get_by_label("Framework (YAML)")
    text.fill(text.input_value().replace("title: Practitioner", "title: Independent"))
    page.get_by_role("button", name="Check and publish").click()
    expect(page.get_by_text("Published as framework version 2")).to_be_visible()
    page.get_by_role("link", name="Individual contributor").click()
    expect(page.locator("#level-2")).to_contain_text("Level 2: Independent")
    first = FrameworkVersion.objects.get(number=1)
    assert first.tracks.get(key="ic").levels.get(number=2).title == "Practitioner"
