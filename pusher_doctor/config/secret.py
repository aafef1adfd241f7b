"""The app secret as a type that cannot print itself, and scrubbing of any text that might contain it."""

from __future__ import annotations

import html
import json
from urllib.parse import quote, quote_plus

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
    #: a secret this long has its pieces masked too: a server may echo part of it, or split it with a space
    PIECES_OF = 12
    #: the shortest such piece that is masked (its characters, not counting the spaces that split it), when
    #: it holds a digit; one without a digit is masked from PIECES_OF characters on, so that a word the
    #: secret shares with the output ("disabled" of "disabled-secret-8b2e" in `app-disabled`) is not
    MIN_PIECE = 8
    #: the width of the blocks a piece is first searched by: every piece of MIN_PIECE characters holds
    #: one of the secret's blocks that start at a multiple of BLOCK, whole (so `in` finds it fast)
    BLOCK = 4

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
            for form in self._escaped(secret.reveal() if isinstance(secret, Secret) else str(secret)):
                self._replacements[form] = MASK
                self._secret_forms.append(form)
        # Longest first, so a value containing another is replaced whole.
        self._order = sorted(self._replacements, key=len, reverse=True)
        #: (form, its blocks with their offsets) of each form long enough to have its pieces masked
        self._pieces = [(form, [(form[at:at + self.BLOCK], at) for at in range(0, len(form) - self.BLOCK + 1,
                                                                               self.BLOCK)])
                        for form in dict.fromkeys(self._secret_forms) if len(form) >= self.PIECES_OF]
        self._blocks = tuple({block for _, blocks in self._pieces for block, _ in blocks})

    @property
    def forms(self) -> tuple[str, ...]:
        """Every text this Redactor replaces (secrets, and keys it shortens)."""
        return tuple(self._order)

    def _forms(self, value: str) -> list[str]:
        """The value as given and without the spaces or quotes a settings file may have kept around it."""
        return [form for form in {value, value.strip().strip("'\"")} if len(form) >= self.MIN_LENGTH]

    def _escaped(self, value: str) -> list[str]:
        """The secret's forms, each also as the places text passes through would write it: a JSON string
        (`\\`, `\"`, `\u00a0`), Python's repr, HTML (`&lt;`, `&#x27;`), a URL, and with its no-break
        spaces as spaces. A secret of plain characters has only itself."""
        found: dict[str, None] = {}
        for form in self._forms(value):
            for written in (form, json.dumps(form)[1:-1], json.dumps(form, ensure_ascii=False)[1:-1],
                            repr(form)[1:-1], ascii(form)[1:-1], html.escape(form), html.escape(form, quote=False),
                            html.escape(form).replace("&#x27;", "&#39;"), *_quoted(form), form.replace("\xa0", " ")):
                found[written] = None
        return [form for form in found if len(form) >= self.MIN_LENGTH]

    def could_change(self, text: str) -> bool:
        """Whether masking could change `text`: it holds a form, a block of a secret a piece of it would
        hold, or a cut ("…") a secret's piece may lie beside."""
        return (any(form in text for form in self._order) or any(block in text for block in self._blocks)
                or (ELLIPSIS in text and bool(self._secret_forms)))

    def __call__(self, text: str) -> str:
        for value in self._order:
            text = text.replace(value, self._replacements[value])
        if self._blocks and any(block in text for block in self._blocks):
            text = self._mask_pieces(text)
        if ELLIPSIS in text and self._secret_forms:
            text = self._mask_cut_fragments(text)
        return text

    def _mask_pieces(self, text: str) -> str:
        """Masks each run of MIN_PIECE or more of a secret's characters in a row, spaces allowed between
        them: a server that echoes part of the secret, or the secret wrapped or split by a space."""
        spans: list[tuple[int, int]] = []
        for form, blocks in self._pieces:
            for block, offset in blocks:
                found = text.find(block)
                while found != -1:
                    start, end, (first, last) = self._grow(text, form, found, offset)
                    length = last - first
                    if length >= self.PIECES_OF or (length >= self.MIN_PIECE
                                                    and any(c.isdigit() for c in form[first:last])):
                        spans.append((start, end))
                    found = text.find(block, found + 1)
        if not spans:
            return text
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        pieces, kept = [], 0
        for start, end in merged:
            pieces += [text[kept:start], MASK]
            kept = end
        return "".join([*pieces, text[kept:]])

    def _grow(self, text: str, form: str, at: int, offset: int) -> tuple[int, int, tuple[int, int]]:
        """The longest run around text[at:at+BLOCK] (form's block at `offset`) that follows the form, with
        a whitespace run allowed where the two characters after it follow the form on (one would too often
        be chance): (start, end, (the start and end of the form's characters in it))."""
        start, form_start = at, offset
        while form_start > 0:
            if text[start - 1:start] == form[form_start - 1]:
                start, form_start = start - 1, form_start - 1
                continue
            step = start
            while step > 0 and text[step - 1].isspace():
                step -= 1
            wanted = form[max(form_start - 2, 0):form_start]
            if step == start or text[max(step - len(wanted), 0):step] != wanted:
                break
            start, form_start = step - len(wanted), form_start - len(wanted)
        end, form_end = at + self.BLOCK, offset + self.BLOCK
        while form_end < len(form):
            if text[end:end + 1] == form[form_end]:
                end, form_end = end + 1, form_end + 1
                continue
            step = end
            while step < len(text) and text[step].isspace():
                step += 1
            wanted = form[form_end:form_end + 2]
            if step == end or text[step:step + len(wanted)] != wanted:
                break
            end, form_end = step + len(wanted), form_end + len(wanted)
        return start, end, (form_start, form_end)

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


def _quoted(form: str) -> tuple[str, ...]:
    """`form` as a URL would write it; a value holding bytes that are not UTF-8 (lone surrogates, refused
    later as a usage error) as those bytes, percent-encoded, so that masking it never fails."""
    return (quote(form, safe="", errors="surrogateescape"), quote(form, errors="surrogateescape"),
            quote_plus(form, safe="", errors="surrogateescape"))
