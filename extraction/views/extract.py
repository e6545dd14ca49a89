"""An extractor's own extraction of a study: answers (autosaved), arms, comparisons, numbers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from extraction import services
from extraction.forms import ArmForm, CharacteristicsForm, ComparisonForm, ResultForm
from extraction.models import Extraction, FormField
from extraction.selectors import both_submitted
from extraction.values import display
from extraction.views.common import my_extraction


def _forms(review, extraction, data=None, **bound):
    arms = extraction.arms.all()
    form_fields = list(FormField.objects.filter(review=review).select_related("section", "review"))
    return {
        "characteristics": CharacteristicsForm(
            form_fields=form_fields, answers=extraction.answers, prefix="f"
        ),
        "arm_form": bound.get("arm_form") or ArmForm(prefix="arm"),
        "comparison_form": bound.get("comparison_form") or ComparisonForm(arms=arms, prefix="cmp"),
        "result_form": bound.get("result_form")
        or ResultForm(arms=arms, review=review, prefix="res"),
    }


def _page(request, review, study, extraction, status=200, **bound) -> HttpResponse:
    context = {
        "review": review,
        "study": study,
        "extraction": extraction,
        "is_draft": extraction.status == Extraction.Status.DRAFT,
        "comparison_open": both_submitted(study),
        "answers_display": [
            (f.label, display(extraction.answers.get(f.key)))
            for f in FormField.objects.filter(review=review).select_related("section")
        ],
        "arms": extraction.arms.all(),
        "comparisons": extraction.comparisons.prefetch_related("roles__arm"),
        "results": extraction.results.select_related("arm", "measure", "time_point"),
        **_forms(review, extraction, **bound),
    }
    return render(request, "extraction/extract.html", context, status=status)


@login_required
def extraction_edit(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review, study, extraction = my_extraction(request, slug, study_id)
    return _page(request, review, study, extraction)


@login_required
@require_POST
def extraction_autosave(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review, study, extraction = my_extraction(request, slug, study_id)
    form_fields = list(FormField.objects.filter(review=review).select_related("section", "review"))
    form = CharacteristicsForm(
        request.POST, form_fields=form_fields, answers=extraction.answers, prefix="f"
    )
    error = ""
    try:
        services.extraction_save_answers(
            actor=request.user, extraction=extraction, answers=form.valid_answers()
        )
    except services.ExtractionError as exc:
        error = str(exc)
    field_errors = [(f.key, form.errors.get(f.key, [])) for f in form_fields]
    context = {"form": form, "field_errors": field_errors, "error": error}
    if request.htmx:
        return render(request, "extraction/_autosave_status.html", context)
    if form.errors or error:
        messages.error(request, error or "Some answers were not saved: see the marked fields.")
    else:
        messages.success(request, "Draft saved.")
    return redirect("extraction:extract", slug=slug, study_id=study_id)


@login_required
@require_POST
def arm_add(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review, study, extraction = my_extraction(request, slug, study_id)
    form = ArmForm(request.POST, prefix="arm")
    if form.is_valid():
        try:
            services.arm_save(actor=request.user, extraction=extraction, **form.cleaned_data)
            return redirect("extraction:extract", slug=slug, study_id=study_id)
        except services.ExtractionFieldErrors as exc:
            for name, message in exc.errors.items():
                form.add_error(name, message)
        except services.ExtractionError as exc:
            form.add_error(None, str(exc))
    return _page(request, review, study, extraction, status=422, arm_form=form)


@login_required
@require_POST
def arm_remove(request: HttpRequest, slug: str, study_id: int, arm_id: int) -> HttpResponse:
    _review, _study, extraction = my_extraction(request, slug, study_id)
    arm = get_object_or_404(extraction.arms, pk=arm_id)
    try:
        services.arm_delete(actor=request.user, arm=arm)
    except services.ExtractionError as exc:
        messages.error(request, str(exc))
    return redirect("extraction:extract", slug=slug, study_id=study_id)


@login_required
@require_POST
def comparison_add(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review, study, extraction = my_extraction(request, slug, study_id)
    form = ComparisonForm(request.POST, arms=extraction.arms.all(), prefix="cmp")
    if form.is_valid():
        try:
            services.comparison_save(
                actor=request.user,
                extraction=extraction,
                label=form.cleaned_data["label"],
                intervention=list(form.cleaned_data["intervention"]),
                control=list(form.cleaned_data["control"]),
            )
            return redirect("extraction:extract", slug=slug, study_id=study_id)
        except services.ExtractionError as exc:
            form.add_error(None, str(exc))
    return _page(request, review, study, extraction, status=422, comparison_form=form)


@login_required
@require_POST
def comparison_remove(
    request: HttpRequest, slug: str, study_id: int, comparison_id: int
) -> HttpResponse:
    _review, _study, extraction = my_extraction(request, slug, study_id)
    comparison = get_object_or_404(extraction.comparisons, pk=comparison_id)
    try:
        services.comparison_delete(actor=request.user, comparison=comparison)
    except services.ExtractionError as exc:
        messages.error(request, str(exc))
    return redirect("extraction:extract", slug=slug, study_id=study_id)


def _save_result(request, review, extraction, form, result=None) -> bool:
    """Save the bound result form through the service; put broken rules at their fields."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.result_save(
            actor=request.user,
            extraction=extraction,
            arm=data["arm"],
            measure=data["measure"],
            time_point=data["time_point"],
            data_type=data["data_type"],
            change_or_final=data["change_or_final"],
            higher_is_better=data["higher_is_better"],
            numbers=form.numbers(),
            sources=form.sources(),
            result=result,
        )
    except services.ExtractionFieldErrors as exc:
        for name, message in exc.errors.items():
            form.add_error(name if name in form.fields else None, message)
        return False
    except services.ExtractionError as exc:
        form.add_error(None, str(exc))
        return False
    return True


