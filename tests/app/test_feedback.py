"""ui.feedback.attempt: what a save tells its author, and that a lost write-write conflict
reaches the page as a message, never as an exception."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _run(outcome: str) -> AppTest:
    def script(outcome: str) -> None:
        import duckdb
        import streamlit as st

        from ops_core.errors import ConflictError
        from ui import feedback

        tries = []

        def write() -> int:
            tries.append(1)
            if outcome == "conflict twice" or (outcome == "conflict once" and len(tries) == 1):
                raise duckdb.TransactionException("Conflict on tuple update")
            if outcome == "version":
                raise ConflictError("Priya changed notes first")
            return 7

        ok, value = feedback.attempt("flash", write)
        st.write(f"ok={ok} value={value} tries={len(tries)}")
        feedback.show("flash")

    at = AppTest.from_function(script, args=(outcome,))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_write_that_loses_a_conflict_once_is_saved_on_the_second_try():
    at = _run("conflict once")
    assert at.markdown[0].value == "ok=True value=7 tries=2" and not at.error


def test_a_write_that_loses_twice_is_reported_not_raised():
    at = _run("conflict twice")
    assert at.markdown[0].value == "ok=False value=None tries=2"
    assert "someone else saved at the same moment" in at.error[0].value


def test_a_version_conflict_names_the_other_change_without_a_retry():
    at = _run("version")
    assert at.markdown[0].value == "ok=False value=None tries=1"
    assert "Priya changed notes first" in at.error[0].value
