"""Forms of the references pages."""

from __future__ import annotations

from django import forms
from django.conf import settings

from reviewapp.references.parsers import FORMATS
from reviewapp.references.parsers.csv_table import TARGETS
from reviewapp.references.services.imports import upload_refusal

PROTOCOL_DATABASES = [
    "CENTRAL (Cochrane Library)",
    "Ovid MEDLINE",
    "Embase",
    "PsycINFO",
    "Sociological Abstracts",
    "Social Sciences Citation Index",
    "ERIC",
    "metaRegister of Controlled Trials",
    "Reference lists",
    "Experts",
]


class UploadForm(forms.Form):
    database_name = forms.CharField(
        label="Database or other source",
        max_length=120,
        help_text="As it will appear in the PRISMA flow diagram, e.g. 'Ovid MEDLINE'.",
        widget=forms.TextInput(attrs={"list": "protocol-databases", "autocomplete": "off"}),
    )
    is_other_method = forms.BooleanField(
        label="Other method (reference lists, experts, hand-searched registers)", required=False
    )
    date_searched = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    search_strategy = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(
        help_text=f"RIS, PubMed (.nbib/.txt), EndNote XML, BibTeX, Web of Science (.ciw or "
        f"tab-delimited) or CSV; at most {settings.UPLOAD_MAX_MEGABYTES} MB."
    )
    file_format = forms.ChoiceField(choices=list(FORMATS.items()), initial="auto", label="Format")

    def clean_file(self):  # noqa: ANN201
        upload = self.cleaned_data["file"]
        refusal = upload_refusal(upload.size)
        if refusal is not None:
            raise forms.ValidationError(refusal)
        return upload


class MappingForm(forms.Form):
    """One select per record field, listing the CSV file's columns."""

    def __init__(self, *args, header: list[str], initial_mapping: dict[str, str], **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        choices = [("", "— not in this file —")] + [(h, h) for h in header]
        for target, label in TARGETS.items():
            self.fields[target] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=target == "title",
                initial=initial_mapping.get(target, ""),
            )


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search title, author, DOI, PMID or journal")
    show = forms.ChoiceField(
        required=False,
        choices=[
            ("all", "All records"),
            ("unique", "Unique records"),
            ("duplicates", "Merged duplicates"),
        ],
    )
