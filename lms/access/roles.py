"""The roles people hold."""

import enum


class Role(enum.StrEnum):
    """What a person may do; one person may hold several roles."""

    ANIMATOR = "animator"
    TRAINER = "trainer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
