"""The tandem command line, run through Click's CliRunner."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tandem.measure.cli import guard_cell, main, safe_file_name
from tests.measure.builders import team_rows, write_rows
from tests.measure.refdata import REFERENCE, reference

TOL = 1e-6
SHIPPED = (
    Path(__file__).resolve().parents[2] / "src" / "tandem" / "instruments" / "tandem-lm-1.yaml"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_stats_alpha_reproduces_psych(tmp_path: Path) -> None:
    # R: psych::alpha(bfi[, items], keys = reversed, check.keys = FALSE) per bfi scale
    code, out, _ = run(
        "stats",
        "alpha",
        str(REFERENCE / "bfi.csv"),
        "--keys",
        str(REFERENCE / "bfi_keys.csv"),
        "--json",
    )
    assert code == 0
    scales = json.loads(out)["scales"]
    for name, expected in reference()["alpha"].items():
        got = scales[name]
        assert got["raw_alpha"] == pytest.approx(expected["total"]["raw_alpha"], abs=TOL)
        assert got["std_alpha"] == pytest.approx(expected["total"]["std.alpha"], abs=TOL)
        assert got["mean"] == pytest.approx(expected["total"]["mean"], abs=TOL)
        assert got["n_items"] == 5
        for row, drop in zip(expected["item.stats"], expected["alpha.drop"], strict=True):
            item = got["items"][row["_row"].rstrip("-")]
            assert item["r_drop"] == pytest.approx(row["r.drop"], abs=TOL)
            assert item["alpha_if_dropped"] == pytest.approx(drop["raw_alpha"], abs=TOL)


def test_stats_alpha_with_a_given_range_and_as_text(tmp_path: Path) -> None:
    code, out, _ = run(
        "stats",
        "alpha",
        str(REFERENCE / "bfi.csv"),
        "--keys",
        str(REFERENCE / "bfi_keys.csv"),
        "--scale-min",
        "1",
        "--scale-max",
        "6",
    )
    assert code == 0
    assert "agree: raw_alpha 0.703" in out and "-A1" in out
    code, _out, err = run(
        "stats",
        "alpha",
        str(REFERENCE / "bfi.csv"),
        "--keys",
        str(REFERENCE / "bfi_keys.csv"),
        "--scale-min",
        "1",
    )
    assert code == 2 and "both --scale-min and --scale-max" in err


def test_stats_alpha_names_a_key_that_is_not_a_column(tmp_path: Path) -> None:
    keys = tmp_path / "keys.csv"
    keys.write_text("scale,item\nagree,A1\nagree,-Z9\n")
    code, _out, err = run(
        "stats", "alpha", str(REFERENCE / "bfi.csv"), "--keys", str(keys), "--json"
    )
    assert code == 1
    assert f"{keys}, row 3, column 'item': 'Z9' is not a column" in err


def test_stats_icc_reproduces_psych() -> None:
    # R: psych::ICC(sf, lmer = FALSE)$results
    code, out, _ = run("stats", "icc", str(REFERENCE / "shrout_fleiss_1979.csv"), "--json")
    assert code == 0
    data = json.loads(out)
    for row in reference()["icc_sf"]:
        assert data[row["type"]] == pytest.approx(row["ICC"], abs=TOL)
        assert data["details"][row["type"]]["lower"] == pytest.approx(row["lower bound"], abs=TOL)


def test_stats_icc_refuses_gaps(tmp_path: Path) -> None:
    path = tmp_path / "j.csv"
    path.write_text("J1,J2\n1,2\n3,\n")
    code, _out, err = run("stats", "icc", str(path), "--json")
    assert code == 1 and f"{path}, row 3, column 'J2': empty" in err


def test_stats_groups_reproduces_multilevel() -> None:
    # R: multilevel::ICC1/ICC2(aov(LEAD ~ as.factor(COMPID))), rwg.j(..., ranvar = 2), ad.m(...)
    items = ",".join(f"LEAD{i:02d}" for i in range(1, 12))
    code, out, _ = run(
        "stats",
        "groups",
        str(REFERENCE / "lq2002.csv"),
        "--group",
        "COMPID",
        "--value",
        "LEAD",
        "--items",
        items,
        "--scale-points",
        "5",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    bliese = reference()["bliese"]
    assert data["icc1"] == pytest.approx(bliese["lq2002_LEAD_ICC1_ICC2"][0], abs=TOL)
    assert data["icc2"] == pytest.approx(bliese["lq2002_LEAD_ICC1_ICC2"][1], abs=TOL)
    assert data["rwg_j"]["mean"] == pytest.approx(bliese["lq2002_rwgj_mean"], abs=TOL)
    assert data["rwg_j"]["median"] == pytest.approx(bliese["lq2002_rwgj_median"], abs=TOL)
    assert data["rwg_j"]["groups"]["2"] == pytest.approx(0.807527258396462, abs=TOL)
    assert data["ad_m_j"]["mean"] == pytest.approx(bliese["lq2002_adm_mean"], abs=TOL)


def test_stats_groups_needs_something_to_compute() -> None:
    code, _out, err = run("stats", "groups", str(REFERENCE / "lq2002.csv"), "--group", "COMPID")
    assert code == 2 and "--value COL, --items" in err
    code, _out, err = run(
        "stats", "groups", str(REFERENCE / "lq2002.csv"), "--group", "COMPID", "--items", "LEAD01"
    )
    assert code == 2 and "--scale-points" in err


def score(
    tmp_path: Path, rows: list[list[str]] | None = None, *extra: str
) -> tuple[int, str, str, Path]:
    path = write_rows(tmp_path / "responses.csv", team_rows() if rows is None else rows)
    out = tmp_path / "out"
    code, stdout, stderr = run(
        "score", str(path), "--instrument", "tandem-lm-1", "--out", str(out), *extra
    )
    return code, stdout, stderr, out


def test_score_writes_json_html_and_summary(tmp_path: Path) -> None:
    code, stdout, _err, out = score(tmp_path)
    assert code == 0, stdout
    assert "Scored 2 ratees" in stdout
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "ana--ben/ana.html",
        "ana--ben/ana.json",
        "ana--ben/ben.html",
        "ana--ben/ben.json",
        "summary.csv",
    ]
    ana = json.loads((out / "ana--ben" / "ana.json").read_text())
    assert set(ana) >= {"scales", "profile", "self_other"}
    for aggregates in ana["scales"].values():
        for aggregate in aggregates:
            assert set(aggregate) >= {"groups", "n", "mean"}
            assert aggregate["n"] >= 1
    labels = [a["label"] for a in ana["scales"]["aligning_people"]]
    assert labels == ["self", "manager", "peer", "others", "all_others"]
    with (out / "summary.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["ratee"] for r in rows] == ["ana", "ben"]
    assert [(r["html"], r["json"]) for r in rows] == [
        ("ana--ben/ana.html", "ana--ben/ana.json"),
        ("ana--ben/ben.html", "ana--ben/ben.json"),
    ]
    assert rows[1]["aligning_people_others_n"] == "1"  # Ben: only his manager can be shown


def test_score_warns_when_its_own_norms_are_small(tmp_path: Path) -> None:
    code, _stdout, err, _out = score(tmp_path)
    assert code == 0 and "the norms come from only 2 ratee(s)" in err
    norms = tmp_path / "norms.json"
    score(tmp_path, None, "--save-norms", str(norms))
    code, _stdout, err, _out = score(tmp_path, None, "--norms", str(norms))
    assert code == 0 and "Note:" not in err


def test_score_minimums_can_be_changed(tmp_path: Path) -> None:
    code, _stdout, _err, out = score(tmp_path, None, "--minimum", "peer=2", "--profile-cut", "3,3")
    assert code == 0
    ben = json.loads((out / "ana--ben" / "ben.json").read_text())
    assert [a["label"] for a in ben["scales"]["aligning_people"]] == [
        "self",
        "manager",
        "peer",
        "all_others",
    ]
    assert ben["profile"]["cut_basis"].startswith("absolute")
    code, _o, err, _ = score(tmp_path, None, "--minimum", "boss=2")
    assert code == 2 and "GROUP=N" in err


def test_score_html_is_escaped_and_self_contained(tmp_path: Path) -> None:
    doc = yaml.safe_load(SHIPPED.read_text())
    doc["rated"]["scales"][0]["name"]["en"] = "<script>alert(1)</script> Planning"
    instrument = tmp_path / "custom.yaml"
    instrument.write_text(yaml.safe_dump(doc))
    path = write_rows(tmp_path / "responses.csv", team_rows())
    code, _stdout, _err = run(
        "score", str(path), "--instrument", str(instrument), "--out", str(tmp_path / "out")
    )
    assert code == 0
    page = (tmp_path / "out" / "ana--ben" / "ana.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Planning" in page
    assert "http://" not in page and "https://" not in page and "<link" not in page


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        (["ana", "pia", "friend", "pb1", "3"], "row {row}, column 'group': unknown group 'friend'"),
        (["ana", "pia", "peer", "xx1", "3"], "row {row}, column 'item': item 'xx1' is not in"),
        (["ana", "pia", "peer", "pb1", "9"], "row {row}, column 'value': 9 is outside 1..5"),
    ],
)
def test_score_stops_at_the_bad_row(tmp_path: Path, bad: list[str], where: str) -> None:
    rows = team_rows()
    rows.insert(10, bad)
    code, _stdout, err, out = score(tmp_path, rows)
    assert code == 1
    assert f"{tmp_path / 'responses.csv'}, " + where.format(row=12) in err
    assert not out.exists()


def test_score_stops_at_a_duplicate_answer(tmp_path: Path) -> None:
    rows = team_rows()
    rows.append(list(rows[3]))
    code, _stdout, err, _out = score(tmp_path, rows)
    assert code == 1
    assert f"row {len(rows) + 1}, column 'item': the same rater answers this item" in err
    assert "in row 5 too" in err


def test_score_refuses_ratee_ids_that_are_not_file_names(tmp_path: Path) -> None:
    rows = [["../etc/x" if r[0] == "ben" else r[0], *r[1:]] for r in team_rows()]
    code, _stdout, err, _out = score(tmp_path, rows)
    assert code == 1 and "column 'ratee': '../etc/x' cannot be used as a file name" in err


def test_score_progress_timings_and_stored_norms(tmp_path: Path) -> None:
    norms = tmp_path / "norms.json"
    code, _stdout, err, out = score(
        tmp_path, None, "--progress", "--timings", "--save-norms", str(norms), "--jobs", "2"
    )
    assert code == 0
    assert "Reading responses" in err and '"score_s"' in err
    first = json.loads((out / "ana--ben" / "ana.json").read_text())
    code, _stdout, _err, out = score(tmp_path, None, "--norms", str(norms), "--jobs", "1")
    again = json.loads((out / "ana--ben" / "ana.json").read_text())
    # The same figures; only the sentences saying where the norms came from differ.
    assert "in the stored norms" in again["profile"]["cut_basis"]
    for report in (first, again):
        del report["profile"]["cut_basis"], report["self_other"]["reference"]["basis"]
    assert code == 0 and again == first


def test_spreadsheet_formulas_are_neutralised() -> None:
    assert guard_cell("=1+1") == "'=1+1"
    assert guard_cell("@SUM(A1)") == "'@SUM(A1)"
    assert guard_cell("+33") == "'+33"
    assert guard_cell(-2.5) == -2.5 and guard_cell("ana") == "ana"
    assert not safe_file_name("=cmd") and not safe_file_name(".hidden") and safe_file_name("e.1")


def test_version_and_help() -> None:
    code, out, _ = run("--help")
    assert code == 0 and "stats" in out and "score" in out


def test_stats_reads_decimals_gaps_and_blank_lines_like_the_precise_pass(tmp_path: Path) -> None:
    # pyarrow reads whole numbers as int8 and anything else as float64; "NA", "nan" and empty
    # cells are missing, and a blank line changes nothing.
    plain = tmp_path / "plain.csv"
    plain.write_text("J1,J2,J3\n1,2.5,3\n2,3,4\n4,4,5\n3,2,2\n")
    spaced = tmp_path / "spaced.csv"
    spaced.write_text("J1,J2,J3\n1, 2.5 ,3\n\n2,3,4\n4,4,5\n3,2,2\n")
    assert (
        run("stats", "icc", str(plain), "--json")[1]
        == run("stats", "icc", str(spaced), "--json")[1]
    )
    gaps = tmp_path / "gaps.csv"
    gaps.write_text("a,b,c\n1,2,3\n2,NA,4\n4,4,nan\n3,2,\n5,5,5\n")
    keys = tmp_path / "keys.csv"
    keys.write_text("scale,item\ns,a\ns,b\ns,-c\n")
    code, out, _ = run("stats", "alpha", str(gaps), "--keys", str(keys), "--json")
    assert code == 0
    items = json.loads(out)["scales"]["s"]["items"]
    assert [items[k]["n"] for k in "abc"] == [5, 4, 3]


@pytest.mark.parametrize(
    ("cell", "problem"),
    [("x", "'x' is not a number"), ("inf", "'inf' is not a finite number")],
)
def test_stats_names_the_line_of_a_bad_cell(tmp_path: Path, cell: str, problem: str) -> None:
    path = tmp_path / "data.csv"
    path.write_text(f"a,b,c\n1,2,3\n\n2,3,4\n4,{cell},5\n3,2,2\n")
    keys = tmp_path / "keys.csv"
    keys.write_text("scale,item\ns,a\ns,b\ns,c\n")
    code, _out, err = run("stats", "alpha", str(path), "--keys", str(keys))
    assert code == 1
    assert f"{path}, row 5, column 'b': {problem}" in err  # the blank line 3 counts


def test_stats_refuses_a_short_row_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("J1,J2\n1,2\n3\n")
    code, _out, err = run("stats", "icc", str(path))
    assert code == 1 and f"{path}, row 3: expected 2 columns, found 1" in err


def test_score_reads_a_file_the_fast_pass_leaves_to_the_precise_one(tmp_path: Path) -> None:
    # A blank line and quoted fields: the precise pass reads it, with the same result.
    rows = team_rows()
    code, _stdout, _err, out = score(tmp_path, rows)
    first = (out / "ana--ben" / "ana.json").read_text()
    odd = tmp_path / "odd"
    odd.mkdir()
    path = odd / "responses.csv"
    lines = ["ratee,rater,group,item,value"] + [",".join(f'"{v}"' for v in r) for r in rows]
    path.write_text("\n".join([*lines[:5], "", *lines[5:]]) + "\n")
    code, _stdout, _err = run(
        "score", str(path), "--instrument", "tandem-lm-1", "--out", str(odd / "out")
    )
    assert code == 0
    assert (odd / "out" / "ana--ben" / "ana.json").read_text() == first
