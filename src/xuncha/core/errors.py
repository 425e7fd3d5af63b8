"""Errors that actions raise for the user; the message is Chinese and safe to show as is."""


class Refused(Exception):
    """An action refused: a guard failed, or input is invalid. ``field`` names the input at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
