from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from tandem.accounts.forms import SetupForm


class FirstRunForm(SetupForm):
    load_demo = forms.BooleanField(
        label=gettext_lazy("Fill it with a demo organisation (about 150 people) to explore"),
        help_text=gettext_lazy(
            "Adds generated people in several departments and a released 360 cycle, so everyone "
            "has a report to read. Takes a few seconds."
        ),
        required=False,
    )
