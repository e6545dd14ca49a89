from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reviewapp import selectors
from reviewapp.dashboard import dashboard_panels
from reviewapp.forms import VOCABULARY_KINDS, vocabulary_formset_class
from reviewapp.models import Role
from reviewapp.services import vocabulary_save


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = selectors.reviews_for_user(request.user)
    return render(request, "reviewapp/review_list.html", {"reviews": reviews})


@login_required
def review_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    review = selectors.review_for_member(request.user, slug)
    return render(
        request,
        "reviewapp/review_dashboard.html",
        {
            "review": review,
            "roles": selectors.roles_in_review(request.user, review),
            "panels": dashboard_panels(review, request.user),
            "members": review.memberships.select_related("user"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def vocabulary_edit(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    review = selectors.review_for_member(request.user, slug, roles=[Role.LEAD])
    model = VOCABULARY_KINDS.get(kind)
    if model is None:
        raise Http404("No such vocabulary.")
    formset_class = vocabulary_formset_class(model)
    queryset = model.objects.filter(review=review)
    formset = formset_class(request.POST or None, queryset=queryset, prefix=kind)
    if "domain" in formset.form.base_fields:
        # Only this review's domains; the menu is read once and shared, not queried per row.
        domains = review.outcome_domains.all()
        choices = None
        for form in formset:
            field = form.fields["domain"]
            field.queryset = domains
            if choices is None:
                choices = list(field.choices)
            field.choices = choices
    if request.method == "POST" and formset.is_valid():
        try:
            vocabulary_save(actor=request.user, review=review, kind=kind, formset=formset)
        except ProtectedError as exc:
            in_use = ", ".join(sorted({str(obj) for obj in exc.protected_objects})[:5])
            messages.error(
                request,
                f"Nothing was saved: an item you deleted is still used by extracted data ({in_use}). "
                "Change that data first, or keep the item.",
            )
            return redirect("reviewapp:vocabulary_edit", slug=slug, kind=kind)
        messages.success(request, f"{model._meta.verbose_name_plural.capitalize()} saved.")
        return redirect("reviewapp:vocabulary_edit", slug=slug, kind=kind)
    return render(
        request,
        "reviewapp/vocabulary_edit.html",
        {
            "review": review,
            "formset": formset,
            "kind": kind,
            "kinds": VOCABULARY_KINDS,
            "title": model._meta.verbose_name_plural.capitalize(),
        },
    )


@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    review = selectors.review_for_member(request.user, slug, roles=[Role.LEAD])
    return render(
        request,
        "reviewapp/audit_log.html",
        {"review": review, "events": selectors.audit_trail(review)},
    )


@login_required
def job_status(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    review = selectors.review_for_member(request.user, slug)
    job = selectors.jobs_for_review(review).filter(pk=job_id).first()
    if job is None:
        raise Http404("No such job in this review.")
    return render(request, "reviewapp/job_status.html", {"review": review, "job": job})
