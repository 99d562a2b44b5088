"""Background jobs: what runs every minute outside requests (``flask jobs run``)."""
