from tests.certificates.conftest import decide, submit, world  # noqa: F401  (fixtures and helpers)
