"""Forms, declared once and rendered by each platform (Slack modals, Discord modals).

A handler that needs input it did not get returns a `Reply` carrying a `FormRequest`; the
platform shows the form and, on submission, runs the form's command with the values as
arguments. A submission's errors come back naming the field (see `UserError.field`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.i18n import _


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class FormField:
    name: str
    label: str
    kind: str  # "text", "multiline" or "select"
    optional: bool = False
    max_length: int = 3000
    placeholder: str | None = None
    choices: tuple[Choice, ...] = ()
    # Choices that depend on the caller, e.g. their organisation's IP rights.
    choices_for: Callable[[Context, Session], list[Choice]] | None = None


@dataclass(frozen=True, slots=True)
class Form:
    command: str
    title: str
    submit: str
    fields: tuple[FormField, ...]
    to_args: Callable[[dict[str, str]], Args]

    def field(self, name: str) -> FormField | None:
        return next((candidate for candidate in self.fields if candidate.name == name), None)

    def steps(self, per_step: int) -> tuple[tuple[FormField, ...], ...]:
        """The fields in order, in steps of at most `per_step`, for a platform whose forms hold
        fewer inputs than this form has (a Discord modal holds 5): every field is in one step."""
        if per_step < 1:
            raise ValueError("a step holds at least one field")
        return tuple(self.fields[start : start + per_step] for start in range(0, len(self.fields), per_step))

    def step_of(self, name: str, per_step: int) -> int:
        """The step (from 0) holding the field `name`; the first for a name the form does not have."""
        index = next((i for i, candidate in enumerate(self.fields) if candidate.name == name), 0)
        return index // per_step


@dataclass(frozen=True, slots=True)
class FormRequest:
    """A form to show, with the caller's choices resolved and any values already known."""

    form: Form
    choices: dict[str, tuple[Choice, ...]]
    initial: dict[str, str] = field(default_factory=dict)


FORMS: dict[str, Form] = {}


def register_form(form: Form) -> Form:
    """Make the form known to the platforms by its command word."""
    FORMS[form.command] = form
    return form


def request_form(form: Form, ctx: Context, session: Session, initial: dict[str, str] | None = None) -> FormRequest:
    choices = {
        item.name: tuple(item.choices_for(ctx, session)) if item.choices_for else item.choices
        for item in form.fields
        if item.kind == "select"
    }
    return FormRequest(in_reader_language(form), choices, dict(initial or {}))


def in_reader_language(form: Form) -> Form:
    """The form's title, button, labels, placeholders and fixed choices in the current language
    (declare them with `N_`); field names and choice values stay as they are."""
    return replace(
        form,
        title=_(form.title),
        submit=_(form.submit),
        fields=tuple(
            replace(
                item,
                label=_(item.label),
                placeholder=_(item.placeholder) if item.placeholder else None,
                choices=tuple(Choice(choice.value, _(choice.label)) for choice in item.choices),
            )
            for item in form.fields
        ),
    )


def options_args(words: list[str], values: dict[str, str], *names: str) -> Args:
    """Arguments made of positional words and the named values that were filled in."""
    return Args(words=words, options={name: values[name] for name in names if values.get(name)})
