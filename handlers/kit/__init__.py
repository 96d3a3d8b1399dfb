"""The command kit: arguments, context, the command registry, replies, errors, forms and formatting.

Every capability package builds its commands from these pieces; nothing here imports a capability.
"""