@login_required
@require_POST
def result_add(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review, study, extraction = my_extraction(request, slug, study_id)
    form = ResultForm(request.POST, arms=extraction.arms.all(), review=review, prefix="res")
    if _save_result(request, review, extraction, form):
        messages.success(request, "Outcome numbers saved.")
        return redirect("extraction:extract", slug=slug, study_id=study_id)
    return _page(request, review, study, extraction, status=422, result_form=form)


@login_required
def result_edit(request: HttpRequest, slug: str, study_id: int, result_id: int) -> HttpResponse:
    review, study, extraction = my_extraction(request, slug, study_id)
    result = get_object_or_404(extraction.results, pk=result_id)
    initial = {
        "arm": result.arm,
        "measure": result.measure,
        "time_point": result.time_point,
        "data_type": result.data_type,
        "change_or_final": result.change_or_final,
        "higher_is_better": {True: "yes", False: "no"}.get(result.higher_is_better, ""),
    }
    for name in ["mean", "sd", "se", "ci_lower", "ci_upper", "t_value", "n", "events"]:
        value = getattr(result, name)
        initial[name] = (
            "NR" if name in result.not_reported else ("" if value is None else f"{value:g}")
        )
        initial["src_" + name] = (result.sources or {}).get(name, "")
    form = ResultForm(
        request.POST or None,
        initial=initial,
        arms=extraction.arms.all(),
        review=review,
        prefix="res",
    )
    if request.method == "POST" and _save_result(request, review, extraction, form, result):
        messages.success(request, "Outcome numbers saved.")
        return redirect("extraction:extract", slug=slug, study_id=study_id)
    context = {
        "review": review,
        "study": study,
        "extraction": extraction,
        "form": form,
        "result": result,
    }
    status = 422 if form.errors else 200
    return render(request, "extraction/result_edit.html", context, status=status)


@login_required
@require_POST
def result_remove(request: HttpRequest, slug: str, study_id: int, result_id: int) -> HttpResponse:
    _review, _study, extraction = my_extraction(request, slug, study_id)
    result = get_object_or_404(extraction.results, pk=result_id)
    try:
        services.result_delete(actor=request.user, result=result)
    except services.ExtractionError as exc:
        messages.error(request, str(exc))
    return redirect("extraction:extract", slug=slug, study_id=study_id)


@login_required
@require_POST
def extraction_submit(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    _review, _study, extraction = my_extraction(request, slug, study_id)
    try:
        services.extraction_submit(actor=request.user, extraction=extraction)
        messages.success(request, "Extraction submitted.")
    except services.ExtractionError as exc:
        messages.error(request, str(exc))
    return redirect("extraction:extract", slug=slug, study_id=study_id)
