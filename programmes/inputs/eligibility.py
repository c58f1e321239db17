"""Who a programme takes: age, referral reasons and home areas (its eligibility), in one place.

Used by the referral service (one referral) and the bulk import (every row). Decisions:
- An empty list of reasons or of local authorities means "any".
- When the programme names local authorities, the young person's home neighbourhood (LSOA)
  must be given and lie in one of them: an unknown home cannot be judged eligible.
- The age range is a hard rule. Reasons and areas may be overridden by whoever manages the
  programme (administrator or the programme's manager) with a written reason, recorded on
  the referral and in the audit trail; practitioners are told to ask their manager. The bulk
  import has no override: a row outside the eligibility is a row error.
"""

from dataclasses import dataclass

from programmes.models import Programme, Referral


@dataclass(frozen=True)
class Eligibility:
    min_age: int
    max_age: int
    reasons: frozenset[str]  # empty: any reason
    local_authority_ids: frozenset[int]  # empty: anywhere in the partnership
    local_authority_names: tuple[str, ...]
    programme_name: str

    @classmethod
    def of(cls, programme: Programme) -> "Eligibility":
        authorities = list(
            programme.eligible_local_authorities.order_by("name").values_list("pk", "name")
        )
        return cls(
            min_age=programme.min_age,
            max_age=programme.max_age,
            reasons=frozenset(programme.eligible_reasons or ()),
            local_authority_ids=frozenset(pk for pk, _ in authorities),
            local_authority_names=tuple(name for _, name in authorities),
            programme_name=programme.name,
        )

    def age_error(self, age: int) -> str | None:
        if self.min_age <= age <= self.max_age:
            return None
        return (
            f"{self.programme_name} takes young people aged {self.min_age} to {self.max_age};"
            f" this young person was {age}."
        )

    def reason_error(self, reason: str) -> str | None:
        if not self.reasons or reason in self.reasons:
            return None
        labels = dict(Referral.Reason.choices)
        allowed = ", ".join(labels.get(r, r) for r in Referral.Reason.values if r in self.reasons)
        return f"{self.programme_name} takes referrals for: {allowed}."

    def area_error(self, local_authority_id: int | None) -> str | None:
        if not self.local_authority_ids or local_authority_id in self.local_authority_ids:
            return None
        places = ", ".join(self.local_authority_names)
        if local_authority_id is None:
            return f"{self.programme_name} takes young people living in {places}: give the home neighbourhood (LSOA)."
        return f"{self.programme_name} takes young people living in {places}."
