"""The side-by-side comparison of two submitted extractions, and resolving its differences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from extraction import services
from extraction.forms import ResolveForm
from extraction.selectors import comparison_rows, consensus_of
from extraction.services import ExtractionError
from extraction.views.common import ALL_ROLES, study_for


def _context(review, study, user, error_key="", error=""):
    a, b, rows = comparison_rows(study)
    return {
        "review": review,
        "study": study,
        "a": a,
        "b": b,
        "rows": rows,
        "consensus": consensus_of(study),
        "may_resolve": services.may_resolve(user, study),
        "differences": sum(r.needs_resolution for r in rows),
        "unresolved": sum(r.needs_resolution and r.resolution is None for r in rows),
        "error_key": error_key,
        "error": error,
    }


@login_required
def comparison_view(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review, study = study_for(request, slug, study_id, roles=ALL_ROLES)
    try:
        context = _context(review, study, request.user)
    except ExtractionError as exc:
        messages.info(request, str(exc))
        return redirect("extraction:study_list", slug=slug)
    return render(request, "extraction/compare.html", context)


@login_required
@require_POST
def consensus_resolve(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review, study = study_for(request, slug, study_id, roles=ALL_ROLES)
    data = request.POST.copy()
    if not data.get("choice") and data.get("value"):
        data["choice"] = "edit"  # typed a value without ticking "Edit" (no JavaScript)
    form = ResolveForm(data)
    key, error = request.POST.get("key", ""), ""
    if form.is_valid():
        try:
            services.consensus_resolve(actor=request.user, study=study, **form.cleaned_data)
        except ExtractionError as exc:
            error = str(exc)
    else:
        error = "Choose A, B or type an edited value."
    if request.htmx:
        context = _context(review, study, request.user, error_key=key, error=error)
        context["row"] = next((r for r in context["rows"] if r.key == key), None)
        return render(request, "extraction/_compare_row.html", context)
    if error:
        messages.error(request, error)
    return redirect("extraction:compare", slug=slug, study_id=study_id)
