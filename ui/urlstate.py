"""Filters that live in the URL (st.query_params), so a copied link reopens the same view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

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


def pick_many(
    where, label: str, key: str, options: Mapping[str, str] | Sequence[str], placeholder: str
) -> list[str]:
    """A multiselect starting from the URL's ``key`` (values it does not offer are dropped).
    ``options``: ids with display names, or plain values. Write the result back with put()."""
    names = options if isinstance(options, Mapping) else {o: o for o in options}
    return where.multiselect(
        label,
        list(names),
        get_list(key, list(names)),
        format_func=names.get,
        placeholder=placeholder,
    )


def pick_dates(
    start_at, end_at, today: date, days_back: int, start_label: str = "From", end_label: str = "To"
) -> tuple[date, date]:
    """From/To date inputs starting from the URL's ``start``/``end`` (default: the last
    ``days_back`` days to ``today``); neither may be after ``today``."""
    start = start_at.date_input(
        start_label,
        get_date("start", today - timedelta(days=days_back)),
        max_value=today,
        format="YYYY-MM-DD",
    )
    end = end_at.date_input(end_label, get_date("end", today), max_value=today, format="YYYY-MM-DD")
    return start, end
