"""Replay a labelled screening data set through the relevance ranking, as a reviewer would.

    python manage.py simulate_screening FILE.csv [--seed N] [--json] [--model logreg|nb]

FILE.csv has columns title, abstract, included (0/1). The replay starts from one random
included and one random excluded record and reports WSS@95, recall at 10% screened and the
number screened to find 95% of the included records.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening.ranking.model import DEFAULT_MODEL, MODELS, simulate

REQUIRED = {"title", "abstract", "included"}


def read_labelled(path: Path) -> tuple[list[str], list[int]]:
    """Return (texts, labels) from a labelled CSV, naming the line at fault on bad input."""
    csv.field_size_limit(sys.maxsize)
    texts, labels = [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED - set(reader.fieldnames or [])
        if missing:
            raise CommandError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}.")
        for row in reader:
            value = (row["included"] or "").strip()
            if value not in ("0", "1"):
                raise CommandError(
                    f"{path.name} line {reader.line_num}: 'included' must be 0 or 1, got {value!r}."
                )
            texts.append(f"{row['title'] or ''} {row['abstract'] or ''}")
            labels.append(int(value))
    return texts, labels


class Command(BaseCommand):
    help = "Replay a labelled title/abstract data set through the relevance ranking."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="Print only the JSON result.")
        parser.add_argument("--model", choices=MODELS, default=DEFAULT_MODEL)

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file.")
        texts, labels = read_labelled(path)
        try:
            result = simulate(texts, labels, seed=options["seed"], model=options["model"])
        except ValueError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        payload = result.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(payload))
            return
        self.stdout.write(
            f"{path.name}: {payload['n']} records, {payload['n_included']} included\n"
            f"  WSS@95: {payload['wss_at_95']:.3f}\n"
            f"  recall after screening 10%: {payload['recall_at_10pct']:.3f}\n"
            f"  screened to find 95% of includes: {payload['screened_for_95pct_recall']}\n"
            f"{json.dumps(payload)}"
        )
