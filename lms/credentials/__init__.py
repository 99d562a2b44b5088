"""Open Badges 3.0 credentials: every certificate as a signed, holder-owned VC-JWT anyone can verify."""
