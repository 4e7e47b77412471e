"""Every form in Tandem, sent odd values, answers with a page or a clear refusal, never a 500.

For each page of the access matrix that shows a form, the person who may use it fetches it,
the fields are read from the HTML, and hypothesis sends values people (and attackers) really
type: empty, spaces, Unicode digits such as "²", huge numbers, long text, deep YAML, template
and script syntax, impossible dates.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access.statuses import OK
from tests.access.test_matrix import PAGES, ROLES, client_for
from tests.conftest import Personas

ODD = [
    "",
    " ",
    "0",
    "-1",
    "²",
    "٣",
    "1e309",
    "NaN",
    "9" * 40,
    "1.5",
    "2026-02-30",
    "<script>alert(1)</script>",
    "{{ 7*7 }}{% now %}",
    "[" * 300 + "]" * 300,
    "a: &a [1, 2]\nb: [*a, *a]",
    "\x00",
    "A" * 5000,
    "../../etc/passwd",
    "'; DROP TABLE people; --",
    "on",
]
values = st.sampled_from(ODD) | st.text(max_size=40)


class _Forms(HTMLParser):
    """The posting forms of a page: their action and field names (files left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append((a.get("action") or "", []))
            self._inside = True
        elif (
            self._inside
            and tag in ("input", "select", "textarea")
            and a.get("name")
            and a.get("type") not in ("file", "submit")
            and a["name"] != "csrfmiddlewaretoken"
        ):
            self.forms[-1][1].append(str(a["name"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


def _user_of(page: str) -> str | None:
    method, _url, expected = PAGES[page]
    if method != "get":
        return None
    for role in ("admin", "hr", "manager", "employee"):
        if expected[ROLES.index(role)] == OK:
            return role
    return None


FORM_PAGES = sorted(p for p in PAGES if _user_of(p))


_URLS: dict[tuple[int, str], str] = {}


def _forms_of(personas: Personas, page: str) -> tuple[Any, str, list[tuple[str, list[str]]]]:
    role = _user_of(page)
    assert role is not None
    client = client_for(role, personas)
    # The page's URL is built once per test: building it may create things (a request, say).
    key = (id(personas), page)
    if key not in _URLS:
        _URLS[key] = PAGES[page][1](personas)
    url = _URLS[key]
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return client, url, []
    parser = _Forms()
    parser.feed(response.content.decode())
    return client, url, [(a, list(dict.fromkeys(f))) for a, f in parser.forms]


@pytest.mark.parametrize("page", FORM_PAGES)
def test_each_odd_value_in_every_field_never_causes_a_server_error(
    personas: Personas, page: str
) -> None:
    client, url, forms = _forms_of(personas, page)
    for action, fields in forms:
        for value in ODD:
            sent = client.post(action or url, dict.fromkeys(fields, value))
            assert sent.status_code < 500, (page, action, value)


@pytest.mark.parametrize("page", FORM_PAGES)
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(typed=st.lists(values, min_size=40, max_size=40))
def test_random_values_never_cause_a_server_error(
    personas: Personas, page: str, typed: list[str]
) -> None:
    client, url, forms = _forms_of(personas, page)
    for action, fields in forms:
        post = {name: typed[k % len(typed)] for k, name in enumerate(fields)}
        sent = client.post(action or url, post)
        assert sent.status_code < 500, (page, action, post)
