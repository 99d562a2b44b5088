"""The face-to-face half of a programme: events of an edition, places, waiting lists, attendance, calendars."""
