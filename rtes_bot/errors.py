"""Domain errors: each carries a catalog key and its parameters, never user-facing text."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the user must read: shown as an ephemeral reply, ``t(key, locale, **params)``."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r}, **{self.params!r})"


class NotAllowed(DomainError):
    """The person's role does not allow this action."""


class NotFound(DomainError):
    """The thing named does not exist (in this guild)."""


class InvalidInput(DomainError):
    """The input is malformed, out of range or inconsistent."""


class Conflict(DomainError):
    """The state changed meanwhile (already validated, poll closed, duplicate…)."""
