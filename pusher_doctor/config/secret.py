"""The app secret as a type that cannot print itself, and scrubbing of any text that might contain it."""

from __future__ import annotations

MASK = "********"
#: marks where a text was cut short; a cut made before masking can split a secret there
ELLIPSIS = "…"


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
    #: the shortest piece of a secret, beside a cut, that is still masked
    MIN_FRAGMENT = 3

    def __init__(self, *secrets: Secret | str | None, keys: tuple[str | None, ...] = ()) -> None:
        self._replacements: dict[str, str] = {}
        #: the kept start of each shortened key: a cut the Redactor made itself, not one to mask beside
        self._key_starts: set[str] = set()
        for key in filter(None, keys):
            for form in self._forms(key):
                if len(form) > self.KEPT:
                    self._replacements[form] = abbreviate(form)
                    self._key_starts.add(form[: self.KEPT])
        self._secret_forms: list[str] = []
        for secret in filter(None, secrets):
            for form in self._forms(secret.reveal() if isinstance(secret, Secret) else str(secret)):
                self._replacements[form] = MASK
                self._secret_forms.append(form)
        # Longest first, so a value containing another is replaced whole.
        self._order = sorted(self._replacements, key=len, reverse=True)

    @property
    def forms(self) -> tuple[str, ...]:
        """Every text this Redactor replaces (secrets, and keys it shortens)."""
        return tuple(self._order)

    def _forms(self, value: str) -> list[str]:
        """The value as given and without the spaces or quotes a settings file may have kept around it."""
        return [form for form in {value, value.strip().strip("'\"")} if len(form) >= self.MIN_LENGTH]

    def could_change(self, text: str) -> bool:
        """Whether masking could change `text`: it holds a form, or a cut ("…") a secret's piece may lie beside."""
        return any(form in text for form in self._order) or (ELLIPSIS in text and bool(self._secret_forms))

    def __call__(self, text: str) -> str:
        for value in self._order:
            text = text.replace(value, self._replacements[value])
        if ELLIPSIS in text and self._secret_forms:
            text = self._mask_cut_fragments(text)
        return text

    def _mask_cut_fragments(self, text: str) -> str:
        """Masks the start of a secret left before a cut ("…") and the end of one left after it.

        Text is cut short before it reaches a renderer (a server's long answer); if the cut fell inside
        the secret, whole-value replacement no longer finds it.
        """
        pieces = text.split(ELLIPSIS)
        for index, piece in enumerate(pieces):
            for form in self._secret_forms:
                if index < len(pieces) - 1 and not piece.endswith(tuple(self._key_starts) or ("\0",)):
                    piece = self._mask_edge(piece, form, at_end=True)
                if index > 0:
                    piece = self._mask_edge(piece, form, at_end=False)
            pieces[index] = piece
        return ELLIPSIS.join(pieces)

    def _mask_edge(self, piece: str, form: str, at_end: bool) -> str:
        for size in range(min(len(form) - 1, len(piece)), self.MIN_FRAGMENT - 1, -1):
            if at_end and piece.endswith(form[:size]):
                return piece[:-size] + MASK
            if not at_end and piece.startswith(form[-size:]):
                return MASK + piece[size:]
        return piece
