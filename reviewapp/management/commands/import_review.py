import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_slug

from reviewapp.portability import PortabilityError, review_import


class Command(BaseCommand):
    help = "Import a review exported by export_review into this instance (one transaction)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The JSON file written by export_review.")
        parser.add_argument("--slug", help="Import under this slug instead of the original one.")

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        path = Path(options["file"])
        if options["slug"]:
            try:
                validate_slug(options["slug"])
            except ValidationError:
                raise CommandError(f"{options['slug']!r} is not a valid slug.") from None
        try:
            with path.open(encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{path} is not JSON: {error}.") from None
        try:
            review = review_import(data=data, slug=options["slug"], origin=path.name)
        except PortabilityError as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from None
        self.stdout.write(f"Imported {review.title!r} as {review.slug}")
