"""Instruments as data: load and validate a versioned YAML instrument file.

An instrument has rated scales (items with first-person text for self and third-person text for
observers, reverse keys, a response scale with an explicit "not observed" answer), the scales
that form the leadership and management indices, and optional self-only parts: expected
ratings per scale ("how do you think others will rate you?"), self sections such as motivation
to manage and track interests, and open questions. Every error names the part at fault.

An instrument may come in several languages: it lists them (``languages: [en, es]``) and then
every text is a mapping with one text per language (``title: {en: ..., es: ...}``). An
:class:`Instrument` holds the texts of one language; ids, keys and scoring are the same in all
of them, so a rater's language never reaches the numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from tandem.measure._arrays import BoolArray, FloatArray
from tandem.measure.yamltext import load_yaml

__all__ = [
    "FORMAT",
    "Instrument",
    "InstrumentError",
    "Item",
    "OpenQuestion",
    "ResponseScale",
    "Scale",
    "SelfSection",
    "load_instrument",
    "parse_instrument",
    "shipped_instruments",
]

FORMAT = "tandem-instrument/1"
ROLES = ("management", "leadership")
INDICES = ("leadership", "management")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
DEFAULT_LANGUAGES = ("en",)
"""The language of an instrument that does not list its languages."""


class InstrumentError(ValueError):
    """A broken instrument file; the message names the file and the scale or item at fault."""


@dataclass(frozen=True)
class ResponseScale:
    """Answers ``minimum..maximum`` with a label each, and an optional "not observed" code."""

    id: str
    minimum: int
    maximum: int
    labels: tuple[str, ...]
    not_observed_code: int | None = None
    not_observed_label: str | None = None

    @property
    def points(self) -> int:
        """Number of answer options on the scale (A in rwg's null variance)."""
        return self.maximum - self.minimum + 1


@dataclass(frozen=True)
class Item:
    """One question. ``scale`` is the rated scale, subscale or (for estimates) target scale."""

    id: str
    scale: str
    self_text: str
    observer_text: str | None
    reverse: bool
    response_scale: str


@dataclass(frozen=True)
class Scale:
    """A scale (or a self-section subscale) and its items."""

    id: str
    name: str
    role: str | None
    description: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class SelfSection:
    """A self-only part of the instrument (e.g. motivation to manage), scored by subscale."""

    id: str
    name: str
    prompt: str
    response_scale: str
    subscales: tuple[Scale, ...]


@dataclass(frozen=True)
class OpenQuestion:
    """A free-text question; its answers are text and are never scored."""

    id: str
    self_text: str
    observer_text: str


@dataclass(frozen=True)
class Instrument:
    """A validated instrument. Build it with :func:`load_instrument` or :func:`parse_instrument`."""

    id: str
    version: int
    title: str
    description: str
    response_scales: tuple[ResponseScale, ...]
    rated_scale: str
    scales: tuple[Scale, ...]
    indices: tuple[tuple[str, tuple[str, ...]], ...]
    others_estimate: tuple[Item, ...]
    self_sections: tuple[SelfSection, ...]
    open_questions: tuple[OpenQuestion, ...]
    source: str
    language: str = DEFAULT_LANGUAGES[0]
    """The language of this object's texts."""
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    """Every language the file has texts in; the first is the one used when none is asked for."""

    @property
    def items(self) -> tuple[Item, ...]:
        """The rated items, scale by scale, in file order."""
        return tuple(item for scale in self.scales for item in scale.items)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Ids of the rated items, in the order of :attr:`items`."""
        return tuple(item.id for item in self.items)

    @property
    def scale_ids(self) -> tuple[str, ...]:
        """Ids of the rated scales, in file order."""
        return tuple(scale.id for scale in self.scales)

    @property
    def self_items(self) -> tuple[Item, ...]:
        """Self-only items: the others-estimate items, then every self-section item."""
        section_items = tuple(
            item
            for section in self.self_sections
            for sub in section.subscales
            for item in sub.items
        )
        return self.others_estimate + section_items

    @property
    def all_items(self) -> tuple[Item, ...]:
        """Every scored item: rated items first, then self-only items."""
        return self.items + self.self_items

    def response_scale(self, scale_id: str | None = None) -> ResponseScale:
        """The response scale with this id (default: the rated items' scale)."""
        wanted = self.rated_scale if scale_id is None else scale_id
        for rs in self.response_scales:
            if rs.id == wanted:
                return rs
        raise KeyError(wanted)

    def index(self, name: str) -> tuple[str, ...]:
        """The scale ids that form the named index (``"leadership"`` or ``"management"``)."""
        for key, scales in self.indices:
            if key == name:
                return scales
        raise KeyError(name)

    def reverse_mask(self) -> BoolArray:
        """One flag per rated item: is it reverse-keyed?"""
        return np.array([item.reverse for item in self.items], dtype=bool)

    def scale_matrix(self) -> FloatArray:
        """Membership matrix, shape (n_items, n_scales): 1.0 where an item belongs to a scale."""
        matrix = np.zeros((len(self.items), len(self.scales)))
        position = {scale.id: j for j, scale in enumerate(self.scales)}
        for i, item in enumerate(self.items):
            matrix[i, position[item.scale]] = 1.0
        return matrix


class _Reader:
    """Walks the parsed YAML, keeping the path for error messages, and picks each text's
    version in one language."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.languages: tuple[str, ...] = DEFAULT_LANGUAGES
        self.language = DEFAULT_LANGUAGES[0]

    def fail(self, where: str, message: str) -> InstrumentError:
        return InstrumentError(f"{self.source}: {where}: {message}")

    def mapping(self, value: Any, where: str, *, allowed: Sequence[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"expected a mapping of keys ({', '.join(allowed)})")
        unknown = [str(k) for k in value if k not in allowed]
        if unknown:
            raise self.fail(
                where, f"unknown key {unknown[0]!r} (expected one of: {', '.join(allowed)})"
            )
        return value

    def sequence(self, value: Any, where: str, *, min_len: int = 1) -> list[Any]:
        if not isinstance(value, list) or len(value) < min_len:
            raise self.fail(where, f"expected a list of at least {min_len} entries")
        return value

    def text(self, value: Any, where: str) -> str:
        if len(self.languages) > 1 or isinstance(value, Mapping):
            value = self._in_language(value, where)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "expected non-empty text")
        return value.strip()

    def _in_language(self, value: Any, where: str) -> Any:
        wanted = ", ".join(self.languages)
        if not isinstance(value, Mapping):
            raise self.fail(where, f"expected one text for each language ({wanted})")
        missing = [code for code in self.languages if code not in value]
        if missing:
            raise self.fail(where, f"has no {missing[0]!r} text (every text needs: {wanted})")
        unknown = [str(code) for code in value if code not in self.languages]
        if unknown:
            raise self.fail(where, f"{unknown[0]!r} is not one of the languages listed ({wanted})")
        return value[self.language]

    def ident(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            raise self.fail(
                where,
                f"{value!r} is not a valid id (a letter, then letters, digits, '_', '.' or '-')",
            )
        return value

    def integer(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"expected a whole number; got {value!r}")
        return value


def _response_scale(r: _Reader, sid: str, raw: Any) -> ResponseScale:
    where = f"response scale {sid!r}"
    m = r.mapping(raw, where, allowed=("min", "max", "labels", "not_observed"))
    if "min" not in m or "max" not in m:
        raise r.fail(where, "needs 'min' and 'max'")
    lo, hi = r.integer(m["min"], f"{where}, min"), r.integer(m["max"], f"{where}, max")
    if hi <= lo:
        raise r.fail(where, f"max ({hi}) must be greater than min ({lo})")
    if hi - lo > 100:
        raise r.fail(where, "has more than 101 answer options")
    labels_raw = m.get("labels")
    if not isinstance(labels_raw, Mapping):
        raise r.fail(where, f"needs 'labels', one for each answer {lo}..{hi}")
    if sorted(labels_raw) != list(range(lo, hi + 1)):
        raise r.fail(where, f"labels must cover exactly the answers {lo}..{hi}")
    labels = tuple(r.text(labels_raw[v], f"{where}, label {v}") for v in range(lo, hi + 1))
    code: int | None = None
    label: str | None = None
    if "not_observed" in m:
        no = r.mapping(m["not_observed"], f"{where}, not_observed", allowed=("code", "label"))
        code = r.integer(no.get("code"), f"{where}, not_observed code")
        label = r.text(no.get("label"), f"{where}, not_observed label")
        if lo <= code <= hi:
            raise r.fail(where, f"the not-observed code {code} must lie outside {lo}..{hi}")
    return ResponseScale(sid, lo, hi, labels, code, label)


def _items(
    r: _Reader, raw: Any, where: str, *, scale: str | None, response: str, observer: bool
) -> tuple[Item, ...]:
    allowed = ("id", "self", "observer", "reverse") if observer else ("id", "self", "reverse")
    if scale is None:
        allowed = (*allowed, "scale")
    items = []
    for n, entry in enumerate(
        r.sequence(raw, f"{where}, items", min_len=1 if scale is None else 2)
    ):
        iwhere = f"{where}, item {n + 1}"
        m = r.mapping(entry, iwhere, allowed=allowed)
        iid = r.ident(m.get("id"), f"{iwhere}, id")
        iwhere = f"{where}, item {iid!r}"
        self_text = r.text(m.get("self"), f"{iwhere}, 'self' text")
        observer_text = (
            r.text(m.get("observer"), f"{iwhere}, 'observer' text") if observer else None
        )
        reverse = m.get("reverse", False)
        if not isinstance(reverse, bool):
            raise r.fail(iwhere, f"'reverse' must be true or false; got {reverse!r}")
        target = scale if scale is not None else r.ident(m.get("scale"), f"{iwhere}, scale")
        items.append(Item(iid, target, self_text, observer_text, reverse, response))
    return tuple(items)


def _scale(r: _Reader, raw: Any, where: str, *, response: str, rated: bool) -> Scale:
    allowed = ("id", "name", "role", "description", "items") if rated else ("id", "name", "items")
    m = r.mapping(raw, where, allowed=allowed)
    sid = r.ident(m.get("id"), f"{where}, id")
    where = f"{where.rsplit(' ', 1)[0]} {sid!r}"
    role = m.get("role")
    if role is not None and role not in ROLES:
        raise r.fail(where, f"role must be one of {', '.join(ROLES)}; got {role!r}")
    description = r.text(m["description"], f"{where}, description") if "description" in m else ""
    return Scale(
        id=sid,
        name=r.text(m.get("name"), f"{where}, name"),
        role=role,
        description=description,
        items=_items(r, m.get("items"), where, scale=sid, response=response, observer=rated),
    )


def parse_instrument(
    data: Any, *, source: str = "<instrument>", language: str | None = None
) -> Instrument:
    """Validate a parsed instrument document and build an :class:`Instrument`.

    Parameters
    ----------
    data : mapping
        The document, as read from YAML or JSON.
    source : str
        Where it came from, used at the start of every error message.
    language : str, optional
        Whose texts to keep, one of the document's ``languages``; by default the first. Every
        language's texts are checked whichever is kept.

    Returns
    -------
    Instrument

    Raises
    ------
    InstrumentError
        A ``ValueError`` naming the file and the scale, item or key at fault.

    Examples
    --------
    >>> doc = {
    ...     "format": "tandem-instrument/1", "id": "mini", "version": 1, "title": "Mini",
    ...     "response_scales": {"f": {"min": 1, "max": 3, "labels": {1: "Never", 2: "Sometimes",
    ...                         3: "Often"}, "not_observed": {"code": 0, "label": "Not seen"}}},
    ...     "rated": {"response_scale": "f", "scales": [{"id": "plan", "name": "Planning",
    ...         "items": [{"id": "p1", "self": "I plan.", "observer": "They plan."},
    ...                   {"id": "p2", "self": "I budget.", "observer": "They budget."}]}]},
    ... }
    >>> parse_instrument(doc).item_ids
    ('p1', 'p2')
    >>> doc["rated"]["scales"][0]["items"][1]["reverse"] = "yes"
    >>> try:
    ...     parse_instrument(doc, source="mini.yaml")
    ... except ValueError as error:
    ...     print(error)
    mini.yaml: scale 'plan', item 'p2': 'reverse' must be true or false; got 'yes'

    In two languages, each text is a mapping and one language is kept:

    >>> doc["rated"]["scales"][0]["items"][1]["reverse"] = False
    >>> doc["languages"] = ["en", "es"]
    >>> parse_instrument(doc, source="mini.yaml")
    Traceback (most recent call last):
    ...
    tandem.measure.instrument.InstrumentError: mini.yaml: title: expected one text for each language (en, es)
    """
    kept = _parse_one(data, source=source, language=language)
    # Every other language is read too, so a text missing in any of them is found whichever
    # language was asked for.
    for other in kept.languages:
        if other != kept.language:
            _parse_one(data, source=source, language=other)
    return kept


def _parse_one(data: Any, *, source: str, language: str | None) -> Instrument:
    r = _Reader(source)
    top = r.mapping(
        data,
        "top level",
        allowed=(
            "format", "id", "version", "languages", "title", "description", "response_scales",
            "rated", "indices", "others_estimate", "self_sections", "open_questions",
        ),
    )  # fmt: skip
    r.languages = _languages(r, top.get("languages", list(DEFAULT_LANGUAGES)))
    if language is not None and language not in r.languages:
        raise r.fail("languages", f"has no {language!r} texts (it has: {', '.join(r.languages)})")
    r.language = language or r.languages[0]
    if top.get("format") != FORMAT:
        raise r.fail("format", f"expected {FORMAT!r}; got {top.get('format')!r}")
    iid = r.ident(top.get("id"), "id")
    version = r.integer(top.get("version"), "version")
    if version < 1:
        raise r.fail("version", "must be 1 or more")
    title = r.text(top.get("title"), "title")
    description = r.text(top["description"], "description") if "description" in top else ""

    rs_raw = top.get("response_scales")
    if not isinstance(rs_raw, Mapping) or not rs_raw:
        raise r.fail("response_scales", "expected a mapping of named response scales")
    response_scales = tuple(
        _response_scale(r, r.ident(k, "response_scales"), v) for k, v in rs_raw.items()
    )
    known_rs = {rs.id: rs for rs in response_scales}

    def response_ref(value: Any, where: str) -> str:
        if value not in known_rs:
            raise r.fail(where, f"unknown response scale {value!r} (known: {', '.join(known_rs)})")
        return str(value)

    rated = r.mapping(top.get("rated"), "rated", allowed=("response_scale", "prompt", "scales"))
    rated_rs = response_ref(rated.get("response_scale"), "rated, response_scale")
    if known_rs[rated_rs].not_observed_code is None:
        raise r.fail(f"response scale {rated_rs!r}", "rated items need a 'not_observed' answer")
    scales = tuple(
        _scale(r, s, f"scale {n + 1}", response=rated_rs, rated=True)
        for n, s in enumerate(r.sequence(rated.get("scales"), "rated, scales"))
    )
    scale_ids = [s.id for s in scales]
    _unique(r, scale_ids, "scale")

    indices: list[tuple[str, tuple[str, ...]]] = []
    if "indices" in top:
        idx = r.mapping(top["indices"], "indices", allowed=INDICES)
        seen: dict[str, str] = {}
        for name in INDICES:
            if name not in idx:
                raise r.fail("indices", f"needs a {name!r} list of scales")
            members = r.sequence(idx[name], f"indices, {name}")
            for sid in members:
                if sid not in scale_ids:
                    raise r.fail(f"indices, {name}", f"unknown scale {sid!r}")
                if sid in seen:
                    raise r.fail(f"indices, {name}", f"scale {sid!r} is already in {seen[sid]!r}")
                seen[sid] = name
            indices.append((name, tuple(str(s) for s in members)))

    estimates: tuple[Item, ...] = ()
    if "others_estimate" in top:
        est = r.mapping(
            top["others_estimate"], "others_estimate", allowed=("response_scale", "prompt", "items")
        )
        est_rs = response_ref(est.get("response_scale"), "others_estimate, response_scale")
        estimates = _items(
            r, est.get("items"), "others_estimate", scale=None, response=est_rs, observer=False
        )
        for item in estimates:
            if item.scale not in scale_ids:
                raise r.fail(f"others_estimate, item {item.id!r}", f"unknown scale {item.scale!r}")
        _unique(r, [i.scale for i in estimates], "others_estimate scale")

    sections: list[SelfSection] = []
    for n, raw_section in enumerate(
        r.sequence(top.get("self_sections", []), "self_sections", min_len=0)
    ):
        where = f"self section {n + 1}"
        m = r.mapping(
            raw_section, where, allowed=("id", "name", "prompt", "response_scale", "subscales")
        )
        sid = r.ident(m.get("id"), f"{where}, id")
        where = f"self section {sid!r}"
        srs = response_ref(m.get("response_scale"), f"{where}, response_scale")
        subs = tuple(
            _scale(r, sub, f"{where}, subscale {k + 1}", response=srs, rated=False)
            for k, sub in enumerate(r.sequence(m.get("subscales"), f"{where}, subscales"))
        )
        _unique(r, [s.id for s in subs], f"{where}: subscale")
        prompt = r.text(m["prompt"], f"{where}, prompt") if "prompt" in m else ""
        sections.append(
            SelfSection(sid, r.text(m.get("name"), f"{where}, name"), prompt, srs, subs)
        )
    _unique(r, [s.id for s in sections], "self section")

    questions = []
    for n, raw_q in enumerate(
        r.sequence(top.get("open_questions", []), "open_questions", min_len=0)
    ):
        m = r.mapping(raw_q, f"open question {n + 1}", allowed=("id", "self", "observer"))
        qid = r.ident(m.get("id"), f"open question {n + 1}, id")
        questions.append(
            OpenQuestion(
                qid,
                r.text(m.get("self"), f"open question {qid!r}, 'self' text"),
                r.text(m.get("observer"), f"open question {qid!r}, 'observer' text"),
            )
        )
    if len(questions) > 3:
        raise r.fail("open_questions", "at most 3 open questions keep a survey short")

    instrument = Instrument(
        id=iid,
        version=version,
        title=title,
        description=description,
        response_scales=response_scales,
        rated_scale=rated_rs,
        scales=scales,
        indices=tuple(indices),
        others_estimate=estimates,
        self_sections=tuple(sections),
        open_questions=tuple(questions),
        source=source,
        language=r.language,
        languages=r.languages,
    )
    _unique(r, [i.id for i in instrument.all_items] + [q.id for q in questions], "item")
    return instrument


def _languages(r: _Reader, raw: Any) -> tuple[str, ...]:
    codes = r.sequence(raw, "languages")
    for code in codes:
        if not isinstance(code, str) or not _LANGUAGE.match(code):
            raise r.fail(
                "languages", f"{code!r} is not a language code (such as 'en', 'es' or 'pt-br')"
            )
    _unique(r, codes, "language")
    return tuple(codes)


def _unique(r: _Reader, ids: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise r.fail(f"{what} {value!r}", "appears more than once; ids must be unique")
        seen.add(value)


def shipped_instruments() -> tuple[str, ...]:
    """Names of the instruments shipped with Tandem (file names without ``.yaml``).

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> "tandem-lm-1" in shipped_instruments()
    True
    """
    folder = resources.files("tandem.instruments")
    return tuple(
        sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


def load_instrument(path_or_name: str | Path, *, language: str | None = None) -> Instrument:
    """Load and validate an instrument from a YAML file, or a shipped one by name.

    Parameters
    ----------
    path_or_name : str or Path
        A path to a ``.yaml`` file, or the name of a shipped instrument such as
        ``"tandem-lm-1"``.
    language : str, optional
        Whose texts to keep (see :func:`parse_instrument`).

    Returns
    -------
    Instrument

    Raises
    ------
    InstrumentError
        When the file is missing, is not valid YAML, or breaks a rule; the message names the
        file and the scale or item at fault.

    Examples
    --------
    >>> instrument = load_instrument("tandem-lm-1")
    >>> instrument.id, instrument.version, len(instrument.scales)
    ('tandem-lm', 1, 6)
    >>> instrument.index("leadership")
    ('setting_direction', 'aligning_people', 'motivating_inspiring')
    """
    path = Path(path_or_name)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        source = str(path)
    elif isinstance(path_or_name, str) and path_or_name in shipped_instruments():
        resource = resources.files("tandem.instruments") / f"{path_or_name}.yaml"
        text = resource.read_text(encoding="utf-8")
        source = f"{path_or_name}.yaml"
    else:
        shipped = ", ".join(shipped_instruments())
        raise InstrumentError(
            f"{path_or_name}: no such instrument file (shipped instruments: {shipped})"
        )
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise InstrumentError(f"{source}: not valid YAML: {exc}") from None
    return parse_instrument(data, source=source, language=language)
