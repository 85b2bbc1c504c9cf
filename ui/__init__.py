"""Streamlit-only glue: the shared database resource, cached reads, formatting, charts."""
