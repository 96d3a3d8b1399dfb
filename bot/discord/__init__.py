"""The Discord adapter: slash commands, buttons and modals in; replies and outbox notices out."""
