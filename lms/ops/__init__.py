"""Running the platform: backups, readiness, metrics, request logs, error reporting, the system status page."""
