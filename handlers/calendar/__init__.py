"""The calendar: program milestones, personal and group reminders, and the time grammar they share
(`calendar`, `remind`)."""
