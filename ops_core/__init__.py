"""Railyard's domain: data model, rules, loaders and metrics. Never imports a UI library."""
