from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from tandem.cycles.models import (
    RATER_GROUPS,
    CycleScope,
    InstrumentVersion,
    Participant,
    default_maximums,
    default_minimums,
)
from tandem.people.models import Organisation, Person, PersonStatus
from tandem.people.picker import PeoplePickField, PersonPickField

CHOSEN_GROUPS = [(key, label) for key, label in RATER_GROUPS if key != "self"]


class NominationForm(forms.Form):
    rater = PersonPickField(
        queryset=Person.objects.none(),
        scope="people.others",
        label=gettext_lazy("Colleague"),
        help_text=gettext_lazy("Type a few letters of their name, then choose them from the list."),
    )
    group = forms.ChoiceField(
        choices=CHOSEN_GROUPS,
        label=gettext_lazy("They are my"),
        initial="peer",
        help_text=gettext_lazy(
            "Peers work alongside you; others are anyone else who sees your work."
        ),
    )

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = participant.nominations.values("rater_id")
        field = self.fields["rater"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Person.objects.filter(
                organisation_id=participant.cycle.organisation_id, status=PersonStatus.ACTIVE
            )
            .exclude(pk__in=taken)
            .exclude(pk=participant.person_id)
            .order_by("name")
        )


def _group_fields(prefix: str, values: dict[str, int], groups: list[str]) -> dict[str, Any]:
    return {
        f"{prefix}_{group}": forms.IntegerField(
            min_value=1,
            max_value=50,
            initial=values[group],
            label=dict(RATER_GROUPS)[group],
        )
        for group in groups
    }


class CycleForm(forms.Form):
    name = forms.CharField(max_length=200, label=gettext_lazy("Name"), initial="")
    instrument = forms.ModelChoiceField(
        queryset=InstrumentVersion.objects.none(),
        label=gettext_lazy("Questionnaire"),
        empty_label=None,
    )
    scope = forms.ChoiceField(
        choices=CycleScope.choices,
        widget=forms.RadioSelect,
        initial=CycleScope.EVERYONE,
        label=gettext_lazy("Who takes part"),
    )
    department = forms.ChoiceField(choices=[], required=False, label=gettext_lazy("Department"))
    chosen = PeoplePickField(
        queryset=Person.objects.none(),
        required=False,
        label=gettext_lazy("People taking part"),
        help_text=gettext_lazy(
            "When only chosen people take part: type a name, choose, and repeat."
        ),
    )
    opens_on = forms.DateField(
        label=gettext_lazy("Opens on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    closes_on = forms.DateField(
        label=gettext_lazy("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reminder_every_days = forms.IntegerField(
        min_value=1, max_value=30, initial=3, label=gettext_lazy("Remind raters every (days)")
    )
    manager_sees_report_default = forms.BooleanField(
        required=False,
        initial=True,
        label=gettext_lazy("Managers may read their reports' reports unless a participant says no"),
    )

    MIN_GROUPS = ["manager", "peer", "direct_report", "other"]
    MAX_GROUPS = ["manager", "peer", "direct_report", "other"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_group_fields("min", default_minimums(), self.MIN_GROUPS))
        self.fields.update(_group_fields("max", default_maximums(), self.MAX_GROUPS))
        instrument = self.fields["instrument"]
        assert isinstance(instrument, forms.ModelChoiceField)
        instrument.queryset = InstrumentVersion.objects.filter(organisation=organisation)
        people = Person.objects.filter(organisation=organisation, status=PersonStatus.ACTIVE)
        chosen = self.fields["chosen"]
        assert isinstance(chosen, forms.ModelMultipleChoiceField)
        chosen.queryset = people.order_by("name")
        departments = sorted({d for d in people.values_list("department", flat=True) if d})
        department = self.fields["department"]
        assert isinstance(department, forms.ChoiceField)
        department.choices = [("", "—")] + [(d, d) for d in departments]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error(
                "closes_on", gettext("The cycle must close on or after the day it opens.")
            )
        if data.get("scope") == CycleScope.DEPARTMENT and not data.get("department"):
            self.add_error("department", gettext("Choose the department the cycle is for."))
        if data.get("scope") == CycleScope.CHOSEN and not data.get("chosen"):
            self.add_error("chosen", gettext("Choose at least one person."))
        for group in self.MAX_GROUPS:
            low, high = data.get(f"min_{group}"), data.get(f"max_{group}")
            if group != "manager" and low and high and high < low:
                self.add_error(f"max_{group}", gettext("The maximum cannot be below the minimum."))
        return data

    def minimums(self) -> dict[str, int]:
        return {g: self.cleaned_data[f"min_{g}"] for g in self.MIN_GROUPS}

    def maximums(self) -> dict[str, int]:
        return {g: self.cleaned_data[f"max_{g}"] for g in self.MAX_GROUPS}

    def min_fields(self) -> list[Any]:
        return [self[f"min_{g}"] for g in self.MIN_GROUPS]

    def max_fields(self) -> list[Any]:
        return [self[f"max_{g}"] for g in self.MAX_GROUPS]


class InstrumentForm(forms.Form):
    name = forms.CharField(max_length=200, label=gettext_lazy("Name"))
    text = forms.CharField(
        label=gettext_lazy("Questionnaire (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        help_text=gettext_lazy("The format is described in docs/measure.md (tandem-instrument/1)."),
    )
