from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from tandem.people.records import ALL_FIELDS, FIELD_LABELS, FIELD_NAMES, REQUIRED_FIELDS

ACCEPTED_EXTENSIONS = (".csv", ".txt", ".xlsx")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HRIS export (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED_EXTENSIONS):
            raise forms.ValidationError(
                gettext(
                    "'%(filename)s' is not a CSV or XLSX file. Export the people list from your "
                    "HRIS as CSV or Excel (.xlsx) and upload that."
                )
                % {"filename": upload.name}
            )
        return upload


class MappingForm(forms.Form):
    """One select per Tandem field; choices are the file's own headers."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", gettext("(not in this file)"))] + [(h, h) for h in headers]
        for name in ALL_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=FIELD_LABELS[name],
                choices=choices,
                required=name in REQUIRED_FIELDS,
                error_messages={
                    "required": gettext("Choose the column that holds %(field)s.")
                    % {"field": FIELD_NAMES[name]}
                },
            )

    def mapping(self) -> dict[str, str | None]:
        return {name: (self.cleaned_data.get(name) or None) for name in ALL_FIELDS}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        used: dict[str, str] = {}
        for name in ALL_FIELDS:
            header = cleaned.get(name)
            if not header:
                continue
            if header in used:
                self.add_error(
                    name,
                    gettext("Column '%(header)s' is already used for %(field)s.")
                    % {"header": header, "field": FIELD_NAMES[used[header]]},
                )
            used[header] = name
        return cleaned
