"""Signing people in and out in the browser, the way a person does it: through the pages.

Both wait until the next page has arrived, so a test never navigates away from a sign-in or
sign-out that the server has not finished.
"""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url + reverse("accounts:login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def pick(page: Page, label: str, name: str) -> None:
    """Choose ``name`` in the people picker labelled ``label``, as a person does: type part of
    the name, wait for the list, then choose with the keyboard."""
    box = page.get_by_role("combobox", name=label)
    box.fill(name[:4])
    option = page.get_by_role("option", name=name).first
    expect(option).to_be_visible()
    while option.get_attribute("aria-selected") != "true":
        box.press("ArrowDown")
    box.press("Enter")
    picker = box.locator("xpath=ancestor::*[@data-picker][1]")
    expect(picker.locator(".chip", has_text=name)).to_be_visible()


def link_in_mail_to(email: str) -> str:
    """The path of the newest rater link emailed to ``email`` (SITE_URL is not the test server)."""
    for message in reversed(mail.outbox):
        if email in message.to:
            match = re.search(r"https?://[^/\s]+(/cycles/r/[A-Za-z0-9_-]+/)", message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no rater link was emailed to {email}")
