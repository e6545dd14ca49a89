"""Import a database export into a review from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviewapp.models import Review
from reviewapp.references.parsers import FORMATS
from reviewapp.references.services import batch_create, batch_import
from reviewapp.services import ReviewError


class Command(BaseCommand):
    help = "Import search results (RIS, PubMed, EndNote XML, BibTeX, Web of Science, CSV) into a review."

    def add_arguments(self, parser):  # noqa: ANN001, ANN201
        parser.add_argument("review_slug")
        parser.add_argument("file")
        parser.add_argument("--source", default="", help="Database name (default: the file name).")
        parser.add_argument("--format", default="auto", choices=list(FORMATS))
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")
        parser.add_argument(
            "--all-or-nothing",
            action="store_true",
            help="Import nothing if any record is bad (default: import the good records).",
        )

    def handle(self, *args, **options):  # noqa: ANN002, ANN003, ANN201
        review = Review.objects.filter(slug=options["review_slug"]).first()
        if review is None:
            raise CommandError(f"No review with the slug {options['review_slug']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            batch = batch_create(
                actor=None,
                review=review,
                database_name=options["source"] or path.stem,
                file_name=path.name,
                chunks=(),
                size=path.stat().st_size,
                requested_format=options["format"],
                stored_path=path,
            )
            on_error = "abort" if options["all_or_nothing"] else "skip"
            summary = batch_import(actor=None, batch_id=batch.pk, on_error=on_error)
        except ReviewError as exc:
            raise CommandError(str(exc)) from exc
        batch.refresh_from_db()
        if batch.message:
            raise CommandError(f"{path.name}: {batch.message}")
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"{path.name} ({batch.detected_format}, {batch.encoding}): "
                f"{summary['imported']} imported, {summary['duplicates']} duplicates, "
                f"{summary['skipped']} skipped."
            )
            for error in summary["errors"]:
                self.stdout.write(
                    f"  record {error['record']}, line {error['line']}: {error['reason']}"
                )
        if options["all_or_nothing"] and summary["errors"]:
            raise CommandError(f"{len(summary['errors'])} bad record(s): nothing was imported.")
