"""The study list, grouping reports into studies, extractors, author contacts, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from extraction import exports, services
from extraction.forms import AssignForm, AuthorContactForm, GroupForm
from extraction.selectors import author_contacts, study_lines, ungrouped_reports
from extraction.views.common import ALL_ROLES, study_for
from reviewapp.models import Role
from reviewapp.selectors import review_for_member, review_members, roles_in_review


@login_required
def study_list(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug)
    context = {
        "review": review,
        "lines": study_lines(review, request.user),
        "roles": roles_in_review(request.user, review),
        "reviewers": review_members(review, Role.REVIEWER),
    }
    return render(request, "extraction/study_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def study_group(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD])
    if request.POST.get("action") == "all":
        return _one_study_per_report(request, review)
    form = GroupForm(request.POST or None, records=ungrouped_reports(review))
    if request.method == "POST" and form.is_valid():
        records = list(form.cleaned_data["records"])
        try:
            if request.POST.get("action") == "each":
                for record in records:
                    services.study_create_from_records(
                        actor=request.user, review=review, records=[record]
                    )
            else:
                services.study_create_from_records(
                    actor=request.user,
                    review=review,
                    records=records,
                    label=form.cleaned_data["label"],
                )
            messages.success(request, "Studies created.")
            return redirect("extraction:study_group", slug=slug)
        except services.ExtractionError as exc:
            form.add_error(None, str(exc))
    return render(request, "extraction/study_group.html", {"review": review, "form": form})


def _one_study_per_report(request: HttpRequest, review) -> HttpResponse:
    """Make the default grouping: one study for each included report not yet in a study."""
    made = 0
    for record in ungrouped_reports(review):
        try:
            services.study_create_from_records(actor=request.user, review=review, records=[record])
            made += 1
        except services.ExtractionError as exc:
            messages.error(request, str(exc))
    messages.success(request, f"{made} stud{'y' if made == 1 else 'ies'} created.")
    return redirect("extraction:study_group", slug=review.slug)


@login_required
@require_POST
def study_extractors(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review, study = study_for(request, slug, study_id, roles=[Role.LEAD])
    form = AssignForm(request.POST, reviewers=review_members(review, Role.REVIEWER))
    try:
        users = list(form.cleaned_data["extractors"]) if form.is_valid() else []
        services.study_assign_extractors(actor=request.user, study=study, users=users)
        messages.success(request, f"Extractors of {study.label} saved.")
    except services.ExtractionError as exc:
        messages.error(request, f"{study.label}: {exc}")
    return redirect("extraction:study_list", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def author_contact_list(request: HttpRequest, slug: str, study_id: int) -> HttpResponse:
    review, study = study_for(request, slug, study_id, roles=ALL_ROLES)
    editing = None
    if request.GET.get("edit"):
        editing = get_object_or_404(study.author_contacts, pk=request.GET["edit"])
    form = AuthorContactForm(request.POST or None, instance=editing)
    if request.method == "POST" and form.is_valid():
        try:
            services.author_contact_record(
                actor=request.user, study=study, contact=editing, **form.cleaned_data
            )
            messages.success(request, "Author contact saved.")
            return redirect("extraction:author_contacts", slug=slug, study_id=study.pk)
        except services.ExtractionError as exc:
            form.add_error(None, str(exc))
    context = {
        "review": review,
        "study": study,
        "contacts": author_contacts(study),
        "form": form,
        "editing": editing,
    }
    return render(request, "extraction/author_contacts.html", context)


@login_required
def export_consensus(request: HttpRequest, slug: str, what: str, fmt: str) -> HttpResponse:
    review = review_for_member(request.user, slug)
    return exports.export_response(review, what=what, fmt=fmt)
