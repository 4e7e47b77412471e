"""Tandem's settings with the bench's URLs added (only for bench_web; never deployed)."""

from tandem.web.settings import *  # noqa: F403

ROOT_URLCONF = "bench.web.urls"
