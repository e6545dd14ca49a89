"""References imported from the database searches (the top of the PRISMA flow)."""

from django.conf import settings
from django.db import models


class SearchSource(models.Model):
    """One upload: a database export (or another source such as reference lists)."""

    review = models.ForeignKey("reviewapp.Review", on_delete=models.CASCADE, related_name="sources")
    database_name = models.CharField(max_length=120)
    is_other_method = models.BooleanField(
        default=False,
        help_text="Reference lists, experts, registers searched by hand: PRISMA's 'other methods'.",
    )
    date_searched = models.DateField(null=True, blank=True)
    search_strategy = models.TextField(blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(max_length=20, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.database_name} ({self.file_name or 'no file'})"


class Record(models.Model):
    """One bibliographic record as imported; the raw text is kept so nothing is lost by parsing.

    A duplicate is never deleted: it points at the record it was merged into.
    """

    # no index of its own: record_review_unique_set (review, duplicate_of) serves review lookups
    review = models.ForeignKey(
        "reviewapp.Review", on_delete=models.CASCADE, related_name="records", db_index=False
    )
    source = models.ForeignKey(
        SearchSource, on_delete=models.CASCADE, null=True, blank=True, related_name="records"
    )
    position_in_source = models.PositiveIntegerField(null=True, blank=True)
    title = models.TextField(blank=True)
    abstract = models.TextField(blank=True)
    authors = models.JSONField(default=list, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    journal = models.CharField(max_length=500, blank=True)
    volume = models.CharField(max_length=50, blank=True)
    issue = models.CharField(max_length=50, blank=True)
    pages = models.CharField(max_length=50, blank=True)
    doi = models.CharField(max_length=255, blank=True)
    pmid = models.CharField(max_length=20, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=50, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    source_database = models.CharField(max_length=120, blank=True)
    raw = models.TextField(blank=True)
    # no index of its own: record_one_per_batch_position (batch, position_in_source) serves it
    batch = models.ForeignKey(
        "reviewapp.ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        db_index=False,
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["review", "duplicate_of"], name="record_review_unique_set"),
            # per-review look-ups by identifier; one index each (no LIKE twin): every index
            # costs time on each of the 100,000 rows of a large import
            models.Index(fields=["review", "doi"], name="record_review_doi"),
            models.Index(fields=["review", "pmid"], name="record_review_pmid"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(duplicate_of=models.F("id")),
                name="record_not_duplicate_of_itself",
            ),
            # an import finds its new records' ids by their position in the file
            models.UniqueConstraint(
                fields=["batch", "position_in_source"], name="record_one_per_batch_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title[:80] or f"Record {self.pk} (no title)"

    @property
    def first_author(self) -> str:
        return self.authors[0] if self.authors else ""

    @property
    def citation(self) -> str:
        """Short citation as reviewers write it: 'Smith 2010'."""
        surname = self.first_author.split(",")[0].strip() if self.first_author else "Anon"
        return f"{surname} {self.year or 'n.d.'}"


class ImportBatch(models.Model):
    """One uploaded file on its way in: kept until imported or cancelled, so a batch is atomic.

    Parsing errors are stored here and the user chooses: import the good records, or none.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be read"
        RUNNING = "running", "Importing"
        NEEDS_DECISION = "needs_decision", "Errors found: waiting for your decision"
        IMPORTED = "imported", "Imported"
        CANCELLED = "cancelled", "Cancelled (nothing imported)"
        FAILED = "failed", "Refused (nothing imported)"

    review = models.ForeignKey(
        "reviewapp.Review", on_delete=models.CASCADE, related_name="import_batches"
    )
    source = models.OneToOneField(
        SearchSource, on_delete=models.SET_NULL, null=True, blank=True, related_name="batch"
    )
    database_name = models.CharField(max_length=120)
    is_other_method = models.BooleanField(default=False)
    date_searched = models.DateField(null=True, blank=True)
    search_strategy = models.TextField(blank=True)
    file_name = models.CharField(max_length=255)
    file_path = models.CharField(max_length=500, help_text="Relative to MEDIA_ROOT.")
    file_size = models.PositiveBigIntegerField(default=0)
    requested_format = models.CharField(max_length=20, default="auto")
    detected_format = models.CharField(max_length=20, blank=True)
    encoding = models.CharField(max_length=40, blank=True)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    records_good = models.PositiveIntegerField(default=0)
    records_imported = models.PositiveIntegerField(default=0)
    records_skipped = models.PositiveIntegerField(default=0)
    duplicates_merged = models.PositiveIntegerField(default=0)
    duplicates_queued = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    job = models.ForeignKey(
        "reviewapp.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="imported") | models.Q(source__isnull=False),
                name="import_batch_imported_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.database_name} ({self.status})"


class DuplicatePair(models.Model):
    """Two records that may be one study report; ``kept`` is the one the other merges into."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        AUTO_MERGED = "auto_merged", "Merged automatically"
        MERGED = "merged", "Merged by a reviewer"
        NOT_DUPLICATE = "not_duplicate", "Not a duplicate"
        UNMERGED = "unmerged", "Un-merged"

    class Method(models.TextChoices):
        DOI = "doi", "Same DOI"
        PMID = "pmid", "Same PMID"
        FUZZY = "fuzzy", "Similar title, year and first author"

    review = models.ForeignKey(
        "reviewapp.Review", on_delete=models.CASCADE, related_name="duplicate_pairs"
    )
    kept = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    duplicate = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices)
    score = models.FloatField(help_text="0–100: title similarity, adjusted by the other fields.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        indexes = [models.Index(fields=["review", "status"], name="duplicate_pair_review_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["kept", "duplicate"], name="duplicate_pair_one_per_record_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(kept=models.F("duplicate")),
                name="duplicate_pair_two_different_records",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.duplicate_id} ≈ {self.kept_id} ({self.method}, {self.score:.0f})"
