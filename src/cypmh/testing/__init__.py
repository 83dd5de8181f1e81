"""Helpers for testing code that uses cypmh (needs the ``testing`` extra: Hypothesis)."""
