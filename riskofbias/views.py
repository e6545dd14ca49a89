"""Pages of the risk-of-bias stage: thin views over the selectors and services."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviewapp.models import Role
from reviewapp.selectors import review_for_member, review_members, roles_in_review
from riskofbias import exports, plots, selectors, services
from riskofbias.errors import RobError
from riskofbias.forms import (
    AssessmentForm,
    AssessorsForm,
    ContactForm,
    ResolveForm,
    RobSettingsForm,
)

ADJUDICATORS = [Role.ADJUDICATOR, Role.LEAD]
NOT_YOURS = "No such assessment, or it is not yours to see."
BOTH_IN = (
    "{study}: both assessments are in. Where they agree, the judgement became the consensus "
    "automatically; the adjudicator resolves the differences."
)


def _ready(request: HttpRequest, slug: str, roles: list[str] | None = None):
    """Return the review, with the default tool and assessors in place."""
    review = review_for_member(request.user, slug, roles=roles)
    if selectors.tool_for_review(review) is None:
        services.tool_install_default(actor=request.user, review=review)
    return review


@login_required
@require_GET
def rob_index(request: HttpRequest, slug: str) -> HttpResponse:
    review = _ready(request, slug)
    services.assessors_assign_defaults(actor=request.user, review=review)
    return render(
        request,
        "riskofbias/index.html",
        {
            "review": review,
            "roles": roles_in_review(request.user, review),
            "progress": selectors.progress_by_study(review, request.user),
            "rule": selectors.overall_rule(review),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rob_assess(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review = _ready(request, slug)
    study = selectors.study_for_review(review, study_id)
    assignment = selectors.assignment_of(study, request.user)
    if assignment is None:
        raise Http404(NOT_YOURS)
    cells = selectors.cells_for_review(review)
    form = AssessmentForm(
        request.POST or None,
        cells=cells,
        levels=selectors.tool_for_review(review).levels,
        study_label=study.label,
        initial=AssessmentForm.initial_from(cells, selectors.own_judgements(assignment)),
    )
    if request.method == "POST" and form.is_valid():
        complete = "complete" in request.POST
        try:
            services.judgements_save(
                actor=request.user,
                review=review,
                study_id=study.pk,
                entries=form.entries(),
                complete=complete,
            )
        except RobError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"{study}: assessment {'handed in' if complete else 'saved'}."
            )
            if complete and selectors.progress_of(review, study).assessed_twice:
                messages.info(request, BOTH_IN.format(study=study))
            return redirect("riskofbias:assess", slug=slug, study_id=study.pk)
    context = {
        "review": review,
        "study": study,
        "assignment": assignment,
        "form": form,
        "contact_url": selectors.author_contact_url(review, study),
    }
    return render(request, "riskofbias/assess.html", context)


@login_required
@require_POST
def rob_reopen(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug)
    try:
        services.assessment_reopen(actor=request.user, review=review, study_id=study_id)
    except RobError as exc:
        messages.error(request, str(exc))
    return redirect("riskofbias:assess", slug=slug, study_id=study_id)


@login_required
@require_GET
def rob_consensus(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review = _ready(request, slug, roles=ADJUDICATORS)
    study = selectors.study_for_review(review, study_id)
    if not selectors.can_adjudicate(request.user, review, study):
        raise Http404(NOT_YOURS)
    return render(request, "riskofbias/consensus.html", _consensus_context(review, study))


def _consensus_context(review, study, failed: ResolveForm | None = None) -> dict:
    levels = selectors.tool_for_review(review).levels
    rows = []
    for row in selectors.comparison(review, study):
        key = {"domain_id": row.cell.domain.pk, "outcome_group_id": row.cell.key[1]}
        form = failed if failed is not None and _same_cell(failed, row) else None
        rows.append(
            (row, form or ResolveForm(levels=levels, initial=key, prefix=row.cell.field_prefix))
        )
    progress = selectors.progress_of(review, study)
    return {
        "review": review,
        "study": study,
        "rows": rows,
        "progress": progress,
        "differences": [r for r, _ in rows if not r.agree],
        "contact_url": selectors.author_contact_url(review, study),
    }


def _same_cell(form: ResolveForm, row) -> bool:
    return form.prefix == row.cell.field_prefix


@login_required
@require_POST
def rob_resolve(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review = _ready(request, slug, roles=ADJUDICATORS)
    study = selectors.study_for_review(review, study_id)
    if not selectors.can_adjudicate(request.user, review, study):
        raise Http404(NOT_YOURS)
    prefix = request.POST.get("prefix", "")
    form = ResolveForm(request.POST, levels=selectors.tool_for_review(review).levels, prefix=prefix)
    if form.is_valid():
        entry = form.entry()
        try:
            services.consensus_resolve(
                actor=request.user, review=review, study_id=study.pk, **asdict(entry)
            )
        except RobError as exc:
            form.add_error(None, str(exc))
        else:
            if request.htmx:
                return _resolved_row(request, review, study, prefix)
            messages.success(request, f"{study}: consensus recorded.")
            return redirect("riskofbias:consensus", slug=slug, study_id=study.pk)
    if request.htmx:
        # htmx swaps only 2xx answers; the row carries the error next to the field
        return _resolved_row(request, review, study, prefix, failed=form)
    context = _consensus_context(review, study, failed=form)
    return render(request, "riskofbias/consensus.html", context, status=400)


def _resolved_row(request, review, study, prefix: str, failed: ResolveForm | None = None):
    """Render the one cell that changed, and the status line out of band."""
    context = _consensus_context(review, study, failed=failed)
    matches = [(row, form) for row, form in context["rows"] if row.cell.field_prefix == prefix]
    if not matches:
        raise Http404("No such domain in this tool.")
    row, form = matches[0]
    context.update({"row": row, "form": form, "oob": True})
    return render(request, "riskofbias/_resolved_row.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rob_assessors(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review = _ready(request, slug, roles=[Role.LEAD])
    study = selectors.study_for_review(review, study_id)
    current = list(study.rob_assignments.values_list("assessor_id", flat=True))
    form = AssessorsForm(
        request.POST or None, members=review_members(review), initial={"assessors": current}
    )
    if request.method == "POST" and form.is_valid():
        ids = [u.pk for u in form.cleaned_data["assessors"]]
        try:
            services.assessors_assign(
                actor=request.user, review=review, study_id=study.pk, assessor_ids=ids
            )
        except RobError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{study}: assessors saved.")
            return redirect("riskofbias:index", slug=slug)
    return render(
        request, "riskofbias/assessors.html", {"review": review, "study": study, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def rob_settings(request: HttpRequest, slug: str) -> HttpResponse:
    review = _ready(request, slug, roles=[Role.LEAD])
    initial = {
        "rule": selectors.overall_rule(review).code,
        "key_domains": selectors.key_domain_keys(review),
        "outcome_groups": "\n".join(g.name for g in selectors.outcome_groups(review)),
    }
    domains = selectors.tool_for_review(review).domains.all()
    form = RobSettingsForm(request.POST or None, domains=domains, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rob_settings_update(
                actor=request.user,
                review=review,
                rule=form.cleaned_data["rule"],
                key_domains=form.cleaned_data["key_domains"],
                outcome_group_names=form.cleaned_data["outcome_groups"].splitlines(),
            )
        except RobError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Risk-of-bias settings saved.")
            return redirect("riskofbias:index", slug=slug)
    return render(request, "riskofbias/settings.html", {"review": review, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def rob_contact(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug)
    study = selectors.study_for_review(review, study_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.author_contact_request(
                actor=request.user, review=review, study_id=study.pk, **form.cleaned_data
            )
        except RobError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{study}: request to the investigators logged.")
            return redirect("riskofbias:contact_investigators", slug=slug, study_id=study.pk)
    contacts = study.author_contacts.all()
    context = {"review": review, "study": study, "form": form, "contacts": contacts}
    return render(request, "riskofbias/contact.html", context)


@login_required
@require_GET
def rob_table(request: HttpRequest, slug: str) -> HttpResponse:
    review = _ready(request, slug)
    context = {
        "review": review,
        "tables": selectors.rob_tables(review),
        "rule": selectors.overall_rule(review),
    }
    return render(request, "riskofbias/table.html", context)


@login_required
@require_GET
def rob_table_csv(request: HttpRequest, slug: str) -> HttpResponse:
    review = _ready(request, slug)
    response = HttpResponse(exports.rob_csv(review), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-risk-of-bias.csv"'
    return response


@login_required
@require_GET
def rob_table_docx(request: HttpRequest, slug: str) -> HttpResponse:
    review = _ready(request, slug)
    response = HttpResponse(
        exports.rob_docx(review),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-risk-of-bias.docx"'
    return response


FIGURES = {"traffic-light": plots.traffic_light_figure, "summary": plots.summary_figure}


@login_required
@require_GET
def rob_plots(request: HttpRequest, slug: str) -> HttpResponse:
    review = _ready(request, slug)
    data = exports.plot_data(review)
    context = {
        "review": review,
        "data": data,
        "rule": selectors.overall_rule(review),
        "traffic_light": plots.figure_json(plots.traffic_light_figure(data)) if data.rows else None,
        "summary": plots.figure_json(plots.summary_figure(data)) if data.rows else None,
    }
    return render(request, "riskofbias/plots.html", context)


@login_required
@require_GET
def rob_plot_download(request: HttpRequest, slug: str, kind: str, fmt: str) -> HttpResponse:
    review = _ready(request, slug)
    if kind not in FIGURES or fmt not in ("svg", "png"):
        raise Http404("No such plot.")
    figure = FIGURES[kind](exports.plot_data(review))
    try:
        image = plots.figure_image(figure, fmt)
    except plots.PlotExportError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    content_type = "image/svg+xml" if fmt == "svg" else "image/png"
    response = HttpResponse(image, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}-rob-{kind}.{fmt}"'
    return response
