from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from tandem.accounts.models import SingleSignOn, SsoProtocol

METADATA_MAX_BYTES = 1_000_000


class SsoEmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your work email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class SsoSetupForm(forms.Form):
    is_enabled = forms.BooleanField(
        label=gettext_lazy("Single sign-on is on"),
        required=False,
        help_text=gettext_lazy("When on, the sign-in page offers your identity provider."),
    )
    protocol = forms.ChoiceField(
        label=gettext_lazy("Protocol"), choices=SsoProtocol.choices, widget=forms.RadioSelect
    )
    email_domains = forms.CharField(
        label=gettext_lazy("Email domains"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "Addresses at these domains go straight to your identity provider from the "
            "sign-in page. Separate several with spaces, e.g. example.com example.org."
        ),
    )
    oidc_discovery_url = forms.URLField(
        label=gettext_lazy("Discovery URL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("Ends in /.well-known/openid-configuration."),
    )
    oidc_client_id = forms.CharField(
        label=gettext_lazy("Client ID"), required=False, max_length=300
    )
    oidc_client_secret = forms.CharField(
        label=gettext_lazy("Client secret"),
        required=False,
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    saml_metadata_url = forms.URLField(
        label=gettext_lazy("Identity provider metadata URL"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    saml_metadata_file = forms.FileField(
        label=gettext_lazy("…or its metadata file"),
        required=False,
        help_text=gettext_lazy("The XML file your identity provider lets you download."),
    )
    create_accounts = forms.BooleanField(
        label=gettext_lazy("Create accounts for people in the people list"),
        required=False,
        help_text=gettext_lazy(
            "Someone who signs in for the first time and is in the people list with the "
            "same email gets an employee account. Anyone else is turned away."
        ),
    )
    sso_only = forms.BooleanField(
        label=gettext_lazy("Single sign-on only: turn passwords off"),
        required=False,
        help_text=gettext_lazy(
            "Nobody in your organisation can sign in with a password or reset one. If "
            "your identity provider fails, whoever runs the server can make you a one-time link "
            "(docs/integrations.md, “Break-glass”)."
        ),
    )

    def __init__(self, *args: Any, sso: SingleSignOn | None, **kwargs: Any) -> None:
        initial: dict[str, Any] = {"protocol": SsoProtocol.OIDC}
        if sso is not None:
            initial = {
                "is_enabled": sso.is_enabled,
                "protocol": sso.protocol,
                "email_domains": sso.email_domains,
                "oidc_discovery_url": sso.oidc_discovery_url,
                "oidc_client_id": sso.oidc_client_id,
                "saml_metadata_url": sso.saml_metadata_url,
                "create_accounts": sso.create_accounts,
                "sso_only": sso.sso_only,
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if sso is not None and sso.oidc_client_secret:
            self.fields["oidc_client_secret"].help_text = gettext("Saved. Leave blank to keep it.")
        if sso is not None and sso.saml_metadata_xml:
            self.fields["saml_metadata_file"].help_text = gettext(
                "Metadata is saved. Upload a file only to replace it."
            )

    def clean_saml_metadata_file(self) -> str:
        upload = self.cleaned_data.get("saml_metadata_file")
        if not upload:
            return ""
        if upload.size > METADATA_MAX_BYTES:
            raise forms.ValidationError(
                gettext("This file is larger than 1 MB: is it SAML metadata?")
            )
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError(
                gettext("This file is not text (UTF-8): is it SAML metadata?")
            ) from None
