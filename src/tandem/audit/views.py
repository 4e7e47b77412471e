from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET

from tandem import access
from tandem.audit.selectors import audit_actions, audit_events


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False, label=gettext_lazy("Action"))
    actor = forms.CharField(required=False, label=gettext_lazy("Who"))
    target = forms.CharField(required=False, label=gettext_lazy("What"))
    since = forms.DateField(
        required=False,
        label=gettext_lazy("Since"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        required=False,
        label=gettext_lazy("Until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    organisation = access.organisation_of(request.user)
    if organisation is None or not access.can_view_audit_log(request.user, organisation):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    action_field = form.fields["action"]
    assert isinstance(action_field, forms.ChoiceField)
    # The actions are machine codes (``user.sign_in``), listed as stored.
    action_field.choices = [("", gettext("Any action"))] + [
        (a, a) for a in audit_actions(organisation=organisation)
    ]
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(organisation=organisation, **{k: v for k, v in filters.items() if v})
    page = Paginator(events.select_related("actor"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
