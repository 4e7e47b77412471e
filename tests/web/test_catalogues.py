"""The shipped translation catalogues are complete, correct and up to date with the code.

Runs on the SQLite pass only: catalogues do not depend on the database.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
MAKEMESSAGES_IGNORE = ["tests/*", "bench/*", "staticfiles/*", "src/tandem/measure/*"]

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="catalogues do not depend on the database"
)


def catalogue(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / "django.po"


def statistics(po: Path) -> str:
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr.strip()


def untranslated(po: Path) -> list[tuple[str, list[str]]]:
    """Each untranslated or fuzzy message of a catalogue, with the files it comes from."""
    found = (
        subprocess.run(
            ["msgattrib", "--only-fuzzy", "--no-wrap", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        + subprocess.run(
            ["msgattrib", "--untranslated", "--no-wrap", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    entries = []
    for block in found.split("\n\n"):
        lines = block.strip().splitlines()
        msgid = next((line for line in lines if line.startswith("msgid ")), 'msgid ""')
        if msgid == 'msgid ""':
            continue  # the header
        files = [name for line in lines if line.startswith("#: ") for name in line[3:].split()]
        entries.append((msgid[6:], files))
    return entries


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_message_is_fuzzy_and_every_placeholder_is_kept(code: str) -> None:
    """msgfmt --check: a translation must use the same %(placeholders)s as its English."""
    found = statistics(catalogue(code))
    assert "fuzzy" not in found, f"{code}: {found}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_is_translated(code: str) -> None:
    missing = untranslated(catalogue(code))
    assert not missing, f"{code}: {len(missing)} not translated, first: {missing[:3]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_is_the_catalogue(tmp_path: Path, code: str) -> None:
    """The committed .mo (what Tandem reads) holds exactly what the .po says."""
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(catalogue(code))], check=True)
    shipped = catalogue(code).with_suffix(".mo")
    with shipped.open("rb") as committed, fresh.open("rb") as built:
        assert gettext.GNUTranslations(committed)._catalog == (  # type: ignore[attr-defined]
            gettext.GNUTranslations(built)._catalog  # type: ignore[attr-defined]
        ), f"{shipped} is stale: run `make messages`"


def test_makemessages_would_change_no_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = tmp_path / "locale"
    shutil.copytree(LOCALE, copied)
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[copied]):
        call_command(
            "makemessages",
            locale=TRANSLATED,
            no_obsolete=True,
            add_location="file",
            ignore_patterns=MAKEMESSAGES_IGNORE,
            verbosity=0,
        )
    for code in TRANSLATED:
        before = without_creation_date(catalogue(code).read_text("utf-8"))
        after = without_creation_date((copied / code / "LC_MESSAGES" / "django.po").read_text())
        assert after == before, f"{code}: the code's strings changed: run `make messages`"


def without_creation_date(po: str) -> str:
    return re.sub(r'"POT-Creation-Date: [^"]*"\n', "", po)


def test_the_domain_words_are_translated_the_same_way_everywhere() -> None:
    """The glossary in docs/translating.md: a msgid naming a domain word gets its term."""
    terms = {
        "es": {"Calibration": "calibración", "Track": "trayectoria", "Cycles": "ciclos"},
        "de": {"Calibration": "kalibrierung", "Track": "laufbahn", "Cycles": "zykl"},
        "ar": {"Calibration": "معايرة", "Track": "مسار", "Cycles": "دور"},
    }
    for code, glossary in terms.items():
        with catalogue(code).with_suffix(".mo").open("rb") as mo:
            entries = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
        checked = 0
        for msgid, term in glossary.items():
            if msgid in entries:
                assert term in entries[msgid].lower(), (code, msgid, entries[msgid])
                checked += 1
        assert checked, f"{code}: none of the glossary's words is a message of its own"
