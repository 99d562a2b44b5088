"""Dashboards use the certification world: one institution in an edition of the mini programme."""

from tests.certificates.conftest import world  # noqa: F401  (re-exported fixture)
