"""The setting of the learning tests: one edition, two institutions, a trainer and their staff."""

import pytest

from tests.learning.test_cycle import build_world


@pytest.fixture
def world(snapshot):
    return snapshot(build_world)
