"""What the programmes demo is made of: each partnership's programmes as its own documents
describe them, and the shapes the synthetic records follow.

From the partnerships' published documents (README, "The demo"):
- Essex: the programmes the Essex SNA 2023 names (ReRoute, the Respect Project, Team Around
  the Family, hospital navigators, detached youth work in the top 5% of neighbourhoods,
  sports, mentoring and group work, focused deterrence, the Knife Harm Campaign), each
  linked to the SNA recommendations it serves; the age curve of serious violence ("a steep
  incline at the age of 12 and peaks at 15 ... a sharp rise again at 17"); repeats (12.5%
  of suspects again within the year, 20% within five years); yearly volumes near its
  outputs for 2022-23 (189 young people supported in hospitals, 20 back into education or
  work after an arrest, 77 diverted from arrest, 3,000 met by detached youth work, 5,305
  in sports, mentoring and group work).
- Bedfordshire: the VERU's own offer as far as its SNA summary and web page describe it
  (the "Just Drop It" knife campaign; the evidence review's family therapy, mentoring and
  A&E approaches; exploitation and county lines; Luton's younger, more diverse population).

Synthetic: every young person, referral, contact, note, session and the budgets, caseloads
and timings (relative to the day the demo is loaded).
"""

from programmes.demo_data.bedfordshire import (  # noqa: F401
    BEDFORDSHIRE,
)
from programmes.demo_data.essex import (  # noqa: F401
    ESSEX,
)
from programmes.demo_data.shapes import (  # noqa: F401
    AGE_CURVE,
    AREA_WEIGHTS,
    EARLY_HELP_AGE_CURVE,
    EDUCATION,
    ETHNICITY,
    HISTORY_DAYS,
    HOSPITAL_AGE_CURVE,
    REPEAT_SHARE,
    TEEN_BANDS,
    THIRD_REFERRAL_SHARE,
    ProgrammeSpec,
    SessionPlan,
)
from programmes.demo_data.texts import (  # noqa: F401
    CLOSING_NOTES,
    CONTACT_METHODS,
    DETACHED_CONTACT_SUMMARIES,
    DETACHED_ISSUES,
    FIRST_CONTACT_NOTES,
    FIRST_NAMES,
    FOLLOW_UP_NOTES,
    NEXT_STEPS,
)
