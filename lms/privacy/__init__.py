"""Personal data (RODO): what uploaded files give away, and personal data typed into attempts.

This package sits below ``learning`` so that learning's services can call it explicitly: it knows
file kinds and texts, never works or attempts by import.
"""
