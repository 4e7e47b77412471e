from __future__ import annotations

from typing import Any

from django import forms

from tandem.careers.frameworkfile import MAX_FILE_BYTES


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label="Framework file (YAML)",
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(
                f"'{upload.name}' is not a YAML file. Export a framework from Tandem to see "
                "the format, edit it, and upload the .yaml file."
            )
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB; a framework is far smaller.")
        return upload


class FrameworkTextForm(forms.Form):
    text = forms.CharField(
        label="Framework (YAML)",
        max_length=MAX_FILE_BYTES,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "true"}),
        help_text="Edit the words, add or remove criteria, themes or levels. "
        "Publishing checks everything first and keeps every earlier version.",
    )
