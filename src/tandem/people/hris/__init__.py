"""The people import engine, becoming a package: the code moves out of ``reading`` next."""

from __future__ import annotations

import sys
import types

from tandem.people.hris import reading
from tandem.people.hris.reading import *  # noqa: F403


class _Package(types.ModuleType):
    """Setting a name on the package sets it in the module whose code reads it too."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in vars(reading):
            setattr(reading, name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
