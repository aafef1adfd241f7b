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


def abbreviate(value: str) -> str:
    """The start of a value, enough to recognise it: `a1b2c3…`."""
    return value[: Redactor.KEPT] + "…" if len(value) > Redactor.KEPT else value


class Redactor:
    """Replaces every occurrence of the known secret values in text.

    Renderers pass all output through one of these, so a secret that slipped into an exception
    message, a server's error text or a setting given in the wrong place still never reaches the screen.
    The app key is public, but a key field sometimes holds the secret (swapped settings), so keys are
    shortened to their first characters too.
    """

    # Values this short would mask ordinary words; nobody uses them as a real secret.
    MIN_LENGTH = 4
    KEPT = 6

    def __init__(self, *secrets: Secret | str | None, keys: tuple[str | None, ...] = ()) -> None:
        self._replacements: dict[str, str] = {}
        for key in filter(None, keys):
            for form in self._forms(key):
                if len(form) > self.KEPT:
                    self._replacements[form] = abbreviate(form)
        for secret in filter(None, secrets):
            for form in self._forms(secret.reveal() if isinstance(secret, Secret) else str(secret)):
                self._replacements[form] = MASK
        # Longest first, so a value containing another is replaced whole.
        self._order = sorted(self._replacements, key=len, reverse=True)

    def _forms(self, value: str) -> list[str]:
        """The value as given and without the spaces or quotes a settings file may have kept around it."""
        return [form for form in {value, value.strip().strip("'\"")} if len(form) >= self.MIN_LENGTH]

    def __call__(self, text: str) -> str:
        for value in self._order:
            text = text.replace(value, self._replacements[value])
        return text
