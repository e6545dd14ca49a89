from django.conf import settings
from django.db import models
from django.urls import reverse


class Review(models.Model):
    """A systematic review: its question, eligibility criteria and working settings."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=80, unique=True)
    question = models.TextField(blank=True)
    eligibility_criteria = models.TextField(blank=True)
    screeners_per_record = models.PositiveSmallIntegerField(
        default=2, help_text="Independent decisions each record needs at each screening stage."
    )
    # Settings that do not need a column of their own (keyword lists, ranking on/off, ...);
    # each app reads its keys with a default so an empty dict is always valid.
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(screeners_per_record__gte=1),
                name="review_screeners_per_record_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviewapp:review_dashboard", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    LEAD = "lead", "Lead"
    REVIEWER = "reviewer", "Reviewer"
    ADJUDICATOR = "adjudicator", "Adjudicator"


class Membership(models.Model):
    """One role a user holds in one review; a user may hold several (one row each)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user", "role"], name="membership_one_row_per_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]),
                name="membership_role_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.review}"
