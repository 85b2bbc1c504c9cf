"""Reconciliation: the ledger against what banks, networks and chains say, and the breaks.

Public API:

- ``run(db, as_of=None)`` -> ``RunResult``: one incremental, idempotent reconciliation run
  (``ops_core.recon.engine``).
- ``ops_core.recon.breaks``: the break workflow (edit, bulk assign / resolve, aging).
- ``ops_core.recon.views``: what the pages show (summary, queue, break detail).
- ``ops_core.recon.demo.run_demo(db, as_of)``: reconcile the demo's loaded files.
"""

from ops_core.recon.engine import ENGINE_ACTOR, RunResult, run

__all__ = ["ENGINE_ACTOR", "RunResult", "run"]
