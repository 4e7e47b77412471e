from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from tandem.careers.frameworkfile import MAX_FILE_BYTES
from tandem.people.models import Person
from tandem.people.picker import PersonPickField


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Framework file (YAML)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(
                gettext(
                    "'%(name)s' is not a YAML file. Export a framework from Tandem to see the "
                    "format, edit it, and upload the .yaml file."
                )
                % {"name": upload.name}
            )
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than 1 MB; a framework is far smaller.")
            )
        return upload


class FrameworkTextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Framework (YAML)"),
        max_length=MAX_FILE_BYTES,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "true"}),
        help_text=gettext_lazy(
            "Edit the words, add or remove criteria, themes or levels. "
            "Publishing checks everything first and keeps every earlier version."
        ),
    )


class PlacementForm(forms.Form):
    track = forms.ChoiceField(label=pgettext_lazy("career track", "Track"))
    level = forms.TypedChoiceField(label=gettext_lazy("Level"), coerce=int)
    since = forms.DateField(
        label=gettext_lazy("Since"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, tracks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["track"]).choices = [(t.key, t.name) for t in tracks]
        numbers = sorted({lv.number for t in tracks for lv in t.levels.all()})
        cast(forms.ChoiceField, self.fields["level"]).choices = [
            (n, gettext("Level %(number)s") % {"number": n}) for n in numbers
        ]


class EvidenceForm(forms.Form):
    what = forms.CharField(
        label=gettext_lazy("What did you do?"),
        max_length=300,
        help_text=gettext_lazy(
            "One accomplishment, in a sentence: what you did and what came of it."
        ),
    )
    happened_on = forms.DateField(
        label=gettext_lazy("When"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    link = forms.URLField(
        label=gettext_lazy("Link (optional)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("A document, pull request, talk or anything that shows it."),
    )
    details = forms.CharField(
        label=gettext_lazy("More detail (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    criteria = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Which criteria does it show?"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Your level and the next one come first; any level of any track can be chosen."
        ),
    )

    def __init__(self, *args: Any, criteria_choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["criteria"]).choices = criteria_choices
        self._groups = criteria_choices

    def clean_happened_on(self) -> Any:
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                gettext("That date is in the future; log things once they happen.")
            )
        return day

    def criteria_groups(self) -> list[tuple[str, list[Any]]]:
        """The criteria checkboxes split by level, for one fieldset per level."""
        boxes = iter(self["criteria"].subwidgets)
        return [(label, [next(boxes) for _ in options]) for label, options in self._groups]

    def plain_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name != "criteria"]


class EndorseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("A word on it (optional)"), max_length=300, required=False
    )


class QuarterSummaryForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your quarter in a few lines"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=gettext_lazy(
            "What you did, what you learned, what you are proud of, what you want next."
        ),
    )


class MotivationForm(forms.Form):
    """One radio question per item of the instrument's self sections, in its own words."""

    def __init__(self, *args: Any, sections: Any, labels: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = []
        for section in sections:
            names = []
            scale = labels[section.response_scale]
            for sub in section.subscales:
                for item in sub.items:
                    self.fields[item.id] = forms.TypedChoiceField(
                        label=item.self_text,
                        coerce=int,
                        choices=[(scale.minimum + i, text) for i, text in enumerate(scale.labels)],
                        widget=forms.RadioSelect,
                    )
                    names.append(item.id)
            self.sections.append((section, [self[name] for name in names]))


class CaseOpenForm(forms.Form):
    target_level = forms.TypedChoiceField(label=gettext_lazy("Target level"), coerce=int)

    def __init__(self, *args: Any, levels: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[int, str]]] = {}
        for level in levels:
            groups.setdefault(level.track.name, []).append(
                (
                    level.pk,
                    gettext("Level %(number)s: %(title)s")
                    % {"number": level.number, "title": level.title},
                )
            )
        cast(forms.ChoiceField, self.fields["target_level"]).choices = list(groups.items())


class ArgumentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("The case for this criterion"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=gettext_lazy(
            "Say how the candidate meets it, in plain words, and link the evidence below."
        ),
    )
    evidence = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Evidence that shows it"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, evidence: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["evidence"]).choices = [
            (
                e.pk,
                gettext("%(what)s (%(day)s)")
                % {"what": e.what, "day": date_format(e.happened_on, "d M Y")},
            )
            for e in evidence
        ]


class PeerForm(forms.Form):
    peer = PersonPickField(
        queryset=Person.objects.none(),
        label=gettext_lazy("Ask a colleague for input"),
        help_text=gettext_lazy("Type a few letters of their name, then choose them."),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["peer"]).queryset = people  # type: ignore[type-arg]


class PeerInputForm(forms.Form):
    criterion = forms.TypedChoiceField(
        label=gettext_lazy("About"), coerce=int, required=False, empty_value=None
    )
    text = forms.CharField(
        label=gettext_lazy("Your input"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["criterion"]).choices = [
            ("", gettext("The case as a whole"))
        ] + [(c.pk, c.text) for c in criteria]


VERDICTS = [
    ("met", pgettext_lazy("criterion verdict", "Met")),
    ("partly", pgettext_lazy("criterion verdict", "Partly met")),
    ("not_yet", pgettext_lazy("criterion verdict", "Not yet")),
]
OUTCOMES = [
    ("promoted", gettext_lazy("Approved: moves to the target level")),
    ("not_yet", pgettext_lazy("promotion case outcome", "Not yet")),
]


class DecideForm(forms.Form):
    """A verdict and a reason for every criterion, then the outcome and its reason."""

    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criterion_fields = []
        for row in rows:
            pk = row.criterion.pk
            self.fields[f"verdict_{pk}"] = forms.ChoiceField(
                label=gettext("Decision"),
                choices=VERDICTS,
                initial=row.readiness.status,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{pk}"] = forms.CharField(
                label=gettext("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
            )
            self.criterion_fields.append((row, self[f"verdict_{pk}"], self[f"reason_{pk}"]))
        self.fields["outcome"] = forms.ChoiceField(
            label=gettext("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect
        )
        self.fields["outcome_reason"] = forms.CharField(
            label=gettext("Reason for the outcome"),
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=4000,
            help_text=gettext("The candidate reads this, with every reason above."),
        )


class DemographicsForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Demographic fields (CSV)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=MAX_FILE_BYTES,
        help_text=gettext_lazy(
            "First row: employee_id, then one column per field (for example gender, "
            "age_band). Only the people team ever sees these."
        ),
    )
