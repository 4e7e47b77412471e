"""Tandem's own library actions and habit sets, for every growth test.

The data migration installs them, but transactional tests elsewhere (the browser tests) flush
every table, so each test installs them again; the install is idempotent.
"""

from __future__ import annotations

import pytest

from tandem.growth.services import growth_defaults_install


@pytest.fixture(autouse=True)
def growth_defaults(db: None) -> None:
    growth_defaults_install()
