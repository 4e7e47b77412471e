"""Slowing down password guessing without letting anyone lock a person out.

Two counters of wrong passwords, kept in the database so every server process shares them:

* per **address**: after ``SIGNIN_ADDRESS_FREE`` failures from one address (any accounts),
  each further attempt from it must wait longer (password spraying: one address trying one
  password on many accounts);
* per **account**: after ``SIGNIN_ACCOUNT_FREE`` failures on one account (from anywhere), each
  further attempt on it must wait longer.

The wait doubles with each failure past the free ones, from 1 second up to
``SIGNIN_MAX_DELAY_MINUTES``. Nothing is ever locked: after the wait, the right password works.

An attacker who knows someone's email could still make that person wait, so the account
counter does not apply to a browser the person has signed in from before: a successful sign-in
leaves a signed *device cookie* naming the account (after OWASP's "device cookies" for slowing
online guessing), and attempts carrying it are limited by their own counter only. A password
reset, which proves the mailbox, clears the account counter. Counters expire a day after
their last failure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from tandem.accounts.models import SignInFailures

DEVICE_COOKIE = "tandem_device"
DEVICE_SALT = "tandem.accounts.device"
DEVICE_LIFETIME = dt.timedelta(days=365)
FORGET_AFTER = dt.timedelta(days=1)


def _email_key(email: str) -> str:
    return "account:" + email.strip().lower()


def _device_key(email: str, request: HttpRequest) -> str | None:
    """The device counter's key when the request carries this account's device cookie."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_LIFETIME)
    except signing.BadSignature:
        return None
    accounts = value.get("accounts", []) if isinstance(value, dict) else []
    digest = _digest(email)
    if digest not in accounts:
        return None
    return f"device:{digest}:{value.get('id', '')}"


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the proxy's X-Forwarded-For when configured."""
    if settings.SIGNIN_TRUST_X_FORWARDED_FOR:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        if forwarded:
            return forwarded.split(",")[0].strip()[:100]
    return str(request.META.get("REMOTE_ADDR", ""))[:100]


def delay_after(failures: int, free: int) -> dt.timedelta:
    """The wait after ``failures`` wrong passwords when ``free`` cost nothing: the first wait
    (``SIGNIN_FIRST_DELAY_SECONDS``, 1 s by default) doubles with each further failure, up to
    ``SIGNIN_MAX_DELAY_MINUTES``.

    >>> [delay_after(n, 5).total_seconds() for n in (4, 5, 6, 7, 12)]
    [0.0, 1.0, 2.0, 4.0, 128.0]
    """
    if failures < free:
        return dt.timedelta(0)
    cap = dt.timedelta(minutes=settings.SIGNIN_MAX_DELAY_MINUTES)
    exponent = min(failures - free, 40)
    first = settings.SIGNIN_FIRST_DELAY_SECONDS
    return min(dt.timedelta(seconds=first * math.pow(2, exponent)), cap)


@dataclass(frozen=True)
class Wait:
    seconds: int
    reason: str  # "account" or "address"


def _keys(request: HttpRequest, email: str) -> list[tuple[str, int, str]]:
    address = ("address:" + client_address(request), settings.SIGNIN_ADDRESS_FREE, "address")
    device = _device_key(email, request)
    if device is not None:
        return [address, (device, settings.SIGNIN_ACCOUNT_FREE, "account")]
    return [address, (_email_key(email), settings.SIGNIN_ACCOUNT_FREE, "account")]


def wait_before_attempt(request: HttpRequest, email: str) -> Wait | None:
    """How long this attempt must still wait, or None when it may go ahead."""
    if not settings.SIGNIN_THROTTLE:
        return None
    now = timezone.now()
    longest: Wait | None = None
    keys = _keys(request, email)
    rows = {r.key: r for r in SignInFailures.objects.filter(key__in=[k for k, _, _ in keys])}
    for key, free, reason in keys:
        row = rows.get(key)
        if row is None or now - row.last_at > FORGET_AFTER:
            continue
        ready = row.last_at + delay_after(row.count, free)
        if ready > now:
            seconds = math.ceil((ready - now).total_seconds())
            if longest is None or seconds > longest.seconds:
                longest = Wait(seconds, reason)
    return longest


def record_failure(request: HttpRequest, email: str) -> None:
    """Count a wrong password (for unknown emails too: the counts must not tell them apart)."""
    if not settings.SIGNIN_THROTTLE:
        return
    now = timezone.now()
    for key, _free, _reason in _keys(request, email):
        row, created = SignInFailures.objects.get_or_create(
            key=key, defaults={"count": 1, "last_at": now}
        )
        if created:
            continue
        if now - row.last_at > FORGET_AFTER:
            SignInFailures.objects.filter(pk=row.pk).update(count=1, last_at=now)
        else:
            SignInFailures.objects.filter(pk=row.pk).update(count=F("count") + 1, last_at=now)


def record_success(request: HttpRequest, response: HttpResponse, email: str) -> None:
    """Clear this account's counters and remember this browser for the account."""
    SignInFailures.objects.filter(key=_email_key(email)).delete()
    device = _device_key(email, request)
    if device is not None:
        SignInFailures.objects.filter(key=device).delete()
    value: dict[str, object] = {"id": secrets.token_urlsafe(12)}
    try:
        old = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT, max_age=DEVICE_LIFETIME
        )
        accounts = [a for a in old.get("accounts", []) if isinstance(a, str)][-9:]
        value["id"] = str(old.get("id") or value["id"])
    except (signing.BadSignature, AttributeError):
        accounts = []
    digest = _digest(email)
    value["accounts"] = [*(a for a in accounts if a != digest), digest]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(value, salt=DEVICE_SALT),
        max_age=int(DEVICE_LIFETIME.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def clear_account(email: str) -> None:
    """Forget the account's failures (after a password reset proved the mailbox)."""
    SignInFailures.objects.filter(key=_email_key(email)).delete()
