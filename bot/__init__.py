"""The MarketSafe bot: settings, assembly, CLI, router, platform adapters and delivery."""
