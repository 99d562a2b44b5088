"""A person's rights under RODO: a copy of all their data (art. 15 and 20).

It reads across learning, certificates and the audit log, so it sits above them in the layers
(``lms.privacy``, which learning calls, sits below learning).
"""
