"""The careers docs carry every management command, task and bias-flag rule the code uses."""

from __future__ import annotations

from pathlib import Path

from tandem.careers import calibration, motivation

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "src/tandem/careers"
DOCS = (ROOT / "docs/careers-promotion.md").read_text()


def test_every_command_and_task_is_documented() -> None:
    commands = {p.stem for p in (APP / "management/commands").glob("*.py") if p.stem != "__init__"}
    assert commands
    missing = sorted(name for name in commands if name not in DOCS)
    assert not missing, f"document these commands in docs/careers-promotion.md: {missing}"
    assert "tandem.careers.tasks.quarter_reminders" in DOCS


def test_every_flag_rule_is_documented_with_its_numbers_and_source() -> None:
    for number in (
        f"{calibration.CONFIDENCE_GAP} points",
        f"p < {calibration.RATE_ALPHA}",
        f"{calibration.MIN_PROPOSALS} proposals",
        f"{calibration.MIN_REPORTS} direct reports",
        f"below {calibration.FOUR_FIFTHS}",
        f"under {calibration.SMALL_GROUP} people",
    ):
        assert number in DOCS, number
    for source in (
        "29 CFR 1607.4(D)",
        "44 FR 11996",
        "Fisher's exact test",
        "Holm (1979)",
        "Atwater & Yammarino",
    ):
        assert source in DOCS, source


def test_the_motivation_check_names_the_instrument_it_reads() -> None:
    assert f"`{motivation.INSTRUMENT}`" in DOCS
