from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from tandem.growth.models import (
    HABIT_TEXT_MAX,
    HABITS_PER_SET_MAX,
    ActionStatus,
    FocusArea,
    LibraryAction,
)
from tandem.people.models import Person
from tandem.people.picker import PeoplePickField


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        if obj.title:
            return gettext("%(name)s (%(title)s)") % {"name": obj.name, "title": obj.title}
        return str(obj.name)


class DateInput(forms.DateInput):
    input_type = "date"


class ActionForm(forms.Form):
    title = forms.CharField(max_length=200, label=pgettext_lazy("plan action", "Action"))
    owner = PersonChoiceField(
        queryset=Person.objects.none(), label=gettext_lazy("Owner"), empty_label=None
    )
    due_on = forms.DateField(label=gettext_lazy("Due"), required=False, widget=DateInput)
    success = forms.CharField(
        label=gettext_lazy("What success looks like"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("How will you know it worked? Something you or others could see."),
    )

    def __init__(self, *args: Any, owners: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            pk__in=[p.pk for p in owners]
        )


class NewActionForm(ActionForm):
    focus = forms.ModelChoiceField(
        queryset=FocusArea.objects.none(),
        label=pgettext_lazy("plan action is for a focus area", "For"),
        required=False,
        empty_label=pgettext_lazy("plan action for no focus area", "General"),
    )
    library_action = forms.ModelChoiceField(
        queryset=LibraryAction.objects.none(), required=False, widget=forms.HiddenInput
    )

    field_order = ["focus", "title", "owner", "due_on", "success", "library_action"]

    def __init__(self, *args: Any, focus_areas: Any, library: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["focus"].queryset = focus_areas  # type: ignore[attr-defined]
        self.fields["library_action"].queryset = library  # type: ignore[attr-defined]


class ActionUpdateForm(ActionForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActionStatus.choices)

    field_order = ["title", "status", "owner", "due_on", "success"]


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class LibraryActionForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3})
    )
    scale_ids = forms.MultipleChoiceField(
        label=gettext_lazy("Scales it grows"), widget=forms.CheckboxSelectMultiple
    )
    success_hint = forms.CharField(
        max_length=300, required=False, label=gettext_lazy("What success usually looks like")
    )

    def __init__(self, *args: Any, scales: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scale_ids"].choices = scales  # type: ignore[attr-defined]


def _habits_help() -> str:
    return gettext(
        "1 to %(most)s habits, each a short line (at most %(length)s characters). Name a day "
        "in the line if it has one, such as 'Send your manager a Thursday update'."
    ) % {"most": HABITS_PER_SET_MAX, "length": HABIT_TEXT_MAX}


class HabitSetForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label=gettext_lazy("Name"),
        help_text=gettext_lazy("For example: Seven messages a week."),
    )
    description = forms.CharField(
        max_length=500,
        label=gettext_lazy("Short description"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What the set is for, in a sentence or two."),
    )
    habits = forms.CharField(
        label=gettext_lazy("Habits, one per line"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=lazy(_habits_help, str)(),
    )

    def clean_habits(self) -> list[str]:
        """One habit per non-empty line; errors name the line, as the person counts them."""
        lines = [
            (number, " ".join(line.split()))
            for number, line in enumerate(self.cleaned_data["habits"].splitlines(), start=1)
        ]
        lines = [(number, text) for number, text in lines if text]
        errors = []
        seen: dict[str, int] = {}
        for number, text in lines:
            if len(text) > HABIT_TEXT_MAX:
                errors.append(
                    ngettext(
                        "Line %(number)s is %(length)s character long; keep each habit to "
                        "%(most)s.",
                        "Line %(number)s is %(length)s characters long; keep each habit to "
                        "%(most)s.",
                        len(text),
                    )
                    % {"number": number, "length": len(text), "most": HABIT_TEXT_MAX}
                )
            if text.casefold() in seen:
                errors.append(
                    gettext("Line %(number)s repeats line %(earlier)s.")
                    % {"number": number, "earlier": seen[text.casefold()]}
                )
            seen.setdefault(text.casefold(), number)
        if len(lines) > HABITS_PER_SET_MAX:
            errors.append(
                ngettext(
                    "There is %(count)s habit; a set has at most %(most)s. "
                    "Make two sets, or keep the ones that matter most.",
                    "There are %(count)s habits; a set has at most %(most)s. "
                    "Make two sets, or keep the ones that matter most.",
                    len(lines),
                )
                % {"count": len(lines), "most": HABITS_PER_SET_MAX}
            )
        if errors:
            raise forms.ValidationError(errors)
        return [text for _, text in lines]


class InterestForm(forms.Form):
    text = forms.CharField(
        max_length=200,
        label=gettext_lazy("Something you love working on"),
        help_text=gettext_lazy(
            "For example: untangling hard bugs, coaching new starters, talking to customers."
        ),
    )


class FeedbackRequestForm(forms.Form):
    scale_ids = forms.MultipleChoiceField(
        label=gettext_lazy("Ask about (one or two)"), widget=forms.CheckboxSelectMultiple
    )
    respondents = PeoplePickField(
        queryset=Person.objects.none(),
        scope="people.others",
        label=gettext_lazy("Colleagues to ask"),
        help_text=gettext_lazy("Type a name and choose; add at least the minimum, up to twelve."),
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        label=gettext_lazy("A note for them (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, scales: list[tuple[str, str]], colleagues: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scale_ids"].choices = scales  # type: ignore[attr-defined]
        self.fields["respondents"].queryset = colleagues  # type: ignore[attr-defined]

    def clean_scale_ids(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["scale_ids"]
        if not 1 <= len(chosen) <= 2:
            raise forms.ValidationError(gettext("Choose one or two scales."))
        return chosen
