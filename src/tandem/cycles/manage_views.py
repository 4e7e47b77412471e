"""The people team's pages: cycles, their progress (never answers), and questionnaires."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.cycles import selectors
from tandem.cycles.forms import CycleForm, InstrumentForm
from tandem.cycles.health import health_page
from tandem.cycles.health_pool import comparable_cycles
from tandem.cycles.instrument_editor import (
    apply_wording,
    editor_parts,
    language_add,
)
from tandem.cycles.instruments import (
    InstrumentLocked,
    instrument_copy,
    instrument_default_install,
    instrument_of,
    instrument_update,
)
from tandem.cycles.models import Cycle, CycleStatus, InstrumentVersion
from tandem.cycles.release import cycle_release, cycle_release_queue, release_in_request
from tandem.cycles.services import CycleError, cycle_close, cycle_create, cycle_launch
from tandem.cycles.tasks import instrument_health_pool
from tandem.measure import InstrumentError
from tandem.people.models import Organisation
from tandem.web.language import language_name


def _manager_organisation(request: HttpRequest) -> Organisation:
    organisation = access.organisation_required(request.user)
    if not access.cycles.can_manage_cycles(request.user, organisation):
        raise PermissionDenied
    return organisation


def _cycle(request: HttpRequest, cycle_id: int) -> Cycle:
    organisation = access.organisation_required(request.user)
    cycle = Cycle.objects.filter(pk=cycle_id, organisation=organisation).first()
    if cycle is None:
        raise Http404
    if not access.cycles.can_view_cycle_progress(request.user, cycle):
        raise PermissionDenied
    return cycle


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    organisation = _manager_organisation(request)
    return render(request, "cycles/manage.html", {"cycles": selectors.cycles_of(organisation)})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_new(request: HttpRequest) -> HttpResponse:
    organisation = _manager_organisation(request)
    instrument_default_install(organisation=organisation, actor=request.user)
    today = timezone.localdate()
    initial = {"opens_on": today, "closes_on": today + dt.timedelta(days=14)}
    form = CycleForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = cycle_create(
                organisation=organisation,
                name=data["name"],
                instrument=data["instrument"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                actor=request.user,
                scope=data["scope"],
                department=data.get("department") or "",
                chosen=data.get("chosen") or [],
                reminder_every_days=data["reminder_every_days"],
                minimums=form.minimums(),
                maximums=form.maximums(),
                manager_sees_report_default=data["manager_sees_report_default"],
            )
        except CycleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, gettext("Cycle saved as a draft. Launch it when you are ready.")
            )
            return redirect("cycles:dashboard", cycle_id=cycle.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cycles/new.html", {"form": form}, status=status)


@login_required
@require_GET
def dashboard(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    context = {
        "cycle": cycle,
        "progress": selectors.cycle_progress(cycle),
        "can_manage": access.cycles.can_manage_cycles(request.user, cycle.organisation),
        "small_groups": selectors.small_groups_in(cycle) if cycle.status == "open" else [],
        "leniency": selectors.leniency_split(cycle) if cycle.status == "released" else None,
        "release": selectors.release_progress(cycle) if cycle.status == "released" else None,
    }
    return render(request, "cycles/dashboard.html", context)


def _queue_health_once(cycle: Cycle) -> None:
    """A cycle released before Tandem kept instrument health has nothing yet: ask a worker
    (once per ten minutes, however often the page is opened)."""
    if cache.add(f"instrument-health-queued:{cycle.pk}", True, timeout=600):
        instrument_health_pool.enqueue(cycle.pk)


@login_required
@require_GET
def instrument_health(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Do leadership and management behave as two things in this cycle's answers (``?pool=all``:
    in this and the earlier cycles that asked the same questions)?"""
    cycle = _cycle(request, cycle_id)
    if not access.cycles.can_view_instrument_health(request.user, cycle):
        raise PermissionDenied
    pooled = request.GET.get("pool") == "all"
    page = None
    earlier: list[Cycle] = []
    pending = False
    if cycle.status == CycleStatus.RELEASED:
        statistics = cycle.statistics or {}
        instrument = instrument_of(cycle.instrument)
        earlier = [c for c in comparable_cycles(cycle) if c.pk != cycle.pk]
        stored = statistics.get("health_across" if pooled else "health")
        pending = stored is None and (bool(earlier) or not pooled)
        if pending:
            _queue_health_once(cycle)
        page = health_page(stored, instrument)
    context = {
        "cycle": cycle,
        "health": page,
        "pooled": pooled,
        "earlier": earlier,
        # The pooled cycles' names, for the sentence that lists them.
        "earlier_names": ", ".join(c.name for c in earlier),
        "pending": pending,
    }
    return render(request, "cycles/health.html", context)


