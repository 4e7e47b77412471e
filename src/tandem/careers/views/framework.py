"""Pages for the career framework: reading it, managing its versions (install, import, edit,
export), and where each person stands in it (placements)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.careers import selectors
from tandem.careers.forms import FrameworkTextForm, FrameworkUploadForm, PlacementForm
from tandem.careers.frameworkfile import (
    FrameworkFileError,
    framework_csv,
    framework_yaml,
    line_excerpt,
)
from tandem.careers.models import FrameworkVersion, Level, Track
from tandem.careers.services import (
    CareersError,
    FrameworkUnchanged,
    default_framework_spec,
    framework_default_install,
    framework_edit,
    framework_import,
    placement_set,
)
from tandem.careers.views._common import current_version, organisation_of, person_in
from tandem.people.models import Organisation


@login_required
@require_GET
def framework(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    if not access.careers.can_view_framework(request.user, organisation):
        raise PermissionDenied
    version = selectors.framework_version_get(organisation=organisation)
    context = {
        "version": version,
        "tracks": selectors.tracks_with_levels(version=version) if version else [],
        "position": selectors.person_position(
            version=version, person=access.person_of(request.user)
        )
        if version
        else None,
        "can_edit": access.careers.can_edit_framework(request.user, organisation),
        "can_calibrate": access.careers.can_view_calibration(request.user, organisation),
        **_quarter_prompt(request),
    }
    return render(request, "careers/framework.html", context)


def _quarter_prompt(request: HttpRequest) -> dict[str, object]:
    """Whether to ask the signed-in person for this quarter's summary."""
    person = access.person_of(request.user)
    year, quarter = selectors.quarter_of(timezone.localdate())
    needs = (
        person is not None
        and selectors.quarter_summary_get(person=person, year=year, quarter=quarter) is None
    )
    return {"me": person, "needs_summary": needs, "year": year, "quarter": quarter}


def _move(position: selectors.Position, track: Track, level: Level) -> dict[str, str] | None:
    """How moving to ``level`` would read for someone at ``position``: every move is normal."""
    if position.level is None or position.track is None or position.level.pk == level.pk:
        return None
    if position.track.key != track.key:
        return {
            "label": gettext("Move sideways"),
            "text": gettext(
                "A move from %(track)s to this track is a normal step; your experience comes "
                "with you."
            )
            % {"track": position.track.name},
        }
    if level.number < position.level.number:
        return {
            "label": gettext("Step back"),
            "text": gettext(
                "Stepping back a level to do work that suits you better is a respected "
                "choice, with no mark against you."
            ),
        }
    if position.next_level is not None and level.pk == position.next_level.pk:
        return {
            "label": gettext("Move up"),
            "text": gettext("The next level: gather evidence against its criteria."),
        }
    return None


@login_required
@require_GET
def track(request: HttpRequest, key: str) -> HttpResponse:
    organisation = organisation_of(request)
    if not access.careers.can_view_framework(request.user, organisation):
        raise PermissionDenied
    version = selectors.framework_version_get(organisation=organisation)
    found = selectors.track_get(version=version, key=key) if version else None
    if version is None or found is None:
        raise Http404
    position = selectors.person_position(version=version, person=access.person_of(request.user))
    levels = [
        {
            "level": level,
            "themes": selectors.criteria_by_theme(level),
            "is_current": position.level is not None and position.level.pk == level.pk,
            "is_next": position.next_level is not None and position.next_level.pk == level.pk,
            "move": _move(position, found, level),
        }
        for level in found.levels.all()
    ]
    context = {
        "version": version,
        "track": found,
        "levels": levels,
        "position": position,
        "me": access.person_of(request.user),
    }
    return render(request, "careers/track.html", context)


