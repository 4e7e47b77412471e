"""A readable, self-contained HTML page for one ratee's 360 report (every text escaped)."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Any

from tandem.measure.instrument import Instrument

__all__ = ["CATEGORY_TEXT", "render_html"]

CATEGORY_TEXT = {
    "over-estimator": "You rate yourself higher than others see you.",
    "under-estimator": "You rate yourself lower than others see you.",
    "in-agreement/good": "You and others agree, and others see this as a strength.",
    "in-agreement/poor": "You and others agree that this is an area to develop.",
}
PLACEMENT_TEXT = {
    "leader-manager": "Others see both strong leadership and strong management.",
    "leader": "Others see leadership more than management.",
    "manager": "Others see management more than leadership.",
    "emerging": "Neither is strong yet in others' eyes: room to grow on both.",
    "borderline": "Too close to call: the uncertainty of the scores crosses a cut.",
}
LABELS = {
    "self": "Self",
    "manager": "Manager",
    "peer": "Peers",
    "direct_report": "Direct reports",
    "others": "Others",
    "all_others": "Everyone except self",
}
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:60rem;
color:#1d2433;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d6dbe4}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #eceff4;vertical-align:top}th{font-weight:600;background:#f5f7fa}
td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#5b6475;font-size:.9rem}
.bar{display:inline-block;height:.6rem;background:#3d6fb6;border-radius:2px;vertical-align:middle}
.badge{display:inline-block;padding:.15rem .5rem;border-radius:1rem;background:#e8eef8;font-weight:600}
"""


@lru_cache(maxsize=8)
def _names(instrument: Instrument) -> tuple[dict[str, str], dict[str, str]]:
    """Scale names and item texts (observer wording), computed once per instrument."""
    names = {s.id: s.name for s in instrument.scales}
    texts = {it.id: it.observer_text or it.self_text for it in instrument.items}
    return names, texts


def _num(value: Any, digits: int = 2) -> str:
    return "&ndash;" if value is None else f"{value:.{digits}f}"


def _bar(value: Any, lo: int, hi: int) -> str:
    if value is None:
        return ""
    width = max(0.0, min(1.0, (value - lo) / (hi - lo))) * 8
    return f'<span class="bar" style="width:{width:.2f}rem"></span> '


