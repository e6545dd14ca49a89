"""Pages of the references app: upload, import result, sources, records, duplicates, PRISMA."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviewapp.models import ImportBatch, Role
from reviewapp.references import selectors, services
from reviewapp.references.forms import PROTOCOL_DATABASES, MappingForm, SearchForm, UploadForm
from reviewapp.references.parsers import FileRefused
from reviewapp.references.prisma import prisma_counts, prisma_svg
from reviewapp.references.services.imports import batch_csv_header
from reviewapp.selectors import review_for_member
from reviewapp.services import ReviewError

IMPORTERS = [Role.LEAD, Role.REVIEWER]  # who may import and decide on duplicates


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=IMPORTERS)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data, upload_file = form.cleaned_data, form.cleaned_data["file"]
        batch = services.batch_create(
            actor=request.user,
            review=review,
            database_name=data["database_name"],
            file_name=upload_file.name,
            chunks=upload_file.chunks(),
            size=upload_file.size,
            date_searched=data["date_searched"],
            search_strategy=data["search_strategy"],
            requested_format=data["file_format"],
            is_other_method=data["is_other_method"],
        )
        services.batch_start(actor=request.user, batch=batch, on_error="ask")
        return redirect("references:batch_detail", slug=slug, batch_id=batch.pk)
    context = {"review": review, "form": form, "databases": PROTOCOL_DATABASES}
    return render(request, "reviewapp/references/upload.html", context)


@login_required
@require_GET
def batch_detail(request: HttpRequest, slug: str, batch_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug)
    batch = selectors.batch_for_review(review, batch_id)
    mapping_form = None
    if batch.detected_format == "csv" and batch.status != ImportBatch.Status.IMPORTED:
        try:
            header, mapping = batch_csv_header(batch)
            mapping_form = MappingForm(header=header, initial_mapping=mapping)
        except FileRefused:
            mapping_form = None  # the batch's message already says why
    context = {"review": review, "batch": batch, "mapping_form": mapping_form}
    return render(request, "reviewapp/references/batch_detail.html", context)


@login_required
@require_POST
def batch_decide(request: HttpRequest, slug: str, batch_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=IMPORTERS)
    batch = selectors.batch_for_review(review, batch_id)
    try:
        if request.POST.get("action") == "import_good":
            services.batch_start(actor=request.user, batch=batch, on_error="skip")
        else:
            services.batch_cancel(actor=request.user, batch=batch)
    except ReviewError as exc:
        messages.error(request, str(exc))
    return redirect("references:batch_detail", slug=slug, batch_id=batch.pk)


@login_required
@require_POST
def batch_mapping(request: HttpRequest, slug: str, batch_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=IMPORTERS)
    batch = selectors.batch_for_review(review, batch_id)
    try:
        header, mapping = batch_csv_header(batch)
        form = MappingForm(request.POST, header=header, initial_mapping=mapping)
        if not form.is_valid():
            raise ReviewError(
                "Choose a column for the title; every choice must be a column of the file."
            )
        services.batch_set_mapping(actor=request.user, batch=batch, mapping=form.cleaned_data)
        services.batch_start(actor=request.user, batch=batch, on_error="ask")
    except (ReviewError, FileRefused) as exc:
        messages.error(request, str(exc))
    return redirect("references:batch_detail", slug=slug, batch_id=batch.pk)


@login_required
@require_GET
def source_list(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug)
    context = {
        "review": review,
        "sources": selectors.sources_with_counts(review),
        "batches": selectors.batches_recent(review),
        "counts": selectors.reference_counts(review),
    }
    return render(request, "reviewapp/references/source_list.html", context)


@login_required
@require_GET
def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug)
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    records = selectors.records_search(review, data.get("q", ""), data.get("show") or "all")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    context = {"review": review, "form": form, "page": page, "query": request.GET.urlencode()}
    return render(request, "reviewapp/references/record_list.html", context)


@login_required
@require_GET
def record_detail(request: HttpRequest, slug: str, record_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug)
    record = selectors.record_for_review(review, record_id)
    context = {
        "review": review,
        "record": record,
        "duplicates": selectors.record_duplicates(record),
    }
    return render(request, "reviewapp/references/record_detail.html", context)


@login_required
@require_POST
def record_unmerge(request: HttpRequest, slug: str, record_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=IMPORTERS)
    try:
        services.record_unmerge(actor=request.user, review=review, record_id=record_id)
        messages.success(request, f"Record {record_id} is a record of its own again.")
    except ReviewError as exc:
        messages.error(request, str(exc))
    return redirect("references:record_detail", slug=slug, record_id=record_id)


@login_required
@require_GET
def duplicate_queue(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug)
    pairs = selectors.pending_pairs(review)
    context = {"review": review, "pair": pairs.first(), "remaining": pairs.count()}
    return render(request, "reviewapp/references/duplicate_queue.html", context)


@login_required
@require_POST
def duplicate_decide(request: HttpRequest, slug: str, pair_id: int) -> HttpResponse:
    review = review_for_member(request.user, slug, roles=IMPORTERS)
    try:
        if request.POST.get("verdict") == "merge":
            services.duplicate_pair_merge(actor=request.user, review=review, pair_id=pair_id)
        else:
            services.duplicate_pair_reject(actor=request.user, review=review, pair_id=pair_id)
    except ReviewError as exc:
        messages.error(request, str(exc))
    return redirect("references:duplicate_queue", slug=slug)


@login_required
@require_GET
def prisma(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug)
    counts = prisma_counts(review)
    svg = mark_safe(prisma_svg(counts, title=f"PRISMA 2020 flow diagram: {review.title}"))  # noqa: S308 - escaped when drawn
    return render(
        request,
        "reviewapp/references/prisma.html",
        {"review": review, "counts": counts, "svg": svg},
    )


@login_required
@require_GET
def prisma_download(request: HttpRequest, slug: str) -> HttpResponse:
    review = review_for_member(request.user, slug)
    svg = prisma_svg(prisma_counts(review), title=f"PRISMA 2020 flow diagram: {review.title}")
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="prisma-{review.slug}.svg"'
    return response
