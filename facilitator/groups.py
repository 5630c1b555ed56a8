"""Who answers: one group, whatever way its name is typed.

A rapporteur types "Peru" after "Perú", "senegal" for the programme's
"Senegal", or pastes "Cam​bodia" with a zero-width space from an email. Each is
the same delegation, and must count as one everywhere: at capture, in
completion, in the summary's "did not contribute", in exports and in merges.

`group_key` is that identity: case, accents, letter width, apostrophe and dash
variants, zero-width characters, soft hyphens and direction marks do not count.
A programme may also give a group other names (`aka`, e.g. "Yemen" =
"Yémen" = "اليمن"); a `Roster` holds the meeting's groups with those names
and answers the two questions the screens ask: which spelling to store
(`canonical`) and which groups a few typed letters mean (`complete`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Characters that change how a name looks or wraps but not which group it is.
_INVISIBLE = (
    "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width spaces and joiners, BOM
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # direction marks
)
_VARIANTS = str.maketrans(
    {
        **dict.fromkeys(map(ord, _INVISIBLE), None),
        **dict.fromkeys(map(ord, "\u2018\u2019\u02bc\u2032\u0060\u00b4"), "'"),  # ’ ‘ ʼ ′ ` ´ → '
        **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-"),  # ‐ ‑ ‒ – — − → -
    }
)
_WORD_BREAK = re.compile(r"[\s'\-/().,&]+")


@lru_cache(maxsize=65_536)
def group_key(name: str) -> str:
    """What makes two spellings of a group name the same group.

    NFKC first (full-width "ＰＥＲＵ" is "PERU"), then the invisible and
    variant characters, then accents (NFKD without combining marks), then case;
    runs of white space count as one space.
    """
    text = unicodedata.normalize("NFKC", name).translate(_VARIANTS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def _words(key: str) -> list[str]:
    return [w for w in _WORD_BREAK.split(key) if w]


def _is_subsequence(wanted: str, text: str) -> bool:
    letters = iter(text)
    return all(c in letters for c in wanted)


def _rank(typed: str, name_key: str) -> int | None:
    """How well `typed` (a key) matches a name's key; lower is better, None for no match.

    0 the name starts with it; 1 a later word does; 2 it is the initials of
    some words ("bh": Bosnia and Herzegovina); 3 its letters appear in order
    from the start of a word ("cg": Congo). Two letters then find almost any
    delegation, and the rank keeps the obvious match first.
    """
    if name_key.startswith(typed):
        return 0
    words = _words(name_key)
    if any(word.startswith(typed) for word in words[1:]):
        return 1
    squeezed = typed.replace(" ", "")
    if not squeezed:
        return None
    if len(squeezed) > 1 and _is_subsequence(squeezed, "".join(w[0] for w in words)):
        return 2
    for start, word in enumerate(words):
        if word.startswith(squeezed[0]) and _is_subsequence(squeezed, "".join(words[start:])):
            return 3
    return None


class Roster:
    """The groups of a meeting: the programme's, with their other names, then those used since.

    Each group is listed once, under its first spelling: the programme's, or
    the one first typed for a group the programme does not name.
    """

    def __init__(self, named: Iterable[str] = (), aka: Iterable[tuple[str, str]] = (), used: Iterable[str] = ()):
        self.names: list[str] = []
        self._by_key: dict[str, str] = {}
        self._spellings: list[tuple[str, str]] = []  # (key of a name or other name, the group's name)
        for name in named:
            self._add(name)
        for other, name in aka:
            key = group_key(other)
            if key and key not in self._by_key:
                self._by_key[key] = name
                self._spellings.append((key, name))
        for name in used:
            self._add(name)

    def _add(self, name: str) -> None:
        key = group_key(name)
        if key and key not in self._by_key:
            self._by_key[key] = name
            self.names.append(name)
            self._spellings.append((key, name))

    def __contains__(self, name: str) -> bool:
        return group_key(name) in self._by_key

    def canonical(self, name: str) -> str:
        """The roster's spelling of `name`, or `name` itself (one line, trimmed) for a new group."""
        return self._by_key.get(group_key(name)) or " ".join(name.split())

    def complete(self, typed: str) -> list[str]:
        """The groups `typed` may mean, best first: each group once, under its roster name.

        An exact name or other name comes first, then names starting with the
        text, then a later word starting with it, then initials, then letters in
        order; ties keep the roster's order (the programme's, then first use).
        """
        wanted = group_key(typed)
        if not wanted:
            return []
        best: dict[str, tuple[int, int]] = {}
        order = {name: i for i, name in enumerate(self.names)}
        for key, name in self._spellings:
            rank = -1 if key == wanted else _rank(wanted, key)
            if rank is None:
                continue
            place = (rank, order.get(name, len(order)))
            if name not in best or place < best[name]:
                best[name] = place
        return sorted(best, key=best.__getitem__)