ACTIONS = {
    "launch": (CycleStatus.DRAFT, gettext_lazy("Launched: participants have their emails.")),
    "close": (CycleStatus.OPEN, gettext_lazy("Closed: answers can no longer change.")),
    "release": (
        CycleStatus.CLOSED,
        gettext_lazy("Released: each participant can now read their report."),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def cycle_action(request: HttpRequest, cycle_id: int, action: str) -> HttpResponse:
    """GET says what launching, closing or releasing will do; only a confirmed POST does it."""
    cycle = _cycle(request, cycle_id)
    if not access.cycles.can_manage_cycles(request.user, cycle.organisation):
        raise PermissionDenied
    if action not in ACTIONS:
        raise Http404
    if cycle.status != ACTIONS[action][0]:
        messages.info(
            request,
            # Translators: status is the cycle's status in lower case, e.g. "open", "closed".
            gettext("This cycle is %(status)s already.")
            % {"status": cycle.get_status_display().lower()},
        )
        return redirect("cycles:dashboard", cycle_id=cycle.pk)
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        context = {
            "cycle": cycle,
            "action": action,
            "consequences": selectors.action_consequences(cycle, action),
        }
        return render(request, "cycles/confirm.html", context)
    try:
        if action == "launch":
            cycle_launch(cycle=cycle, actor=request.user)
        elif action == "close":
            cycle_close(cycle=cycle, actor=request.user)
        elif release_in_request(cycle):
            cycle_release(cycle=cycle, actor=request.user)
        else:
            cycle_release_queue(cycle=cycle, actor=request.user)
            messages.success(
                request,
                gettext(
                    "The release is on its way: the background workers score every report and "
                    "then lay them out. This page shows how far they are."
                ),
            )
            return redirect("cycles:dashboard", cycle_id=cycle.pk)
    except (CycleError, InstrumentError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(ACTIONS[action][1]))
    return redirect("cycles:dashboard", cycle_id=cycle.pk)


# --- questionnaires -----------------------------------------------------------------------


@login_required
@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    organisation = _manager_organisation(request)
    versions = InstrumentVersion.objects.filter(organisation=organisation)
    return render(request, "cycles/instruments.html", {"versions": versions})


@login_required
@require_POST
def instrument_install(request: HttpRequest) -> HttpResponse:
    organisation = _manager_organisation(request)
    version = instrument_default_install(organisation=organisation, actor=request.user)
    return redirect("cycles:instrument", version_id=version.pk)


def _version(request: HttpRequest, version_id: int) -> InstrumentVersion:
    organisation = access.organisation_required(request.user)
    version = InstrumentVersion.objects.filter(pk=version_id, organisation=organisation).first()
    if version is None:
        raise Http404
    if not access.cycles.can_edit_instrument(request.user, version):
        raise PermissionDenied
    return version


@login_required
@require_http_methods(["GET", "POST"])
def instrument_edit(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id)
    locked = version.is_locked
    form = InstrumentForm(
        request.POST or None, initial={"name": version.name, "text": version.text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            instrument_update(
                version=version,
                name=form.cleaned_data["name"],
                text=form.cleaned_data["text"],
                actor=request.user,
            )
        except (InstrumentLocked, InstrumentError) as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, gettext("Questionnaire saved."))
            return redirect("cycles:instrument", version_id=version.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cycles/instrument.html",
        {"version": version, "form": form, "locked": locked},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_wording(request: HttpRequest, version_id: int) -> HttpResponse:
    """Edit names and wording in a form; the YAML editor stays for structural changes."""
    version = _version(request, version_id)
    if version.is_locked:
        messages.error(
            request, gettext("A launched cycle uses this questionnaire: make a copy to edit.")
        )
        return redirect("cycles:instrument", version_id=version.pk)
    error = None
    typed: dict[str, str] = {}
    adding = request.POST.get("add_language", "")
    if request.method == "POST" and adding:
        try:
            text = language_add(version.text, adding)
            instrument_update(version=version, name=version.name, text=text, actor=request.user)
        except (InstrumentLocked, InstrumentError) as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                gettext(
                    "%(language)s added. Each text starts as a copy of the first language's: "
                    "translate them below."
                )
                % {"language": language_name(adding)},
            )
            return redirect("cycles:instrument_wording", version_id=version.pk)
    elif request.method == "POST":
        typed = {k: request.POST.get(k, "") for k in request.POST if k.count(":") == 3}
        removed = set(request.POST.getlist("remove"))
        try:
            text = apply_wording(version.text, typed, removed)
            instrument_update(version=version, name=version.name, text=text, actor=request.user)
        except (InstrumentLocked, InstrumentError) as exc:
            error = str(exc)
        else:
            messages.success(request, gettext("Wording saved."))
            return redirect("cycles:instrument", version_id=version.pk)
    present = instrument_of(version).languages
    context = {
        "version": version,
        "languages": [language_name(code) for code in present],
        "addable": [
            (code.split("-")[0], name)
            for code, name in settings.LANGUAGES
            if code.split("-")[0] not in present
        ],
        "parts": editor_parts(version.text, typed),
        "removed": set(request.POST.getlist("remove")) if request.method == "POST" else set(),
        "error": error,
    }
    return render(request, "cycles/instrument_wording.html", context, status=400 if error else 200)


@login_required
@require_POST
def instrument_copy_view(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _version(request, version_id)
    copy = instrument_copy(version=version, name=request.POST.get("name", ""), actor=request.user)
    messages.success(request, gettext("Copied. You are editing “%(name)s”.") % {"name": copy.name})
    return redirect("cycles:instrument", version_id=copy.pk)
