"""Property: whatever a framework says, writing it as YAML and reading it back gives it again."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.careers.frameworkfile import (
    FrameworkSpec,
    LevelSpec,
    ThemeSpec,
    TrackSpec,
    framework_parse,
    framework_yaml,
)

# Stored text is always stripped (the reader strips it), so generate stripped, non-empty text;
# include the characters most likely to upset YAML: quotes, colons, hashes, dashes, newlines.
_alphabet = st.characters(
    codec="utf-8", categories=["L", "N", "P", "S", "Zs"], include_characters="\n:#-'\"&*!|>%@`"
)
text = st.text(_alphabet, min_size=1, max_size=40).map(str.strip).filter(bool)
key = st.from_regex(r"[a-z][a-z0-9_-]{0,10}", fullmatch=True)


@st.composite
def levels(draw: st.DrawFn) -> tuple[LevelSpec, ...]:
    count = draw(st.integers(min_value=1, max_value=3))
    result = []
    for number in range(1, count + 1):
        names = draw(st.lists(text, min_size=1, max_size=3, unique=True))
        themes = tuple(
            ThemeSpec(name=name, criteria=tuple(draw(st.lists(text, min_size=1, max_size=3))))
            for name in names
        )
        result.append(LevelSpec(number=number, title=draw(text), summary=draw(text), themes=themes))
    return tuple(result)


@st.composite
def frameworks(draw: st.DrawFn) -> FrameworkSpec:
    keys = draw(st.lists(key, min_size=1, max_size=3, unique=True))
    tracks = tuple(
        TrackSpec(
            key=k,
            name=draw(text),
            description=draw(st.one_of(st.just(""), text)),
            levels=draw(levels()),
        )
        for k in keys
    )
    return FrameworkSpec(name=draw(text), tracks=tracks)


@settings(max_examples=150, deadline=None)
@given(frameworks())
def test_yaml_round_trips_any_framework(spec: FrameworkSpec) -> None:
    assert framework_parse(framework_yaml(spec)) == spec
    assert framework_parse(framework_yaml(spec).encode("utf-8")) == spec
