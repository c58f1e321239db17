"""Grants pages: thin, function-based; each reads through a selector and writes through a
service. Split by who uses them: staff, applicants, reviewers, awards."""
