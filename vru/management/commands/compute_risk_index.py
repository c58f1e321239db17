from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vru import services
from vru.models import Partnership


class Command(BaseCommand):
    help = (
        "Compute hotspots for every crime factor and year, then a risk index run. Weights "
        "default to each factor's default weight; give --weight key=value to change them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="Partnership slug.")
        parser.add_argument("--from", dest="start", required=True, type=date.fromisoformat)
        parser.add_argument("--to", dest="end", required=True, type=date.fromisoformat)
        parser.add_argument("--weight", action="append", default=[], help="key=value")
        parser.add_argument("--top-percent", type=Decimal, default=Decimal(5))
        parser.add_argument("--alpha", type=float, default=0.01, help="Hotspot threshold.")
        parser.add_argument("--label", default="")
        parser.add_argument("--make-current", action="store_true")

    def handle(
        self,
        *args,
        partnership,
        start,
        end,
        weight,
        top_percent,
        alpha,
        label,
        make_current,
        **options,
    ):
        try:
            owner = Partnership.objects.get(slug=partnership)
        except Partnership.DoesNotExist as exc:
            raise CommandError(f"No partnership with slug {partnership!r}.") from exc
        found = services.hotspots_compute_all(actor=None, partnership=owner, alpha=alpha)
        self.stdout.write(f"Hotspots: {found}")
        weights = {f.key: f.default_weight for f in owner.factors.all()}
        for item in weight:
            key, _, value = item.partition("=")
            weights[key] = Decimal(value)
        try:
            run = services.risk_run_create(
                actor=None,
                partnership=owner,
                weights=weights,
                period_start=start,
                period_end=end,
                top_percent=top_percent,
                label=label,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        run = services.risk_run_compute(run_id=run.pk)
        if make_current:
            services.risk_run_make_current(actor=None, run=run)
        self.stdout.write(
            f"Run {run.pk} “{run.label}”: {run.lsoa_count} LSOAs, {run.priority_count} priority"
            + (" (current)" if make_current else "")
        )
