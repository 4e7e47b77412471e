"""axe-core, vendored for the tests only, run inside the page the browser shows.

``axe.min.js`` is axe-core 4.14.1 from npm (``npm pack axe-core@4.14.1``), MPL-2.0 (LICENSE here,
its own third-party notices in LICENSE-3RD-PARTY.txt). It is never served by Tandem: the tests
inject it with ``page.add_script_tag``, so nothing is downloaded when the tests run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_JS = Path(__file__).with_name("axe.min.js")

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what Tandem claims (docs/accessibility.md).
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  }));
}"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG A and AA violations axe finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    violations: list[dict[str, Any]] = page.evaluate(_RUN, WCAG_AA_TAGS)
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per rule and one per failing element, short enough to read in a test report."""
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(f"    {node['target']}: {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)
