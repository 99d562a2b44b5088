"""Access checks that any feature's views may ask (the rules themselves are in lms/auth/policy.py)."""
