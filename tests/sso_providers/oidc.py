"""Start the OpenID Connect provider (``oidc_provider.mjs``, Node) and sign in at it.

provider = OidcProvider.start()
provider.discovery_url   # http://127.0.0.1:<port>/.well-known/openid-configuration
callback = provider.sign_in(authorize_url, "ada@example.org")   # ...?code=...&state=...
provider.stop()
"""

from __future__ import annotations

import html
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO
from urllib.parse import urljoin, urlsplit

import requests

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "oidc_provider.mjs"
PACKAGE = HERE / "node_modules" / "oidc-provider"
START_TIMEOUT = 20  # seconds


class OidcProvider:
    """A running ``oidc_provider.mjs`` with one confidential client for Tandem."""

    client_id = "tandem-test"
    client_secret = "tandem-test-client-secret"

    def __init__(self, process: subprocess.Popen[str], issuer: str, log: IO[str]) -> None:
        self.process = process
        self.log = log  # the provider's stderr
        self.issuer = issuer  # http://127.0.0.1:<port>, no trailing slash
        self.discovery_url = f"{issuer}/.well-known/openid-configuration"

    @classmethod
    def start(cls) -> OidcProvider:
        """Start the provider on a free port and wait for its ``listening <issuer>`` line."""
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("Node.js is missing: the OpenID Connect test provider needs `node`")
        if not PACKAGE.exists():
            raise RuntimeError(
                f"{PACKAGE} is missing: run `make sso-providers` "
                "(npm ci --prefix tests/sso_providers) once"
            )
        env = {
            **os.environ,
            "PORT": "0",
            "CLIENT_ID": cls.client_id,
            "CLIENT_SECRET": cls.client_secret,
        }
        # The provider's warnings go to a file: shown if it fails to start, out of the way else.
        log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed in stop())
        process = subprocess.Popen(
            [node, str(SCRIPT)], cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=log, text=True
        )
        line = _read_line(process, START_TIMEOUT)
        if not line.startswith("listening "):
            process.kill()
            process.wait()
            log.seek(0)
            raise RuntimeError(
                f"The OpenID Connect test provider did not start within {START_TIMEOUT} s "
                f"(exit code {process.returncode}). Its output:\n{line}{log.read()}"
            )
        return cls(process, line.split(" ", 1)[1].strip(), log)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self.log.close()

    def sign_in(self, authorize_url: str, email: str) -> str:
        """Do what a person's browser does at the provider, without JavaScript.

        Opens ``authorize_url`` (the provider's /auth URL the app redirected to), fills the login
        form with ``email`` (any password is accepted) and follows the provider's redirects until
        one leaves the provider. Returns that URL — the app's callback with ``code`` and
        ``state`` — without fetching it, so the test can hand it to the Django test client.
        """
        session = requests.Session()
        response = session.get(authorize_url, allow_redirects=False, timeout=10)
        for _ in range(10):  # a handful of hops is all a sign-in takes
            if response.is_redirect:
                url = urljoin(response.url, response.headers["Location"])
                if not _same_origin(url, self.issuer):
                    return url
                response = session.get(url, allow_redirects=False, timeout=10)
            elif response.status_code == 200 and 'name="login"' in response.text:
                action = re.search(r'<form[^>]*action="([^"]+)"', response.text)
                assert action, "the provider's login page has no form"
                response = session.post(
                    urljoin(response.url, html.unescape(action.group(1))),
                    data={"prompt": "login", "login": email, "password": "any password"},
                    allow_redirects=False,
                    timeout=10,
                )
            else:
                raise AssertionError(
                    f"Unexpected answer from the provider at {response.url}: "
                    f"{response.status_code}\n{response.text[:2000]}"
                )
        raise AssertionError("The provider kept redirecting to itself")


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The first line the process prints, or "" if it prints nothing within ``timeout``."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.1)
        if ready:
            return process.stdout.readline()  # "" when the process exited
        if process.poll() is not None:
            return ""
    return ""


def _same_origin(url: str, other: str) -> bool:
    a, b = urlsplit(url), urlsplit(other)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)
