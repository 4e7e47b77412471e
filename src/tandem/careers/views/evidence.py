"""Pages for evidence over time: a person's growth page (their evidence against the criteria
of their level and the next), logging, editing, deleting and endorsing entries, and the
quarterly summary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.careers import selectors
from tandem.careers.forms import EndorseForm, EvidenceForm, QuarterSummaryForm
from tandem.careers.models import Criterion, Evidence
from tandem.careers.services import (
    CareersError,
    evidence_delete,
    evidence_endorse,
    evidence_log,
    evidence_update,
    quarter_summary_save,
)
from tandem.careers.views._common import current_version, organisation_of, own_person, person_in
from tandem.people.models import Person


def _growth_page(request: HttpRequest, person: Person) -> HttpResponse:
    organisation = person.organisation
    version = selectors.framework_version_get(organisation=organisation)
    position = selectors.person_position(version=version, person=person) if version else None
    entries = selectors.evidence_of(person=person)
    own = access.person_of(request.user)
    is_me = own is not None and own.pk == person.pk
    year, quarter = selectors.quarter_of(timezone.localdate())
    private = access.careers.can_view_private_growth(request.user, person)
    changes = access.careers.evidence_changes(request.user, entries) if is_me else {}
    context = {
        "person": person,
        "is_me": is_me,
        "version": version,
        "position": position,
        "levels": selectors.growth_by_criterion(position=position, entries=entries)
        if position
        else [],
        "entries": entries,
        # Each entry with, on one's own page, whether it can be edited or deleted and why not.
        "entry_rows": [(e, changes.get(e.pk)) for e in entries],
        "endorsed_by_me": {
            e.pk
            for e in entries
            if own and any(x.endorser_id == own.pk for x in e.endorsements.all())
        },
        "can_endorse": own is not None and not is_me,
        "summaries": selectors.quarter_summaries(person=person) if private else None,
        "needs_summary": is_me
        and selectors.quarter_summary_get(person=person, year=year, quarter=quarter) is None,
        "year": year,
        "quarter": quarter,
        "placements": selectors.placement_history(person=person) if private else [],
        "can_set_placement": access.careers.can_set_placement(request.user, person),
        "can_open_case": access.careers.can_open_case(request.user, person),
        "team": list(person.reports.active().order_by("name")) if is_me else [],
    }
    return render(request, "careers/growth.html", context)


@login_required
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """My growth in the framework."""
    return _growth_page(request, own_person(request))


@login_required
@require_GET
def person_growth(request: HttpRequest, person_id: int) -> HttpResponse:
    organisation = organisation_of(request)
    person = person_in(organisation, person_id)
    if not access.careers.can_view_growth(request.user, person):
        raise PermissionDenied
    return _growth_page(request, person)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request: HttpRequest) -> HttpResponse:
    person = own_person(request)
    if not access.careers.can_log_evidence(request.user, person):
        raise PermissionDenied
    version = current_version(person.organisation)
    position = selectors.person_position(version=version, person=person)
    form = EvidenceForm(
        request.POST or None,
        initial={"happened_on": timezone.localdate()},
        criteria_choices=selectors.evidence_criteria_choices(version=version, position=position),
    )
    if request.method == "POST" and form.is_valid():
        criteria = Criterion.objects.filter(
            pk__in=form.cleaned_data["criteria"], level__track__version=version
        ).select_related("level__track")
        evidence_log(
            person=person,
            what=form.cleaned_data["what"],
            happened_on=form.cleaned_data["happened_on"],
            link=form.cleaned_data["link"],
            details=form.cleaned_data["details"],
            criteria=criteria,
            actor=request.user,
        )
        messages.success(
            request, gettext("Logged. It now counts as evidence for the criteria you chose.")
        )
        return redirect("careers:me")
    # The person's own and next level are open; every other level is one click away.
    open_groups = sum(1 for lv in (position.level, position.next_level) if lv is not None)
    context = {"form": form, "position": position, "open_groups": open_groups or 99}
    return render(request, "careers/evidence_new.html", context)


def _own_evidence(request: HttpRequest, evidence_id: int) -> Evidence:
    """An entry the signed-in user logged: hidden in other organisations, refused to others."""
    organisation = organisation_of(request)
    evidence = selectors.evidence_get(organisation=organisation, evidence_id=evidence_id)
    if evidence is None:
        raise Http404
    if not access.careers.is_evidence_author(request.user, evidence):
        raise PermissionDenied
    return evidence


def _back_to(evidence: Evidence) -> HttpResponse:
    return redirect(f"{reverse('careers:me')}#evidence-{evidence.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = _own_evidence(request, evidence_id)
    refused = access.careers.evidence_change(request.user, evidence).edit_refused
    if refused:
        messages.info(request, refused)
        return _back_to(evidence)
    version = current_version(evidence.person.organisation)
    position = selectors.person_position(version=version, person=evidence.person)
    attached = list(evidence.criteria.select_related("level__track"))
    # Criteria of an earlier framework version are not offered again; they are kept as they are.
    earlier = [c for c in attached if c.level.track.version_id != version.pk]
    form = EvidenceForm(
        request.POST or None,
        initial={
            "what": evidence.what,
            "happened_on": evidence.happened_on,
            "link": evidence.link,
            "details": evidence.details,
            "criteria": [c.pk for c in attached if c not in earlier],
        },
        criteria_choices=selectors.evidence_criteria_choices(version=version, position=position),
    )
    if request.method == "POST" and form.is_valid():
        chosen = Criterion.objects.filter(
            pk__in=form.cleaned_data["criteria"], level__track__version=version
        ).select_related("level__track")
        try:
            evidence_update(
                evidence=evidence,
                what=form.cleaned_data["what"],
                happened_on=form.cleaned_data["happened_on"],
                link=form.cleaned_data["link"],
                details=form.cleaned_data["details"],
                criteria=[*chosen, *earlier],
                actor=request.user,
            )
        except CareersError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, gettext("Saved. The entry now reads as you wrote it."))
            return _back_to(evidence)
    open_groups = sum(1 for lv in (position.level, position.next_level) if lv is not None)
    context = {
        "form": form,
        "evidence": evidence,
        "earlier": earlier,
        "position": position,
        "open_groups": open_groups or 99,
    }
    return render(request, "careers/evidence_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_delete_view(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """Asks first; deletes only on the confirming POST."""
    evidence = _own_evidence(request, evidence_id)
    refused = access.careers.evidence_change(request.user, evidence).delete_refused
    if refused:
        messages.info(request, refused)
        return _back_to(evidence)
    if request.method == "POST":
        what = evidence.what
        try:
            evidence_delete(evidence=evidence, actor=request.user)
        except CareersError as error:
            messages.info(request, str(error))
            return _back_to(evidence)
        messages.success(request, gettext("Deleted '%(what)s'.") % {"what": what})
        return redirect("careers:me")
    context = {
        "evidence": evidence,
        "endorsers": [x.endorser for x in evidence.endorsements.select_related("endorser")],
        "draft_cases": selectors.draft_cases_linking(evidence=evidence),
    }
    return render(request, "careers/evidence_delete.html", context)


@login_required
@require_POST
def endorse(request: HttpRequest, evidence_id: int) -> HttpResponse:
    organisation = organisation_of(request)
    evidence = selectors.evidence_get(organisation=organisation, evidence_id=evidence_id)
    if evidence is None:
        raise Http404
    if not access.careers.can_endorse(request.user, evidence):
        raise PermissionDenied
    form = EndorseForm(request.POST)
    endorser = access.person_of(request.user)
    assert endorser is not None  # can_endorse needs a person
    if form.is_valid():
        try:
            evidence_endorse(
                evidence=evidence,
                endorser=endorser,
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except CareersError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, gettext("You endorsed '%(what)s'.") % {"what": evidence.what})
    else:
        messages.error(request, gettext("Keep the note to 300 characters; nothing was saved."))
    return redirect("careers:person", person_id=evidence.person_id)


@login_required
@require_http_methods(["GET", "POST"])
def quarter(request: HttpRequest) -> HttpResponse:
    person = own_person(request)
    year, number = selectors.quarter_of(timezone.localdate())
    existing = selectors.quarter_summary_get(person=person, year=year, quarter=number)
    form = QuarterSummaryForm(
        request.POST or None, initial={"text": existing.text if existing else ""}
    )
    if request.method == "POST" and form.is_valid():
        quarter_summary_save(
            person=person,
            year=year,
            quarter=number,
            text=form.cleaned_data["text"],
            actor=request.user,
        )
        messages.success(
            request,
            gettext("Your Q%(quarter)s %(year)s summary is saved.")
            % {"quarter": number, "year": year},
        )
        return redirect("careers:me")
    context = {
        "form": form,
        "year": year,
        "quarter": number,
        "existing": existing,
        "earlier": [s for s in selectors.quarter_summaries(person=person) if s != existing],
    }
    return render(request, "careers/quarter.html", context)
