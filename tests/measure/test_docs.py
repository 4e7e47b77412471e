"""The docs keep up: every public name, command and option appears in docs/measure.md."""

from __future__ import annotations

import inspect
from pathlib import Path

import click

import tandem.measure as measure
from tandem.measure.cli import main

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "measure.md").read_text()


def commands(group: click.Group, prefix: str = "tandem") -> list[tuple[str, click.Command]]:
    out = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # loads lazily registered commands too
        command = group.get_command(ctx, name)
        assert command is not None, name
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            out += commands(command, path)
        else:
            out.append((path, command))
    return out


def test_every_public_name_is_documented() -> None:
    missing = [name for name in measure.__all__ if f"`{name}" not in DOCS]
    assert missing == []


def test_every_command_and_option_is_documented() -> None:
    for path, command in commands(main):
        assert f"`{path}" in DOCS, path
        for param in command.params:
            for opt in [*param.opts, *param.secondary_opts]:
                if opt.startswith("--"):
                    assert opt in DOCS, f"{path} {opt}"


def test_every_public_function_has_an_example() -> None:
    for name in measure.__all__:
        obj = getattr(measure, name)
        if inspect.isfunction(obj):
            doc = inspect.getdoc(obj) or ""
            assert "Examples\n--------" in doc and ">>>" in doc, name
