"""Views of the screening stage: thin wrappers around selectors and services.

Every view checks membership (and role) with ``review_for_member``; review data is always
filtered by the review. Broken rules come back as messages, never as a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from reviewapp.models import Role
from reviewapp.selectors import review_for_member, roles_in_review
from screening import selectors, services
from screening.context import screen_context
from screening.exports import my_decisions_csv
from screening.forms import DecisionForm, FullTextForm, ResolveForm, SettingsForm
from screening.models import FullText, Stage

SCREENERS = [Role.REVIEWER]


def _stage(stage: str) -> str:
    if stage not in Stage.values:
        raise Http404("No such screening stage.")
    return stage


@login_required
@require_GET
def home(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug)
    services.items_sync(review=review)
    roles = roles_in_review(request.user, review)
    stages = [(stage, selectors.progress(review, request.user, stage)) for stage in Stage]
    return render(
        request,
        "screening/home.html",
        {
            "review": review,
            "roles": roles,
            "stages": stages,
            "ranking": selectors.ranking_state(review),
            "unblinded": selectors.unblinded_stages(review),
            "order": selectors.screening_order(review),
        },
    )


@login_required
@require_GET
def screen(request: HttpRequest, slug: str, stage: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=SCREENERS)
    context = screen_context(
        review,
        request.user,
        _stage(stage),
        item_id=_int(request.GET.get("item")),
        skip=_int(request.GET.get("skip")),
    )
    template = "screening/_screen.html" if request.htmx else "screening/screen.html"
    return render(request, template, context)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, stage: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=SCREENERS)
    form = DecisionForm(request.POST, review=review)
    error = None
    if not form.is_valid():
        error = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
    else:
        try:
            services.decision_record(
                actor=request.user,
                review=review,
                item_id=form.cleaned_data["item"],
                verdict=form.cleaned_data["verdict"],
                reason_id=getattr(form.cleaned_data["reason"], "pk", None),
                note=form.cleaned_data["note"],
            )
        except services.ScreeningError as exc:
            error = str(exc)
    return _after_action(request, review, _stage(stage), error)


def _after_action(request: HttpRequest, review, stage: str, error: str | None) -> HttpResponse:
    if request.htmx:
        context = screen_context(review, request.user, stage, error=error)
        return render(request, "screening/_screen.html", context)
    if error:
        messages.error(request, error)
    return redirect("screening:screen", slug=review.slug, stage=stage)


@login_required
@require_POST
def undo(request: HttpRequest, slug: str, stage: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=SCREENERS)
    try:
        decision = services.decision_withdraw(
            actor=request.user, review=review, stage=_stage(stage)
        )
    except services.ScreeningError as exc:
        return _after_action(request, review, stage, str(exc))
    if request.htmx:
        context = screen_context(review, request.user, stage, item_id=decision.item_id)
        return render(request, "screening/_screen.html", context)
    url = reverse("screening:screen", kwargs={"slug": slug, "stage": stage})
    return redirect(f"{url}?item={decision.item_id}")


@login_required
@require_GET
def mine(request: HttpRequest, slug: str, stage: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=SCREENERS)
    decisions = selectors.my_decisions(review, request.user, _stage(stage))
    if request.GET.get("format") == "csv":
        return my_decisions_csv(review, decisions)
    context = {"review": review, "stage": stage, "decisions": decisions[:500]}
    return render(request, "screening/mine.html", context)


@login_required
@require_GET
def decisions(request: HttpRequest, slug: str, stage: str) -> HttpResponse:
    review = review_for_member(request.user, slug)
    rows = selectors.visible_decisions(review, request.user, _stage(stage))
    context = {"review": review, "stage": stage, "rows": rows}
    return render(request, "screening/decisions.html", context)


@login_required
@require_GET
def conflicts(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.ADJUDICATOR])
    queue = selectors.conflicts_open(review, request.user)
    context = {
        "review": review,
        "conflicts": queue[:50],
        "total": queue.count(),
        # the full-text conflicts' forms need the reasons to exclude with
        "reasons": review.exclusion_reasons.all(),
    }
    return render(request, "screening/conflicts.html", context)


@login_required
@require_POST
def resolve(request: HttpRequest, slug: str, conflict_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.ADJUDICATOR])
    form = ResolveForm(request.POST, review=review)
    if not form.is_valid():
        messages.error(request, "Choose Include or Exclude (and a reason to exclude a full text).")
        return redirect("screening:conflicts", slug=slug)
    try:
        conflict = services.conflict_resolve(
            actor=request.user,
            review=review,
            conflict_id=conflict_id,
            verdict=form.cleaned_data["verdict"],
            reason_id=getattr(form.cleaned_data["reason"], "pk", None),
            note=form.cleaned_data["note"],
        )
        messages.success(request, f"Record {conflict.item.record_id}: {conflict.verdict}d.")
    except services.ScreeningError as exc:
        messages.error(request, str(exc))
    return redirect("screening:conflicts", slug=slug)


@login_required
@require_POST
def fulltext_attach(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD, Role.REVIEWER])
    form = FullTextForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Give a valid PDF or link for the full text.")
        return redirect("screening:screen", slug=slug, stage=Stage.FULL_TEXT)
    try:
        services.fulltext_attach(
            actor=request.user,
            review=review,
            item_id=form.cleaned_data["item"],
            pdf=form.cleaned_data["pdf"],
            link=form.cleaned_data["link"],
        )
        messages.success(request, "Full text attached.")
    except services.ScreeningError as exc:
        messages.error(request, str(exc))
    if request.POST.get("next") == "list":
        return redirect("screening:fulltexts", slug=slug)
    url = reverse("screening:screen", kwargs={"slug": slug, "stage": Stage.FULL_TEXT})
    return redirect(f"{url}?item={form.cleaned_data['item']}")


@login_required
@require_GET
def fulltexts(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD, Role.REVIEWER])
    rows = selectors.fulltexts_to_find(review)
    return render(request, "screening/fulltexts.html", {"review": review, "rows": rows})


@login_required
@require_POST
def not_retrieved(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD, Role.REVIEWER])
    try:
        item = services.fulltext_mark_not_retrieved(
            actor=request.user, review=review, item_id=item_id
        )
        messages.success(request, f"Record {item.record_id}: full text marked not retrieved.")
    except services.ScreeningError as exc:
        messages.error(request, str(exc))
    return redirect("screening:fulltexts", slug=slug)


@login_required
@require_GET
@xframe_options_sameorigin
def fulltext_pdf(request: HttpRequest, slug: str, record_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug)
    fulltext = FullText.objects.filter(review=review, record_id=record_id).first()
    if fulltext is None or not fulltext.pdf:
        raise Http404("No PDF attached to this record.")
    response = FileResponse(fulltext.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="record-{record_id}.pdf"'
    return response


@login_required
def settings_edit(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD])
    include, exclude = selectors.keyword_lists(review)
    initial = {
        "include_keywords": "\n".join(include),
        "exclude_keywords": "\n".join(exclude),
        "order": selectors.screening_order(review),
        "retrain_every": services.retrain_every(review),
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        include, exclude = form.cleaned_lists()
        services.screening_settings_update(
            actor=request.user,
            review=review,
            include_keywords=include,
            exclude_keywords=exclude,
            order=form.cleaned_data["order"],
            retrain_every=form.cleaned_data["retrain_every"],
        )
        messages.success(request, "Screening settings saved.")
        return redirect("screening:home", slug=slug)
    return render(request, "screening/settings.html", {"review": review, "form": form})


@login_required
@require_POST
def unblind(request: HttpRequest, slug: str, stage: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD])
    try:
        services.screening_blinding_lift(actor=request.user, review=review, stage=_stage(stage))
        messages.success(request, f"{Stage(stage).label}: blinding lifted.")
    except services.ScreeningError as exc:
        messages.error(request, str(exc))
    return redirect("screening:home", slug=slug)


@login_required
@require_POST
def rerank(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=[Role.LEAD])
    job = services.ranking_start(review=review)
    messages.info(request, "Re-ranking started; the queue uses the new order when it is done.")
    return redirect(f"{reverse('screening:home', kwargs={'slug': slug})}?job={job.pk}")
