"""The app secret as a type that cannot print itself, and scrubbing of any text that might contain it."""

from __future__ import annotations

MASK = "********"


class Secret:
    """Holds a secret value; str(), repr() and f-strings show only a mask.

    Code that really needs the value (signing REST requests) calls `reveal()`, which makes every
    such place easy to find.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class Redactor:
    """Replaces every occurrence of the known secret values in text.

    Renderers pass all output through one of these, so a secret that slipped into an exception
    message, a server's error text or a setting given in the wrong place still never reaches the screen.
    """

    # Values this short would mask ordinary words; nobody uses them as a real secret.
    MIN_LENGTH = 4

    def __init__(self, *secrets: Secret | str | None) -> None:
        values = {s.reveal() if isinstance(s, Secret) else s for s in secrets if s}
        self._values = sorted((v for v in values if len(v) >= self.MIN_LENGTH), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self._values:
            text = text.replace(value, MASK)
            stripped = value.strip().strip("'\"")
            if len(stripped) >= self.MIN_LENGTH and stripped != value:
                text = text.replace(stripped, MASK)
        return text