def _editable_organisation(request: HttpRequest) -> Organisation:
    organisation = organisation_of(request)
    if not access.careers.can_edit_framework(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    organisation = _editable_organisation(request)
    context = {
        "versions": selectors.framework_versions(organisation=organisation),
        "form": FrameworkUploadForm(),
    }
    return render(request, "careers/manage.html", context)


@login_required
@require_POST
def install_default(request: HttpRequest) -> HttpResponse:
    organisation = _editable_organisation(request)
    version = framework_default_install(organisation=organisation, actor=request.user)
    messages.success(
        request,
        gettext("Tandem's default framework is published as version %(number)s.")
        % {"number": version.number},
    )
    return redirect("careers:framework")


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    organisation = _editable_organisation(request)
    form = FrameworkUploadForm(request.POST or None, request.FILES or None)
    problem: FrameworkFileError | None = None
    excerpt = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            version = framework_import(
                organisation=organisation, data=data, filename=upload.name, actor=request.user
            )
        except FrameworkFileError as error:
            problem, excerpt = error, line_excerpt(data, error.line)
        else:
            messages.success(
                request,
                gettext("'%(name)s' is published as framework version %(number)s.")
                % {"name": upload.name, "number": version.number},
            )
            return redirect("careers:framework")
    context = {"form": form, "problem": problem, "excerpt": excerpt}
    return render(request, "careers/import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest) -> HttpResponse:
    """Edit the framework as YAML in the page; publishing makes a new version."""
    organisation = _editable_organisation(request)
    current = selectors.framework_version_get(organisation=organisation)
    if request.method == "POST":
        form = FrameworkTextForm(request.POST)
    else:
        spec = selectors.framework_spec(version=current) if current else default_framework_spec()
        form = FrameworkTextForm(initial={"text": framework_yaml(spec)})
    problem: FrameworkFileError | None = None
    excerpt = ""
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            version = framework_edit(organisation=organisation, text=text, actor=request.user)
        except FrameworkFileError as error:
            problem, excerpt = error, line_excerpt(text, error.line)
        except FrameworkUnchanged as error:
            messages.info(request, str(error))
            return redirect("careers:manage")
        else:
            messages.success(
                request,
                gettext("Published as framework version %(number)s.") % {"number": version.number},
            )
            return redirect("careers:framework")
    context = {"form": form, "problem": problem, "excerpt": excerpt, "current": current}
    return render(request, "careers/edit.html", context)


def _version_to_export(request: HttpRequest) -> FrameworkVersion:
    organisation = _editable_organisation(request)
    number = request.GET.get("version", "")
    if number and not number.isdigit():
        raise Http404
    version = selectors.framework_version_get(
        organisation=organisation, number=int(number) if number else None
    )
    if version is None:
        raise Http404
    return version


def _attachment(
    content: str, *, content_type: str, version: FrameworkVersion, ext: str
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    filename = f"{slugify(version.name) or 'framework'}-v{version.number}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def export_yaml(request: HttpRequest) -> HttpResponse:
    version = _version_to_export(request)
    content = framework_yaml(selectors.framework_spec(version=version))
    return _attachment(
        content, content_type="application/yaml; charset=utf-8", version=version, ext="yaml"
    )


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    version = _version_to_export(request)
    content = framework_csv(selectors.framework_spec(version=version))
    return _attachment(content, content_type="text/csv; charset=utf-8", version=version, ext="csv")


@login_required
@require_http_methods(["GET", "POST"])
def placement(request: HttpRequest, person_id: int) -> HttpResponse:
    organisation = organisation_of(request)
    person = person_in(organisation, person_id)
    if not access.careers.can_set_placement(request.user, person):
        raise PermissionDenied
    version = current_version(organisation)
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
            messages.success(
                request, gettext("%(name)s's track and level are saved.") % {"name": person.name}
            )
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
    organisation = organisation_of(request)
    if not access.careers.can_edit_framework(request.user, organisation):
        raise PermissionDenied
    context = {"rows": selectors.placements_in(organisation=organisation)}
    return render(request, "careers/placements.html", context)
