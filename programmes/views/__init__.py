"""Programme pages, one module per part of the journey: referrals, caseload, sessions,
programmes, imports. Each is a door: thin views that parse, call a selector or a service, and
render."""
