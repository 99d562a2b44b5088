#!/bin/sh
# Run a `flask` command of the installed app with its environment file, from the clone's folder:
#   sudo -u akademia /srv/akademia-cal/deploy/flask-env.sh db upgrade
# LMS_ENV_FILE names another environment file (default /etc/akademia-cal/env).
set -eu
cd "$(dirname "$0")/.."
set -a
. "${LMS_ENV_FILE:-/etc/akademia-cal/env}"
set +a
exec .venv/bin/flask --app app "$@"
