"""Pages of the analysis stage.

Access: leads set up comparisons and analyses and decide GRADE; every member of the review
may run the analyses (a computation from the agreed data, nothing to decide), view the
results and download plots, R scripts and SoF tables; non-members get 404.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import plotly.graph_objects as go
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from analysis import selectors
from analysis.forms import AnalysisOptionsForm, ComparisonForm, ExclusionForm, GradeDecisionForm
from analysis.inputs import characteristic_choices, rob_domains
from analysis.models import Analysis
from analysis.plots.forest import forest_figure
from analysis.plots.funnel import funnel_figure
from analysis.plots.subgroups import subgroup_figures
from analysis.rscript import r_script
from analysis.services import AnalysisError
from analysis.services.options import analysis_update, comparison_save, grade_decide
from analysis.services.proposal import analyses_propose, comparisons_install_defaults
from analysis.services.runs import analyses_run
from analysis.sof.exports import FORMATS, sof_export
from analysis.sof.table import sof_table
from reviewapp.figures import EXPORT_FORMATS, PlotExportError, figure_image
from reviewapp.models import Review, Role
from reviewapp.selectors import is_lead, review_for_member

LEAD = [Role.LEAD]


def _download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def index(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug)
    return render(
        request,
        "analysis/index.html",
        {
            "review": review,
            "is_lead": is_lead(request.user, review),
            "comparisons": selectors.comparisons_for_review(review),
            "analyses": _with_stale(review, selectors.analyses_for_review(review)),
            "job": selectors.latest_run_job(review),
        },
    )


def _with_stale(review: Review, analyses: Iterable[Analysis]) -> list[Analysis]:
    changed_at = selectors.data_changed_at(review)
    found = list(analyses)
    for analysis in found:
        analysis.stale = selectors.stale_reason(analysis, changed_at)
    return found


@login_required
@require_POST
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=LEAD)
    try:
        comparisons_install_defaults(actor=request.user, review=review)
        created = analyses_propose(actor=request.user, review=review)
        messages.success(request, f"{len(created)} analyses proposed from the consensus data.")
    except AnalysisError as exc:
        messages.error(request, str(exc))
    return redirect("analysis:index", slug=slug)


@login_required
@require_POST
def run(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug)
    try:
        job = analyses_run(actor=request.user, review=review)
    except AnalysisError as exc:
        messages.error(request, str(exc))
        return redirect("analysis:index", slug=slug)
    if request.htmx:
        return render(request, "reviewapp/job_status.html", {"review": review, "job": job})
    return redirect("analysis:index", slug=slug)


@login_required
def comparisons(request: HttpRequest, slug: str, comparison_id: int | None = None) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=LEAD)
    comparison = None
    if comparison_id is not None:
        comparison = selectors.comparison_for_review(review, comparison_id)
    form = ComparisonForm(request.POST or None, instance=comparison)
    form.fields["comparator_types"].queryset = review.comparator_types.all()
    if request.method == "POST" and form.is_valid():
        try:
            comparison_save(
                actor=request.user,
                review=review,
                comparison=comparison,
                name=form.cleaned_data["name"],
                intervention_label=form.cleaned_data["intervention_label"],
                comparator_label=form.cleaned_data["comparator_label"],
                comparator_type_ids=[t.pk for t in form.cleaned_data["comparator_types"]],
            )
            messages.success(request, "Comparison saved.")
            return redirect("analysis:comparisons", slug=slug)
        except AnalysisError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "analysis/comparisons.html",
        {
            "review": review,
            "form": form,
            "editing": comparison,
            "comparisons": selectors.comparisons_for_review(review),
        },
    )


# Study labels come from imported records: a "</script>" in one must not end the data block.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _script_json(data: object) -> str:
    """Return JSON that is safe inside <script type="application/json"> (as json_script does)."""
    return json.dumps(data).translate(_SCRIPT_ESCAPES)


def _detail_context(review: Review, analysis: Analysis, user: AbstractBaseUser) -> dict:
    run_ = analysis.current_run
    context = {
        "stale": selectors.stale_reason(analysis, selectors.data_changed_at(review)),
        "review": review,
        "analysis": analysis,
        "run": run_,
        "is_lead": is_lead(user, review),
    }
    if run_ is not None and run_.status == "ok":
        models = ["random", "fixed"] if run_.result.get("show_both") else [run_.result["presented"]]
        context["figures"] = [(m, _script_json(forest_figure(analysis, run_, m))) for m in models]
        funnel = funnel_figure(run_, run_.result["presented"])
        context["funnel"] = _script_json(funnel) if funnel else None
        context["subgroup_figures"] = [
            (key, title, _script_json(figure))
            for key, title, figure in subgroup_figures(analysis, run_)
        ]
        context["result"] = run_.result
        context["main"] = run_.result[run_.result["presented"]]
    return context


@login_required
def detail(request: HttpRequest, slug: str, analysis_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug)
    analysis = selectors.analysis_for_review(review, analysis_id)
    context = _detail_context(review, analysis, request.user)
    studies = [(str(s["study_id"]), s["study"]) for s in _all_studies(analysis)]
    options = AnalysisOptionsForm(
        request.POST or None,
        instance=analysis,
        rob_domains=rob_domains(review),
        characteristics=characteristic_choices(review),
    )
    exclusions = ExclusionForm(
        request.POST or None, studies=studies, initial_reasons=analysis.excluded_studies or {}
    )
    if request.method == "POST":
        review_for_member(request.user, slug, roles=LEAD)
        if options.is_valid() and exclusions.is_valid():
            try:
                analysis_update(
                    actor=request.user,
                    analysis=analysis,
                    options={f: options.cleaned_data[f] for f in options.Meta.fields},
                    excluded_studies=exclusions.reasons(),
                )
                messages.success(request, "Saved. Run the analyses to update the results.")
                return redirect("analysis:detail", slug=slug, analysis_id=analysis.pk)
            except AnalysisError as exc:
                options.add_error(None, str(exc))
    return render(
        request, "analysis/detail.html", {**context, "options": options, "exclusions": exclusions}
    )


def _all_studies(analysis: Analysis) -> list[dict]:
    run_ = analysis.current_run
    if run_ is None:
        return []
    snap = run_.input_snapshot
    return snap["studies"] + snap.get("excluded", [])


@login_required
@require_GET
def plot_download(
    request: HttpRequest, slug: str, analysis_id: int, kind: str, model: str, fmt: str
) -> HttpResponse:
    review = review_for_member(request.user, slug)
    analysis = selectors.analysis_for_review(review, analysis_id)
    run_ = analysis.current_run
    if (
        run_ is None
        or run_.status != "ok"
        or model not in ("random", "fixed")
        or kind not in ("forest", "funnel")
        or fmt not in EXPORT_FORMATS
    ):
        raise Http404("No plot for this analysis yet.")
    figure = (
        forest_figure(analysis, run_, model) if kind == "forest" else funnel_figure(run_, model)
    )
    if figure is None:
        raise Http404("A funnel plot needs more than ten studies.")
    try:
        image = figure_image(go.Figure(figure), fmt)
    except PlotExportError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return _download(image, f"{kind}-{analysis.pk}-{model}.{fmt}", EXPORT_FORMATS[fmt])


@login_required
@require_GET
def rscript(request: HttpRequest, slug: str, analysis_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug)
    analysis = selectors.analysis_for_review(review, analysis_id)
    if analysis.current_run is None or analysis.current_run.status != "ok":
        raise Http404("Run the analysis first.")
    return _download(
        r_script(analysis, analysis.current_run),
        f"analysis-{analysis.pk}.R",
        "text/x-r; charset=utf-8",
    )


@login_required
def sof(request: HttpRequest, slug: str, comparison_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug)
    comparison = selectors.comparison_for_review(review, comparison_id)
    if request.method == "POST":
        review_for_member(request.user, slug, roles=LEAD)
        analysis = selectors.analysis_for_review(review, int(request.POST.get("analysis", 0) or 0))
        form = GradeDecisionForm(request.POST)
        if form.is_valid():
            try:
                grade_decide(actor=request.user, analysis=analysis, **form.cleaned_data)
                messages.success(request, "GRADE decision saved.")
            except AnalysisError as exc:
                messages.error(request, str(exc))
        else:
            messages.error(request, "Choose a downgrade of 0, 1 or 2 levels.")
        return redirect("analysis:sof", slug=slug, comparison_id=comparison.pk)
    return render(
        request,
        "analysis/sof.html",
        {
            "review": review,
            "table": sof_table(comparison),
            "is_lead": is_lead(request.user, review),
            "formats": FORMATS,
        },
    )


@login_required
@require_GET
def sof_download(
    request: HttpRequest, slug: str, fmt: str, comparison_id: int | None = None
) -> HttpResponse:
    review = review_for_member(request.user, slug)
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    if comparison_id is None:
        tables, name = selectors.sof_tables(review), f"sof-{review.slug}"
    else:
        tables = [sof_table(selectors.comparison_for_review(review, comparison_id))]
        name = f"sof-{review.slug}-{comparison_id}"
    return _download(
        sof_export(tables, fmt, f"Summary of findings: {review.title}"),
        f"{name}.{fmt}",
        FORMATS[fmt],
    )
