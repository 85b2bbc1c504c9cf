"""Filters that live in the URL (st.query_params), so a copied link reopens the same view."""

from __future__ import annotations

from datetime import date

import streamlit as st


def get_list(key: str, allowed: list[str]) -> list[str]:
    raw = st.query_params.get(key, "")
    return [v for v in raw.split(",") if v in allowed] if raw else []


def get_choice(key: str, allowed: list[str], default: str) -> str:
    value = st.query_params.get(key, default)
    return value if value in allowed else default


def get_date(key: str, default: date) -> date:
    try:
        return date.fromisoformat(st.query_params.get(key, ""))
    except ValueError:
        return default


def put(**values) -> None:
    """Write the current filter values back to the URL; empty values are removed."""
    for key, value in values.items():
        text = ",".join(value) if isinstance(value, list | tuple) else str(value or "")
        if text:
            if st.query_params.get(key) != text:
                st.query_params[key] = text
        elif key in st.query_params:
            del st.query_params[key]
