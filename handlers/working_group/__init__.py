"""The working group: proposals, best practices and meetings (`propose`, `practices`)."""
