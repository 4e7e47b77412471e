"""The cascade map draws with ECharts under the project's content security policy."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from tandem.accounts.models import Role
from tandem.vision.services import goal_create, vision_save
from tests.factories import PASSWORD, make_organisation, make_person, make_user


def test_the_map_page_draws_the_cascade_on_a_canvas(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    acme = make_organisation("Acme")
    ada = make_person(acme, "Ada Admin", title="Chief Executive")
    manny = make_person(acme, "Manny Manager", manager=ada)
    make_person(acme, "Emma Employee", manager=manny)
    make_user(acme, role=Role.ADMIN, person=ada)
    vision_save(organisation=acme, destination="Ship weekly.", why="Trust.", actor=None)
    top = goal_create(
        organisation=acme,
        team=ada,
        owner=ada,
        title="Win on <reliability>",
        meaning="We lead on reliability.",
        why="It is why customers stay.",
        links_to_vision=True,
        actor=None,
    )
    goal_create(
        organisation=acme,
        team=manny,
        owner=manny,
        title="Ship weekly",
        meaning="Every week.",
        why="Small releases break less.",
        parents=[top],
        actor=None,
    )
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if _is_problem(m) else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Email").fill(ada.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Vision", exact=True).click()
    page.get_by_role("link", name="Map", exact=True).click()
    expect(page.get_by_role("heading", name="Cascade map")).to_be_visible()
    chart = page.locator("#cascade-map")
    expect(chart).to_have_attribute("data-ready", "true")
    canvas = chart.locator("canvas")
    expect(canvas.first).to_be_visible()
    box = canvas.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    # ECharts holds the whole tree: the vision and both goals, the title as plain text.
    names = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('cascade-map'));
            const data = chart.getModel().getSeriesByIndex(0).getData();
            return data.mapArray((i) => data.getName(i));
        }"""
    )
    # (ECharts puts a nameless root of its own above ours.)
    assert names[1:] == ["The vision", "Win on <reliability>", "Ship weekly"]
    # The goal's tooltip (shown as a hover would) has the title as text, never as HTML.
    page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('cascade-map'));
            const data = chart.getModel().getSeriesByIndex(0).getData();
            const index = data.mapArray((i) => data.getName(i)).indexOf('Win on <reliability>');
            chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: index});
        }"""
    )
    tooltip = chart.locator("div", has_text="Team of Ada Admin").last
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("Win on <reliability>")
    expect(tooltip).to_contain_text("Aligned")
    assert not problems, problems
    expect(page.locator("#layers")).to_contain_text("1")


def _is_problem(message: ConsoleMessage) -> bool:
    return message.type == "error" or "Content Security Policy" in message.text
