"""Errors a user can cause. Each carries the sentence the user sees: what was wrong, how to fix it."""

from __future__ import annotations


class UserError(Exception):
    """A problem with what the user asked; nothing was changed."""

    def __init__(self, message: str, *, hint: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        # The option or form field at fault, so a form can show the error beside it.
        self.field = field

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class NotPermitted(UserError):
    """The caller's role does not allow this."""


class NotFound(UserError):
    """A case, organisation, right or item the user named does not exist (for them)."""
