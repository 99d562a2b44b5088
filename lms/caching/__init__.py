"""Cached page fragments keyed by data revisions: see ``revisions`` and ``fragments``."""
