"""What a save tells the person who made it, shown once after the rerun: saved, refused because
someone else changed the row first (ConflictError, naming their change), or refused for another
reason (a role, an illegal move). One flash slot per page area, kept in the session."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import duckdb
import streamlit as st

from ops_core.db import once_more_on_conflict
from ops_core.errors import ConflictError, OpsError

T = TypeVar("T")


def attempt(slot: str, write: Callable[[], T]) -> tuple[bool, T | None]:
    """Run ``write`` (one audited transaction; once more if it lost a write-write conflict,
    ops_core.db.once_more_on_conflict); a conflict or a refusal goes to the flash ``slot``
    and gives ``(False, None)``; nothing is raised to the page."""
    try:
        return True, once_more_on_conflict(write)
    except ConflictError as exc:
        st.session_state[slot] = ("conflict", str(exc))
    except duckdb.TransactionException as exc:  # lost the conflict twice
        message = f"someone else saved at the same moment; reload and try again ({exc})"
        st.session_state[slot] = ("conflict", message)
    except OpsError as exc:
        st.session_state[slot] = ("error", str(exc))
    return False, None


def done(slot: str, message: str) -> None:
    st.session_state[slot] = ("success", message)


def show(slot: str, error_prefix: str = "Not saved: ") -> None:
    """The message the last save left in ``slot``, once."""
    kind, message = st.session_state.pop(slot, (None, None))
    if kind == "success":
        st.success(message, icon=":material/check_circle:")
    elif kind == "conflict":
        st.error(f"Not saved: {message}", icon=":material/sync_problem:")
    elif kind == "error":
        st.error(f"{error_prefix}{message}", icon=":material/block:")
