#!/usr/bin/env bash
# A backup with retention: today's copy in $BACKUP_ROOT/daily/YYYY-MM-DD, verified; on the first
# backup of a month also a copy in $BACKUP_ROOT/monthly/YYYY-MM. Keeps 14 daily and 12 monthly copies.
# Run from the clone's folder with the app's environment (deploy/systemd/akademia-cal-backup.service does).
# Usage: BACKUP_ROOT=/var/backups/akademia-cal deploy/backup.sh
set -euo pipefail
root=${BACKUP_ROOT:?set BACKUP_ROOT to the folder that holds the backups}
keep_daily=${KEEP_DAILY:-14}
keep_monthly=${KEEP_MONTHLY:-12}
today=${BACKUP_DATE:-$(date -u +%F)}   # BACKUP_DATE only for tests
flask=(${FLASK:-.venv/bin/flask} --app app)

mkdir -p "$root/daily" "$root/monthly"
target="$root/daily/$today"
if [ -e "$target/manifest.json" ]; then
  done_what="already there"
else
  done_what="written and verified"
  rm -rf "$target.partial"
  "${flask[@]}" backup create "$target.partial"
  "${flask[@]}" backup verify "$target.partial"
  mv "$target.partial" "$target"
fi

month=${today:0:7}
if [ ! -e "$root/monthly/$month" ]; then
  cp -a "$target" "$root/monthly/$month.partial" && mv "$root/monthly/$month.partial" "$root/monthly/$month"
fi

# Names sort by date: drop all but the newest N complete copies.
prune() {
  local folder=$1 keep=$2
  find "$folder" -mindepth 1 -maxdepth 1 -type d ! -name '*.partial' | sort | head -n "-$keep" | xargs -r rm -rf
}
prune "$root/daily" "$keep_daily"
prune "$root/monthly" "$keep_monthly"
echo "backup.sh: $target $done_what; $(ls "$root/daily" | wc -l) daily, $(ls "$root/monthly" | wc -l) monthly copies kept."
