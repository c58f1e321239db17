# Programmes, young people and referrals arrive with the programmes issue.
