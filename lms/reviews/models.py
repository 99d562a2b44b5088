"""The old home of the decision models, kept only while lms/caching and tests/caching import them from here
(they are being removed; delete this module with them). The models live in lms/learning/decisions.py."""

from lms.learning.decisions import CriterionResult, Decision, Review

__all__ = ["CriterionResult", "Decision", "Review"]
