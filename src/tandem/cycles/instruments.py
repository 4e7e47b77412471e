"""Questionnaires an organisation can use: a copy of the shipped instrument, or its own edit.

An instrument version is YAML text in the ``tandem-instrument/1`` format, validated by
:func:`tandem.measure.parse_instrument`. A version used by a launched cycle never changes:
edits are refused with a suggestion to make a copy.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from tandem.audit.services import acting_user, audit_record
from tandem.cycles.models import InstrumentVersion
from tandem.measure import Instrument, InstrumentError, parse_instrument
from tandem.measure.yamltext import load_yaml
from tandem.people.models import Organisation

SHIPPED_NAME = "tandem-lm-1"


class InstrumentLocked(ValueError):
    """The version is used by a launched cycle and cannot change."""


def shipped_text(name: str = SHIPPED_NAME) -> str:
    return resources.files("tandem.instruments").joinpath(f"{name}.yaml").read_text("utf-8")


def parse_text(
    text: str, *, source: str = "the instrument", language: str | None = None
) -> Instrument:
    """Validate YAML text as an instrument; every problem is an :class:`InstrumentError`."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or gettext("it is not valid YAML")
        if mark:
            message = gettext("%(source)s at line %(line)s, column %(column)s: %(problem)s") % {
                "source": source,
                "line": mark.line + 1,
                "column": mark.column + 1,
                "problem": problem,
            }
        else:
            message = f"{source}: {problem}"
        raise InstrumentError(message) from exc
    return parse_instrument(data, source=source, language=language)


@lru_cache(maxsize=64)
def _parsed(pk: int, text: str, language: str | None) -> Instrument:
    return parse_text(text, language=language)


def instrument_of(version: InstrumentVersion, language: str | None = None) -> Instrument:
    """The parsed instrument of a stored version (cached by id, text and language), with its
    texts in the language closest to ``language`` (an interface language such as ``"en-gb"``;
    by default the active one, the reader's), else in the version's first language. The
    language changes texts only: ids, and so every score, are the same in all of them."""
    return _in_closest_language(lambda lang: _version_parsed(version, lang), language)


def _version_parsed(version: InstrumentVersion, language: str | None) -> Instrument:
    """A version read without its text (the pages raters open defer it: it is tens of
    kilobytes) is parsed once per id and save time, its text read then."""
    if "text" in version.get_deferred_fields():
        return _parsed_saved(version.pk, version.updated_at, language)
    return _parsed(version.pk, version.text, language)


def instrument_saved(pk: int, updated_at: datetime, language: str | None = None) -> Instrument:
    """:func:`instrument_of` for a version known only by its id and last change (read without
    its text): parsed once per id, change and language."""
    return _in_closest_language(lambda lang: _parsed_saved(pk, updated_at, lang), language)


@lru_cache(maxsize=64)
def _parsed_saved(pk: int, updated_at: datetime, language: str | None) -> Instrument:
    text = InstrumentVersion.objects.filter(pk=pk).values_list("text", flat=True).get()
    return parse_text(text, language=language)


@lru_cache(maxsize=16)
def _shipped(name: str, language: str | None) -> Instrument:
    return parse_text(shipped_text(name), source=f"{name}.yaml", language=language)


def shipped_instrument(name: str = SHIPPED_NAME, language: str | None = None) -> Instrument:
    """One of Tandem's own instruments, in the language closest to ``language`` (by default
    the active one)."""
    return _in_closest_language(lambda lang: _shipped(name, lang), language)


def _in_closest_language(
    parsed: Callable[[str | None], Instrument], language: str | None
) -> Instrument:
    """``parsed(None)`` (the instrument in its first language) or, when ``language`` (by
    default the active one) is closer to another of its languages, ``parsed`` of that one."""
    first = parsed(None)
    closest = closest_language(first.languages, language or translation.get_language())
    return first if closest == first.language else parsed(closest)


def closest_language(available: tuple[str, ...], wanted: str | None) -> str:
    """The instrument language for an interface language: the same code, else the same
    language without its region (``en-gb`` reads ``en``), else the instrument's first."""
    if wanted:
        wanted = wanted.lower()
        for candidate in (wanted, wanted.split("-")[0]):
            if candidate in available:
                return candidate
        for code in available:
            if code.split("-")[0] == wanted.split("-")[0]:
                return code
    return available[0]


@transaction.atomic
def instrument_default_install(*, organisation: Organisation, actor: Any) -> InstrumentVersion:
    """The organisation's copy of Tandem's own instrument (created once)."""
    existing = InstrumentVersion.objects.filter(
        organisation=organisation, copied_from=None, name=_shipped_title()
    ).first()
    if existing is not None:
        return existing
    version = InstrumentVersion.objects.create(
        organisation=organisation,
        name=_shipped_title(),
        text=shipped_text(),
        created_by=acting_user(actor),
    )
    audit_record(
        organisation=organisation,
        actor=actor,
        action="instrument.install",
        target=version,
        changes={"name": (None, version.name)},
    )
    return version


def _shipped_title() -> str:
    instrument = parse_text(shipped_text())
    return f"{instrument.title} (version {instrument.version})"


@transaction.atomic
def instrument_copy(*, version: InstrumentVersion, name: str, actor: Any) -> InstrumentVersion:
    copy = InstrumentVersion.objects.create(
        organisation=version.organisation,
        name=name.strip() or gettext("Copy of %(name)s") % {"name": version.name},
        text=version.text,
        copied_from=version,
        created_by=acting_user(actor),
    )
    audit_record(
        organisation=version.organisation,
        actor=actor,
        action="instrument.copy",
        target=copy,
        changes={"copied_from": (None, version.name), "name": (None, copy.name)},
    )
    return copy


@transaction.atomic
def instrument_update(
    *, version: InstrumentVersion, name: str, text: str, actor: Any
) -> InstrumentVersion:
    """Change an unlocked version. Raises InstrumentLocked or InstrumentError; nothing changes then."""
    locked = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if locked.is_locked:
        raise InstrumentLocked(
            gettext(
                "“%(name)s” is used by a launched cycle, so it cannot change. "
                "Make a copy and edit the copy."
            )
            % {"name": locked.name}
        )
    parse_text(text, source=f"“{name or locked.name}”")
    old_name = locked.name
    locked.name = name.strip() or locked.name
    locked.text = text
    locked.save(update_fields=["name", "text", "updated_at"])
    audit_record(
        organisation=locked.organisation,
        actor=actor,
        action="instrument.update",
        target=locked,
        changes={"name": (old_name, locked.name), "text": ("(previous text)", "(new text)")},
    )
    return locked
