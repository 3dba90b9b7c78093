"""What the record says afterwards: report, timeline, impact, calendar, status."""
