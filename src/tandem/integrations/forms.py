from __future__ import annotations

from typing import Any

from django import forms

from tandem.integrations.models import WebhookEvent
from tandem.integrations.scopes import ORGANISATION_KINDS, SCOPES, TokenKind, unknown_scopes
from tandem.integrations.services.webhooks import url_problem


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What it is for",
        max_length=100,
        help_text="For example 'Okta provisioning' or 'HR dashboard'. Shown in the list below.",
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=[(kind.value, kind.label) for kind in ORGANISATION_KINDS],
        widget=forms.RadioSelect,
    )
    scopes = forms.MultipleChoiceField(
        label="Scopes",
        choices=[
            (scope, f"{TokenKind(kind).label}: {label}")
            for kind, scopes in SCOPES.items()
            if kind in ORGANISATION_KINDS
            for scope, label in scopes.items()
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave them all unticked for the kind's usual ones: SCIM provisioning for a "
        "SCIM token, reading only for an API token.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, scopes = cleaned.get("kind"), cleaned.get("scopes") or []
        if kind and scopes:
            unknown = unknown_scopes(kind, scopes)
            if unknown:
                self.add_error(
                    "scopes",
                    f"A {TokenKind(kind).label} token cannot have "
                    f"{', '.join(unknown)}. Untick {'them' if len(unknown) > 1 else 'it'}, "
                    "or choose the other kind.",
                )
        return cleaned


class WebhookForm(forms.Form):
    name = forms.CharField(
        label="What it is for",
        max_length=100,
        required=False,
        help_text="For example 'HR system' or 'Slack bridge'. Shown in the list below.",
    )
    url = forms.URLField(
        label="Address (URL)",
        max_length=500,
        assume_scheme="https",
        help_text="Tandem POSTs each event here as JSON. HTTPS only (plain http only to this "
        "machine, for trying out).",
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"])
        problem = url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url


class PersonalTokenForm(forms.Form):
    name = forms.CharField(
        label="What it is for",
        max_length=100,
        help_text="For example 'my notebook'. Shown in the list below.",
    )
