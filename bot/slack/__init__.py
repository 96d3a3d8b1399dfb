"""The Slack platform: one small module per kind of Slack input, none holding business logic."""
