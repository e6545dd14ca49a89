import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviewapp.models import Review
from reviewapp.portability import review_export


class Command(BaseCommand):
    help = (
        "Export a whole review (records, decisions, extractions, judgements, analyses, audit "
        "trail, uploaded full texts base64-encoded) to one JSON file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The review's slug.")
        parser.add_argument("-o", "--output", required=True, help="The JSON file to write.")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        review = Review.objects.filter(slug=options["slug"]).first()
        if review is None:
            raise CommandError(f"No review has the slug {options['slug']!r}.")
        document = review_export(review=review)
        path = Path(options["output"])
        try:
            with path.open("w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        rows = sum(len(rows) for rows in document["models"].values())
        self.stdout.write(f"Exported {review.slug}: {rows} rows to {path}")
