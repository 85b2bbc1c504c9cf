"""Disputes, returns and their deadline calendar (GitHub issue 5; domain.md §1, §6, §7, §10).

- ``rules``: the rule tables as data (reference/dispute_rules.csv, dispute_reason_codes.csv,
  dispute_evidence.csv, dispute_settings.csv).
- ``deadlines``: due dates on banking-day calendars, the team's buffer, urgency.
- ``lifecycle``: the stage and status transition tables.
- ``cases``: open, advance, set status, close, notes, evidence: audited, version-checked.
- ``intake``: ACH unauthorized returns from the ledger and from loaded NACHA files; by hand.
- ``board``: what the pages read; ``analytics``: rates, ratios, thresholds, patterns;
  ``ics``: the iCalendar export; ``demo``: ``seed_disputes`` for the demo build.
"""
