"""``manage.py meta_analyze FILE.csv --measure ...``: a meta-analysis from the command line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from analysis.stats.cli import run_meta_analyze
from analysis.stats.errors import MetaAnalysisError
from analysis.stats.options import MEASURES, METHODS, MODELS, TAU2_METHODS


class Command(BaseCommand):
    help = (
        "Meta-analyse the studies in a CSV (header: study, then mean_e,sd_e,n_e,mean_c,sd_c,n_c "
        "or events_e,n_e,events_c,n_c) as RevMan 5 and metafor do; --json prints one JSON object."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument("--measure", required=True, type=str.upper, choices=MEASURES)
        parser.add_argument("--model", default="random", type=str.lower, choices=MODELS)
        parser.add_argument(
            "--method",
            type=str.upper,
            choices=METHODS,
            help="default: MH for fixed-effect RR/OR/RD, IV otherwise",
        )
        parser.add_argument(
            "--tau2",
            type=str.upper,
            choices=TAU2_METHODS,
            help="default: REML (DL with --method MH --model random, as RevMan)",
        )
        parser.add_argument("--hksj", action="store_true", help="Hartung-Knapp-Sidik-Jonkman CI")
        parser.add_argument("--subgroup", metavar="COLUMN")
        parser.add_argument("--moderator", metavar="COLUMN")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            output = run_meta_analyze(
                options["file"],
                measure=options["measure"],
                model=options["model"],
                method=options["method"],
                tau2=options["tau2"],
                hksj=options["hksj"],
                subgroup=options["subgroup"],
                moderator=options["moderator"],
                as_json=options["json"],
            )
        except MetaAnalysisError as error:
            raise CommandError(str(error)) from None
        for warning in output.warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(output.text)
