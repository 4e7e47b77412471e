"""Every setting Tandem reads from the environment is documented, and production is locked down."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_setting_is_documented() -> None:
    settings_source = (ROOT / "src/tandem/web/settings.py").read_text()
    names = set(re.findall(r'env(?:bool|int|list|secret)?\(\s*"([A-Z_]+)"', settings_source))
    names |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', settings_source))
    docs = (ROOT / "docs/settings.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in docs)
    assert names, "the settings scan found nothing: the pattern is broken"
    assert not missing, f"document these settings in docs/settings.md: {missing}"


def test_every_make_target_is_in_the_readme() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = re.findall(r"^([a-z-]+):.*## ", makefile, flags=re.M)
    readme = (ROOT / "README.md").read_text()
    missing = [t for t in targets if f"make {t}" not in readme]
    assert targets and not missing, f"document these make targets in README.md: {missing}"


def test_production_settings_pass_the_deployment_checks() -> None:
    # The browser tests' async-unsafe switch must never reach a deployment.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **env,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-test-only-secret-key-that-is-long-and-random-enough-9f8e7d6c5b4a3210",
        "ALLOWED_HOSTS": "tandem.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECRET_KEY")}
    env.update({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "tandem.example.org"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_pages_carry_a_content_security_policy(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert "default-src 'self'" in response["Content-Security-Policy"]
