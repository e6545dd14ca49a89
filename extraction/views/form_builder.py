"""The lead builds the review's extraction form: sections, fields, who resolves differences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from extraction import services
from extraction.forms import FieldForm, ResolverForm, SectionForm
from extraction.models import FormField
from extraction.selectors import form_sections
from extraction.services.consensus import RESOLVER_ADJUDICATOR, RESOLVER_SETTING
from reviewapp.models import Role
from reviewapp.selectors import review_for_member
from reviewapp.services import review_setting, review_update_settings


def _page(request, review, status=200, **forms) -> HttpResponse:
    resolver = review_setting(review, RESOLVER_SETTING, RESOLVER_ADJUDICATOR)
    context = {
        "review": review,
        "sections": form_sections(review),
        "section_form": forms.get("section_form") or SectionForm(),
        "field_form": forms.get("field_form") or FieldForm(review=review),
        "resolver_form": ResolverForm(initial={"resolver": resolver}),
    }
    return render(request, "extraction/form_builder.html", context, status=status)


@login_required
def form_builder(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD])
    return _page(request, review)


@login_required
@require_POST
def section_add(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD])
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.form_section_save(actor=request.user, review=review, **form.cleaned_data)
            return redirect("extraction:form_builder", slug=slug)
        except services.ExtractionError as exc:
            form.add_error("title", str(exc))
    return _page(request, review, status=422, section_form=form)


def _field_kwargs(form: FieldForm) -> dict:
    data = form.cleaned_data
    return {
        "section": data["section"],
        "key": data["key"],
        "label": data["label"],
        "kind": data["kind"],
        "help_text": data["help_text"],
        "required": data["required"],
        "choices": form.choice_list(),
        "choice_source": data["choice_source"] or "",
        "unit": data["unit"],
        "order": data["order"],
    }


@login_required
@require_POST
def field_add(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD])
    form = FieldForm(request.POST, review=review)
    if form.is_valid():
        try:
            services.form_field_save(actor=request.user, review=review, **_field_kwargs(form))
            messages.success(request, f"Field {form.cleaned_data['label']!r} added.")
            return redirect("extraction:form_builder", slug=slug)
        except services.ExtractionError as exc:
            form.add_error(None, str(exc))
    return _page(request, review, status=422, field_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def field_edit(request: HttpRequest, slug: str, field_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD])
    field = get_object_or_404(FormField, review=review, pk=field_id)
    initial = {
        "section": field.section,
        "label": field.label,
        "key": field.key,
        "kind": field.kind,
        "unit": field.unit,
        "help_text": field.help_text,
        "required": field.required,
        "choices": "\n".join(field.choices or []),
        "choice_source": field.choice_source,
        "order": field.order,
    }
    form = FieldForm(request.POST or None, initial=initial, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.form_field_save(
                actor=request.user, review=review, field=field, **_field_kwargs(form)
            )
            return redirect("extraction:form_builder", slug=slug)
        except services.ExtractionError as exc:
            form.add_error(None, str(exc))
    context = {"review": review, "form": form, "field": field}
    return render(request, "extraction/field_edit.html", context)


@login_required
@require_POST
def field_delete(request: HttpRequest, slug: str, field_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD])
    field = get_object_or_404(FormField, review=review, pk=field_id)
    services.form_field_delete(actor=request.user, field=field)
    messages.success(request, f"Field {field.label!r} removed.")
    return redirect("extraction:form_builder", slug=slug)


@login_required
@require_POST
def form_install(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD])
    added = services.form_install_protocol(actor=request.user, review=review)
    messages.success(request, f"Protocol form installed: {added} fields added.")
    return redirect("extraction:form_builder", slug=slug)


@login_required
@require_POST
def resolver_setting(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD])
    form = ResolverForm(request.POST)
    if form.is_valid():
        review_update_settings(
            actor=request.user,
            review=review,
            changes={RESOLVER_SETTING: form.cleaned_data["resolver"]},
        )
        messages.success(request, "Saved who resolves differences.")
    return redirect("extraction:form_builder", slug=slug)
