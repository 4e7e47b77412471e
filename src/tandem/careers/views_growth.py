"""Pages for a person's growth: placement, evidence, endorsements, quarterly summaries, the
motivation check and track fit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.careers import assessment, motivation, selectors, selectors_growth
from tandem.careers.forms import (
    EndorseForm,
    EvidenceForm,
    MotivationForm,
    PlacementForm,
    QuarterSummaryForm,
)
from tandem.careers.models import Criterion, Evidence, FrameworkVersion
from tandem.careers.services import CareersError, placement_set
from tandem.careers.services_growth import (
    evidence_delete,
    evidence_endorse,
    evidence_log,
    evidence_update,
    motivation_check_record,
    quarter_summary_save,
)
from tandem.careers.trackfit import TRACK_NAMES, track_fit
from tandem.people.models import Organisation, Person


def _organisation(request: HttpRequest) -> Organisation:
    return access.organisation_required(request.user)


def _me(request: HttpRequest) -> Person:
    """The signed-in user's own person; pages about 'me' need one."""
    _organisation(request)
    person = access.person_of(request.user)
    if person is None:
        raise PermissionDenied
    return person


def _version(organisation: Organisation) -> FrameworkVersion:
    version = selectors.framework_version_get(organisation=organisation)
    if version is None:
        raise Http404("There is no career framework yet.")
    return version


def _person(organisation: Organisation, person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id, organisation=organisation).first()
    if person is None:
        raise Http404
    return person


