"""The access matrix's world (two institutions, one person per role, a submitted work with a file)."""

from tests.auth.test_access_matrix import world  # noqa: F401 (fixture)
