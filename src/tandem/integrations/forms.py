from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from tandem.integrations.models import WebhookEvent
from tandem.integrations.scopes import ORGANISATION_KINDS, SCOPES, TokenKind, unknown_scopes
from tandem.integrations.services.webhooks import url_problem


def _scope_choices() -> list[tuple[str, str]]:
    """Each scope an organisation's token may have, named with its kind: "REST API: Read …"."""
    return [
        (
            scope,
            # Translators: a scope a token may be given, after the kind of token it belongs to.
            gettext("%(kind)s: %(scope)s") % {"kind": TokenKind(kind).label, "scope": label},
        )
        for kind, scopes in SCOPES.items()
        if kind in ORGANISATION_KINDS
        for scope, label in scopes.items()
    ]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What it is for"),
        max_length=100,
        help_text=gettext_lazy(
            "For example 'Okta provisioning' or 'HR dashboard'. Shown in the list below."
        ),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("token", "Kind"),
        choices=[(kind.value, kind.label) for kind in ORGANISATION_KINDS],
        widget=forms.RadioSelect,
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=_scope_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "Leave them all unticked for the kind's usual ones: SCIM provisioning for a "
            "SCIM token, reading only for an API token."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, scopes = cleaned.get("kind"), cleaned.get("scopes") or []
        if kind and scopes:
            unknown = unknown_scopes(kind, scopes)
            if unknown:
                self.add_error(
                    "scopes",
                    ngettext(
                        "A %(kind)s token cannot have %(scopes)s. Untick it, or choose the "
                        "other kind.",
                        "A %(kind)s token cannot have %(scopes)s. Untick them, or choose the "
                        "other kind.",
                        len(unknown),
                    )
                    % {"kind": TokenKind(kind).label, "scopes": ", ".join(unknown)},
                )
        return cleaned


class WebhookForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What it is for"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "For example 'HR system' or 'Slack bridge'. Shown in the list below."
        ),
    )
    url = forms.URLField(
        label=gettext_lazy("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy(
            "Tandem POSTs each event here as JSON. HTTPS only (plain http only to this "
            "machine, for trying out)."
        ),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
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
        label=gettext_lazy("What it is for"),
        max_length=100,
        help_text=gettext_lazy("For example 'my notebook'. Shown in the list below."),
    )
