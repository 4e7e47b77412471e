"""Every vision setting and management command is documented in docs/vision.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "src/tandem/vision"


def test_every_vision_setting_and_command_is_in_the_docs() -> None:
    docs = (ROOT / "docs/vision.md").read_text()
    source = "\n".join(p.read_text() for p in APP.rglob("*.py"))
    settings = set(re.findall(r'getattr\(settings, "([A-Z_]+)"', source))
    commands = {p.stem for p in (APP / "management/commands").glob("*.py") if p.stem != "__init__"}
    assert settings and commands, "the scan found nothing: the pattern is broken"
    missing = sorted(name for name in settings | commands if f"`{name}`" not in docs)
    assert not missing, f"document these in docs/vision.md: {missing}"
