"""``python -m ops_core.alerts``: evaluate, replay and rules from a shell or a scheduler."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ops_core.alerts.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def test_replay_then_evaluate_then_refuse_the_past(demo_copy, capsys):
    db = str(demo_copy)
    assert (
        main(["replay", "--db", db, "--from", "2026-11-17T12:00", "--to", "2026-11-18T00:00"]) == 0
    )
    out = capsys.readouterr().out
    # the Lakeshore outage opens and resolves (3 alerts); Granite Rent and disputes stay open
    assert "evaluated at 2026-11-18 00:00 UTC" in out and "3 resolved" in out
    assert main(["evaluate", "--db", db]) == 0  # at the data's now, 2026-11-20 18:30
    assert "evaluated at 2026-11-20 18:30 UTC" in capsys.readouterr().out
    assert main(["evaluate", "--db", db, "--at", "2026-11-19T00:00"]) == 2
    assert "already evaluated up to 2026-11-20 18:30 UTC" in capsys.readouterr().err


def test_rules_lists_the_table(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "stuck                USDC" in out and "256 confirmations" in out
    assert out.count("\n") >= 20


def test_runs_as_a_module():
    done = subprocess.run(
        [sys.executable, "-m", "ops_core.alerts", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "evaluate" in done.stdout and "replay" in done.stdout
