"""Named queries: handlers call these instead of building SQL."""