def render_html(report: dict[str, Any], instrument: Instrument) -> str:
    """Render one ratee's report (from :func:`tandem.measure.report.ratee_dicts`) as HTML.

    Parameters
    ----------
    report : dict
        One ratee's report.
    instrument : Instrument
        Supplies scale names and item texts.

    Returns
    -------
    str
        A complete HTML document with inline styles and no external resources.

    Examples
    --------
    >>> from tandem.measure.instrument import load_instrument
    >>> page = render_html({"ratee": "<ana>", "scales": {}, "items": {}, "norms": {},
    ...                     "self_other": {"scales": {}, "blind_spots": [],
    ...                                    "hidden_strengths": []}},
    ...                    load_instrument("tandem-lm-1"))
    >>> "&lt;ana&gt;" in page and "<ana>" not in page
    True
    """
    rs = instrument.response_scale()
    lo, hi = rs.minimum, rs.maximum
    names, texts = _names(instrument)
    ratee = escape(str(report.get("ratee", "")))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>360 report: {ratee}</title><style>{STYLE}</style></head><body>",
        f"<h1>360 report: {ratee}</h1>",
        f'<p class="muted">{escape(instrument.title)}, version {instrument.version}. '
        f"Answers run from {lo} ({escape(rs.labels[0])}) to {hi} ({escape(rs.labels[-1])}).</p>",
    ]
    profile = report.get("profile")
    if profile and profile.get("placement"):
        placement = profile["placement"]
        lean = profile.get("leaning")
        extra = f" (leaning {escape(lean)})" if placement == "borderline" and lean else ""
        out.append("<h2>Leader or manager?</h2>")
        out.append(
            f'<p><span class="badge">{escape(placement)}</span>{extra} '
            f"{escape(PLACEMENT_TEXT.get(placement, ''))}</p>"
        )
        out.append(
            "<table><tr><th>Index</th><th>Everyone except self</th><th>"
            f"{round(100 * profile.get('level', 0.95))}% interval</th>"
            "<th>Cut</th><th>Self</th></tr>"
        )
        for key, label in (("leadership", "Leadership"), ("management", "Management")):
            p = profile[key]
            out.append(
                f'<tr><td>{label}</td><td class="n">{_num(p["score"])}</td>'
                f'<td class="n">{_num(p["lower"])} to {_num(p["upper"])}</td>'
                f'<td class="n">{_num(p["cut"])}</td><td class="n">{_num(p["self"])}</td></tr>'
            )
        out.append(
            f'</table><p class="muted">Cuts: {escape(str(profile.get("cut_basis", "")))}.</p>'
        )

    out.append("<h2>Scales by rater group</h2>")
    out.append(
        '<p class="muted">Only groups large enough to keep raters anonymous are shown; smaller '
        "groups are combined into &ldquo;Others&rdquo; or left out entirely.</p>"
    )
    out.append(
        "<table><tr><th>Scale</th><th>Group</th><th>n</th><th>Mean</th><th>Percentile</th></tr>"
    )
    for sid, aggregates in report.get("scales", {}).items():
        pct = report.get("norms", {}).get(sid, {}).get("percentile")
        for k, agg in enumerate(aggregates):
            covered = ", ".join(LABELS.get(g, g) for g in agg["groups"])
            label = LABELS.get(agg["label"], agg["label"])
            if agg["label"] in ("others", "all_others"):
                label += f" ({covered})"
            first = escape(names.get(sid, sid)) if k == 0 else ""
            pct_cell = _num(pct, 0) if agg["label"] == "all_others" else ""
            out.append(
                f"<tr><td>{first}</td><td>{escape(label)}</td><td class='n'>{agg['n']}</td>"
                f"<td class='n'>{_bar(agg['mean'], lo, hi)}{_num(agg['mean'])}</td>"
                f"<td class='n'>{pct_cell}</td></tr>"
            )
    out.append("</table>")

    so = report.get("self_other", {})
    out.append("<h2>How you see yourself and how others see you</h2>")
    out.append(
        "<table><tr><th>Scale</th><th>Self</th><th>Others</th><th>Difference</th><th>What it means</th></tr>"
    )
    for sid, row in so.get("scales", {}).items():
        category = row.get("category")
        meaning = (
            CATEGORY_TEXT.get(category, "Not enough ratings to compare.")
            if category
            else ("Not enough ratings to compare.")
        )
        out.append(
            f"<tr><td>{escape(names.get(sid, sid))}</td><td class='n'>{_num(row.get('self'))}</td>"
            f"<td class='n'>{_num(row.get('others'))}</td>"
            f"<td class='n'>{_num(row.get('difference'))}</td><td>{escape(meaning)}</td></tr>"
        )
    out.append("</table>")
    for key, title, note in (
        ("blind_spots", "Possible blind spots", "you rate yourself high, others rate you lower"),
        ("hidden_strengths", "Hidden strengths", "others rate you higher than you do"),
    ):
        entries = so.get(key, [])
        out.append(f"<h2>{title}</h2><p class='muted'>Items where {note}.</p>")
        if not entries:
            out.append("<p>None stand out.</p>")
            continue
        out.append("<table><tr><th>Behaviour</th><th>Self</th><th>Others</th></tr>")
        for e in entries[:5]:
            out.append(
                f"<tr><td>{escape(texts.get(e['item'], e['item']))}</td>"
                f"<td class='n'>{_num(e['self'])}</td><td class='n'>{_num(e['others'])}</td></tr>"
            )
        out.append("</table>")

    sections = report.get("self_sections") or {}
    if any(v is not None for sub in sections.values() for v in sub.values()):
        out.append("<h2>Motivation and interests (your own answers)</h2><table>")
        section_names = {s.id: s for s in instrument.self_sections}
        for section_id, subs in sections.items():
            section = section_names.get(section_id)
            sub_names = {s.id: s.name for s in section.subscales} if section else {}
            for sub_id, value in subs.items():
                out.append(
                    f"<tr><td>{escape(section.name if section else section_id)}</td>"
                    f"<td>{escape(sub_names.get(sub_id, sub_id))}</td>"
                    f"<td class='n'>{_num(value)}</td></tr>"
                )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
