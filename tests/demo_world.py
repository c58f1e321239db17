"""What the apps' demos stand on, without the core demo's 1,528 neighbourhoods and four
months of police data: both demo partnerships with their real local authorities, their
published needs assessments, a few neighbourhoods in each authority (deprived ones first)
and one demo user per role. Plain functions (not fixtures): the demo test modules load it
once each inside a transaction they roll back."""

from tests.factories import LSOAFactory
from vru import demo
from vru.models import LocalAuthority, Partnership

SNAS = {
    "essex-vvp": ("essex_sna.json", "essex_recommendations.csv"),
    "bedfordshire-veru": ("bedfordshire_sna.json", "bedfordshire_recommendations.csv"),
}


def load_world() -> dict[str, Partnership]:
    partnerships = {}
    for slug, name, short_name, prefix in demo.PARTNERSHIPS:
        partnership = Partnership.objects.create(slug=slug, name=name, short_name=short_name)
        demo._places(partnership)
        for authority in LocalAuthority.objects.filter(partnership=partnership):
            for decile in (1, 2, 4, 7):
                LSOAFactory(local_authority=authority, imd_decile=decile, population=1600)
        demo._needs_assessment(partnership, *SNAS[slug])
        demo._users(partnership, prefix)
        partnerships[slug] = partnership
    return partnerships
