"""Write a review's Summary of findings tables to a file: DOCX, CSV or HTML."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis.selectors import sof_tables
from analysis.sof.exports import FORMATS, sof_export
from reviewapp.models import Review


class Command(BaseCommand):
    help = "Export the Summary of findings tables of a review (every comparison)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("review_slug")
        parser.add_argument("--format", choices=sorted(FORMATS), default="docx")
        parser.add_argument("-o", "--output", required=True, help="File to write.")

    def handle(self, *args: object, **options: object) -> None:
        review = Review.objects.filter(slug=options["review_slug"]).first()
        if review is None:
            raise CommandError(f"No review with the slug {options['review_slug']!r}.")
        tables = sof_tables(review)
        if not tables:
            raise CommandError(
                f"Review {review.slug!r} has no analyses yet: propose and run them first."
            )
        content = sof_export(tables, str(options["format"]), f"Summary of findings: {review.title}")
        Path(str(options["output"])).write_bytes(content)
        rows = sum(len(t.rows) for t in tables)
        self.stdout.write(
            f"Wrote {len(tables)} SoF tables ({rows} outcomes) to {options['output']}."
        )
