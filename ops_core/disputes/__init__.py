"""Disputes, returns and their deadline calendar (GitHub issue 5; domain.md §1, §6, §7, §10).

- ``rules``: the rule tables as data (reference/dispute_rules.csv, dispute_reason_codes.csv,
  dispute_evidence.csv, dispute_settings.csv, dispute_processor_offsets.csv).
- ``deadlines``: due dates on banking-day calendars, the team's buffer, urgency.
- ``lifecycle``: the stage and status transition tables.
- ``cases``: open, advance, set status, close, notes, evidence: audited, version-checked.
- ``intake``: ACH unauthorized returns from the ledger and from loaded NACHA files; by hand.
- ``report_intake``: card dispute reports (ops_core/ingest/DISPUTE_REPORT_FORMAT.md), run by
  the loader in the file's transaction: open, advance, close cases.
- ``expiry``: close unanswered cases whose response window passed (``python -m
  ops_core.disputes expire``; the demo build runs it).
- ``board``: what the pages read; ``analytics``: rates, ratios, thresholds, patterns;
  ``ics``: the iCalendar export; ``demo``: ``seed_disputes`` for the demo build;
  ``demo_report``: the demo's dispute report file, loaded through the importer.
"""