def _growth_page(request: HttpRequest, person: Person) -> HttpResponse:
    organisation = person.organisation
    version = selectors.framework_version_get(organisation=organisation)
    position = selectors.person_position(version=version, person=person) if version else None
    entries = selectors_growth.evidence_of(person=person)
    own = access.person_of(request.user)
    is_me = own is not None and own.pk == person.pk
    year, quarter = selectors_growth.quarter_of(timezone.localdate())
    private = access.careers.can_view_private_growth(request.user, person)
    changes = access.careers.evidence_changes(request.user, entries) if is_me else {}
    context = {
        "person": person,
        "is_me": is_me,
        "version": version,
        "position": position,
        "levels": selectors_growth.growth_by_criterion(position=position, entries=entries)
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
        "summaries": selectors_growth.quarter_summaries(person=person) if private else None,
        "needs_summary": is_me
        and selectors_growth.quarter_summary_get(person=person, year=year, quarter=quarter) is None,
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
    return _growth_page(request, _me(request))


@login_required
@require_GET
def person_growth(request: HttpRequest, person_id: int) -> HttpResponse:
    organisation = _organisation(request)
    person = _person(organisation, person_id)
    if not access.careers.can_view_growth(request.user, person):
        raise PermissionDenied
    return _growth_page(request, person)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request: HttpRequest) -> HttpResponse:
    person = _me(request)
    if not access.careers.can_log_evidence(request.user, person):
        raise PermissionDenied
    version = _version(person.organisation)
    position = selectors.person_position(version=version, person=person)
    form = EvidenceForm(
        request.POST or None,
        initial={"happened_on": timezone.localdate()},
        criteria_choices=selectors_growth.evidence_criteria_choices(
            version=version, position=position
        ),
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
        messages.success(request, "Logged. It now counts as evidence for the criteria you chose.")
        return redirect("careers:me")
    # The person's own and next level are open; every other level is one click away.
    open_groups = sum(1 for lv in (position.level, position.next_level) if lv is not None)
    context = {"form": form, "position": position, "open_groups": open_groups or 99}
    return render(request, "careers/evidence_new.html", context)


def _own_evidence(request: HttpRequest, evidence_id: int) -> Evidence:
    """An entry the signed-in user logged: hidden in other organisations, refused to others."""
    organisation = _organisation(request)
    evidence = selectors_growth.evidence_get(organisation=organisation, evidence_id=evidence_id)
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
    version = _version(evidence.person.organisation)
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
        criteria_choices=selectors_growth.evidence_criteria_choices(
            version=version, position=position
        ),
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
            messages.success(request, "Saved. The entry now reads as you wrote it.")
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
        messages.success(request, f"Deleted '{what}'.")
        return redirect("careers:me")
    context = {
        "evidence": evidence,
        "endorsers": [x.endorser for x in evidence.endorsements.select_related("endorser")],
        "draft_cases": selectors_growth.draft_cases_linking(evidence=evidence),
    }
    return render(request, "careers/evidence_delete.html", context)


@login_required
@require_POST
def endorse(request: HttpRequest, evidence_id: int) -> HttpResponse:
    organisation = _organisation(request)
    evidence = selectors_growth.evidence_get(organisation=organisation, evidence_id=evidence_id)
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
            messages.success(request, f"You endorsed '{evidence.what}'.")
    else:
        messages.error(request, "Keep the note to 300 characters; nothing was saved.")
    return redirect("careers:person", person_id=evidence.person_id)


@login_required
@require_http_methods(["GET", "POST"])
def quarter(request: HttpRequest) -> HttpResponse:
    person = _me(request)
    year, number = selectors_growth.quarter_of(timezone.localdate())
    existing = selectors_growth.quarter_summary_get(person=person, year=year, quarter=number)
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
        messages.success(request, f"Your Q{number} {year} summary is saved.")
        return redirect("careers:me")
    context = {
        "form": form,
        "year": year,
        "quarter": number,
        "existing": existing,
        "earlier": [s for s in selectors_growth.quarter_summaries(person=person) if s != existing],
    }
    return render(request, "careers/quarter.html", context)


def _scales() -> dict[str, object]:
    return {rs.id: rs for rs in motivation.instrument().response_scales}


@login_required
@require_http_methods(["GET", "POST"])
def motivation_check(request: HttpRequest) -> HttpResponse:
    person = _me(request)
    if not access.careers.can_take_motivation_check(request.user):
        raise PermissionDenied
    latest = selectors_growth.motivation_latest(person=person)
    form = MotivationForm(
        request.POST or None,
        initial=latest.answers if latest else None,
        sections=motivation.sections(),
        labels=_scales(),
    )
    if request.method == "POST" and form.is_valid():
        motivation_check_record(person=person, answers=dict(form.cleaned_data), actor=request.user)
        return redirect("careers:track_fit")
    guidance = None
    if latest is not None:
        mtm = latest.scores.get(motivation.MOTIVATION, {})
        guidance = motivation.motivation_guidance(
            developing=mtm.get("developing_people"), advancement=mtm.get("advancement_status")
        )
    context = {"form": form, "latest": latest, "guidance": guidance}
    return render(request, "careers/motivation.html", context)


@login_required
@require_GET
def track_fit_view(request: HttpRequest) -> HttpResponse:
    person = _me(request)
    if not access.careers.can_take_motivation_check(request.user):
        raise PermissionDenied
    latest = selectors_growth.motivation_latest(person=person)
    result = assessment.latest_result(person)
    scores = latest.scores if latest else {}
    mtm = scores.get(motivation.MOTIVATION, {})
    interests = scores.get(motivation.INTERESTS, {})
    if result is not None and latest is None:
        # The assessment's self questionnaire asks the same sections: use its answers until
        # the person takes the check here.
        mtm = result.self_sections.get(motivation.MOTIVATION) or {}
        interests = result.self_sections.get(motivation.INTERESTS) or {}
    fit = track_fit(
        placement=result.placement if result else None,
        leaning=result.leaning if result else None,
        borderline=result.borderline if result else False,
        developing=mtm.get("developing_people"),
        advancement=mtm.get("advancement_status"),
        interests=interests,
    )
    guidance = motivation.motivation_guidance(
        developing=mtm.get("developing_people"), advancement=mtm.get("advancement_status")
    )
    context = {
        "fit": fit,
        "names": TRACK_NAMES,
        "recommended": [TRACK_NAMES[t] for t in fit.recommended],
        "ranked": [(TRACK_NAMES[t], value) for t, value in fit.scores],
        "latest": latest,
        "result": result,
        "guidance": guidance,
    }
    return render(request, "careers/track_fit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def placement(request: HttpRequest, person_id: int) -> HttpResponse:
    organisation = _organisation(request)
    person = _person(organisation, person_id)
    if not access.careers.can_set_placement(request.user, person):
        raise PermissionDenied
    version = _version(organisation)
    current = selectors.person_position(version=version, person=person)
    initial = {
        "track": current.track.key if current.track else "",
        "level": current.level.number if current.level else None,
        "since": timezone.localdate(),
    }
    form = PlacementForm(
        request.POST or None,
        initial=initial,
        tracks=selectors.tracks_with_levels(version=version),
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement_set(
                person=person,
                track_key=form.cleaned_data["track"],
                level_number=form.cleaned_data["level"],
                since=form.cleaned_data["since"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except CareersError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{person.name}'s track and level are saved.")
            return redirect("careers:person", person_id=person.pk)
    context = {
        "form": form,
        "person": person,
        "position": current,
        "history": selectors.placement_history(person=person),
    }
    return render(request, "careers/placement.html", context)


@login_required
@require_GET
def placements(request: HttpRequest) -> HttpResponse:
    """Everyone's track and level, for the people team to keep current."""
    organisation = _organisation(request)
    if not access.careers.can_edit_framework(request.user, organisation):
        raise PermissionDenied
    context = {"rows": selectors.placements_in(organisation=organisation)}
    return render(request, "careers/placements.html", context)
