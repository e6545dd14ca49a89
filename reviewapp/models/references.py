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

    review = models.ForeignKey("reviewapp.Review", on_delete=models.CASCADE, related_name="records")
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
    doi = models.CharField(max_length=255, blank=True, db_index=True)
    pmid = models.CharField(max_length=20, blank=True, db_index=True)
    keywords = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=50, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    source_database = models.CharField(max_length=120, blank=True)
    raw = models.TextField(blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["review", "duplicate_of"], name="record_review_unique_set"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(duplicate_of=models.F("id")),
                name="record_not_duplicate_of_itself",
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
