"""Test helpers: the database fixtures' back-ends, a fake clock and the bot harness."""
