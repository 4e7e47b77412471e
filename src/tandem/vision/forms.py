from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from tandem.people.models import Organisation, Person
from tandem.people.picker import PeoplePickField
from tandem.people.selectors import people_active
from tandem.vision.models import Goal, HazardKind, NominationQuestion, Severity, shown_statement


class VisionForm(forms.Form):
    destination = forms.CharField(
        label=gettext_lazy("Where we are going"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The destination, in a sentence or two anyone can repeat."),
    )
    why = forms.CharField(
        label=gettext_lazy("Why it matters"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        if obj.title:
            return gettext("%(name)s (%(title)s)") % {"name": obj.name, "title": obj.title}
        return str(obj.name)


class TeamChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return gettext("The team of %(name)s") % {"name": obj.name}


class GoalChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return gettext("%(title)s (team of %(team)s)") % {"title": obj.title, "team": obj.team.name}


class GoalForm(forms.Form):
    team = TeamChoiceField(queryset=Person.objects.none(), label=gettext_lazy("Team"))
    owner = PersonChoiceField(queryset=Person.objects.none(), label=gettext_lazy("Owner"))
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    meaning = forms.CharField(
        label=gettext_lazy("What this means for us"), widget=forms.Textarea(attrs={"rows": 3})
    )
    why = forms.CharField(
        label=gettext_lazy("Why it matters to each of us"), widget=forms.Textarea(attrs={"rows": 3})
    )
    links_to_vision = forms.BooleanField(
        label=gettext_lazy("Links straight to the vision (top goals only)"), required=False
    )
    parents = GoalChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        label=gettext_lazy("Goals above this one"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tie it to one or more goals of the layer above."),
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        teams: Any,
        goals: Any,
        with_team: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if with_team:
            self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        else:
            del self.fields["team"]
        self.fields["owner"].queryset = people_active(organisation=organisation).order_by("name")  # type: ignore[attr-defined]
        self.fields["parents"].queryset = goals  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("links_to_vision") and not data.get("parents"):
            raise forms.ValidationError(
                gettext(
                    "Tie this goal to something above it: tick the vision or pick a goal above."
                )
            )
        return data


class KeyResultForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Key result"))
    target = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, label=gettext_lazy("Target")
    )
    current = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, initial=0, label=gettext_lazy("Current")
    )


class ProgressForm(forms.Form):
    current = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, label=gettext_lazy("Now at")
    )


class HazardForm(forms.Form):
    kind = forms.ChoiceField(
        choices=HazardKind.choices,
        widget=forms.RadioSelect,
        initial=HazardKind.RISK,
        label=gettext_lazy("Is it a risk or a blocker?"),
        help_text=gettext_lazy("A risk might stop the goal; a blocker is stopping it now."),
    )
    severity = forms.TypedChoiceField(
        choices=Severity.choices,
        coerce=int,
        initial=Severity.MEDIUM,
        label=gettext_lazy("Severity"),
    )
    description = forms.CharField(
        label=gettext_lazy("What is in the way?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class SeverityFilterForm(forms.Form):
    severity = forms.TypedChoiceField(
        choices=Severity.choices,
        coerce=int,
        required=False,
        empty_value=None,
        label=gettext_lazy("At least"),
    )


AGREEMENT = [
    (1, gettext_lazy("1 · Strongly disagree")),
    (2, gettext_lazy("2 · Disagree")),
    (3, gettext_lazy("3 · Neither")),
    (4, gettext_lazy("4 · Agree")),
    (5, gettext_lazy("5 · Strongly agree")),
]


class PulseForm(forms.Form):
    """One 1-5 answer per statement of the pulse."""

    def __init__(self, *args: Any, statements: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, statement in enumerate(statements):
            self.fields[f"s{number}"] = forms.TypedChoiceField(
                label=shown_statement(statement),
                choices=AGREEMENT,
                coerce=int,
                widget=forms.RadioSelect,
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"s{n}"] for n in range(len(self.fields))]


class NominationForm(forms.Form):
    """Up to three people for each question; no one sees who you named."""

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in NominationQuestion:
            self.fields[question.value] = PeoplePickField(
                queryset=people,
                scope="vision.nominees",
                required=False,
                label=question.label,
                help_text=gettext("Up to three people: type a name and choose."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for question in NominationQuestion:
            if len(data.get(question.value) or []) > 3:
                self.add_error(question.value, gettext("Pick up to three people."))
        if not any(data.get(q.value) for q in NominationQuestion):
            raise forms.ValidationError(
                gettext("Name at least one person for one of the questions.")
            )
        return data
