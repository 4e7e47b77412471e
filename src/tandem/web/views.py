from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from tandem import access
from tandem.accounts.backends import MEMBER_BACKEND
from tandem.accounts.services import AccountError, setup_complete, setup_is_needed
from tandem.careers.selectors import waiting_for
from tandem.people.selectors import direct_reports, people_active
from tandem.people.services import demo_people_load
from tandem.web.forms import FirstRunForm

WAITING_SHOWN = 10
"""Rows of "Waiting for you" on the home page; the rest are counted, with a link to them."""


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    if not setup_is_needed():
        return redirect("web:home")
    form = FirstRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = setup_complete(
                    organisation_name=data["organisation_name"],
                    admin_name=data["full_name"],
                    admin_email=data["email"],
                    admin_password=data["password1"],
                )
                if data["load_demo"]:
                    organisation = user.membership.organisation
                    # Imported here: scoring a cycle pulls in the measurement core and scipy,
                    # which every other page of a starting process can do without.
                    from tandem.cycles.demo import demo_cycle_load

                    demo_people_load(organisation=organisation, actor=user)
                    demo_cycle_load(organisation=organisation)
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend=MEMBER_BACKEND)
            messages.success(request, gettext("Tandem is ready. Next, bring in your people."))
            return redirect("web:home")
    return render(request, "web/setup.html", {"form": form})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organisation = access.organisation_of(request.user)
    if organisation is None:
        return render(request, "web/no_organisation.html", status=403)
    person = access.person_of(request.user)
    waiting = waiting_for(user=request.user)
    context = {
        "organisation": organisation,
        "person": person,
        "waiting": waiting[:WAITING_SHOWN],
        "waiting_more": max(0, len(waiting) - WAITING_SHOWN),
        "reports": list(direct_reports(person=person)) if person else [],
        "people_count": people_active(organisation=organisation).count(),
    }
    return render(request, "web/home.html", context)
