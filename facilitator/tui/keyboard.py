"""Reading the keyboard: an Esc typed together with the next keys stays an Esc.

A terminal sends the Esc key as the ESC byte, and also starts its own
sequences (arrows, F-keys, a paste) with it, so Textual's parser waits after
an ESC to see what follows. Typed fast (or arriving in one read over a laggy
ssh link or from a browser), "Esc n a Cambodia" reaches it as one run of
bytes: Textual then reads ESC + n as Alt+n, or, after 31 characters that make
no sequence, gives up and reports the ESC as a "^" character, which the
capture bar would type into the group field.

`KeyboardParser` reads an ESC followed by a byte that no terminal sequence
starts with ([ O P ] _ ^ \\) as the Esc key, on its own, before Textual's
parser sees the rest. An ESC followed by another ESC is the Esc key too: Esc
typed just before F6 or an arrow ("\\x1b" then "\\x1b[17~") must close the
screen, then give the floor (Textual read the pair as Alt+F6). The app binds
no Alt key, so nothing is lost; Alt+letter typed on purpose now reads as Esc then the letter, which is also
what the app does with an Alt+letter the parser still reports. Inside a
bracketed paste nothing is touched: every byte pasted is text.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import constants, events
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.message import Message

ESC = "\x1b"
_STARTS_A_SEQUENCE = frozenset("[O]P_^\\")
_PASTE_START, _PASTE_END = "[200~", "[201~"


class KeyboardParser(XTermParser):
    """Textual's terminal parser, with an Esc typed together with the next keys kept as the Esc key."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pasting = False
        self._held: float | None = None  # when an ESC ending the last read was held back

    def feed(self, data: str) -> Iterable[Message]:
        out: list[Message] = []
        if self._held is not None:
            # The last read ended with ESC: what starts this one says whether it was the Esc key.
            self._held = None
            if data and data[0] not in _STARTS_A_SEQUENCE:
                out.append(events.Key("escape", ESC))
            else:
                data = ESC + data
        if data.endswith(ESC) and not data.endswith(ESC + ESC) and not self._pasting:
            data = data[:-1]  # held until the next read (or the Esc delay) tells
            self._held = get_time()
            if not data:
                return out
        elif not data:
            return [*out, *super().feed(data)]  # the end of input
        start = 0
        for index, character in enumerate(data):
            if character != ESC:
                continue
            following = data[index + 1 : index + 2]
            if data.startswith(_PASTE_START, index + 1):
                self._pasting = True
            elif data.startswith(_PASTE_END, index + 1):
                self._pasting = False
            elif following and following not in _STARTS_A_SEQUENCE and not self._pasting:
                if index > start:  # (an empty feed would tell the parser the input ended)
                    out.extend(super().feed(data[start:index]))
                out.append(events.Key("escape", ESC))
                start = index + 1
        if start < len(data):
            out.extend(super().feed(data[start:]))
        return out

    def tick(self) -> Iterable[Message]:
        out = list(super().tick())
        if self._held is not None and get_time() - self._held >= constants.ESCAPE_DELAY:
            self._held = None  # nothing followed: the Esc key, pressed on its own
            out.append(events.Key("escape", ESC))
        return out


def install() -> None:
    """Make Textual's drivers read the keyboard with `KeyboardParser` (before the app runs)."""
    import os

    from textual.drivers import linux_driver

    linux_driver.XTermParser = KeyboardParser  # type: ignore[misc]
    if "web_driver" in os.environ.get("TEXTUAL_DRIVER", ""):  # a browser tab of `facilitator serve`
        from textual.drivers import web_driver  # (only then: its import costs start-up time)

        web_driver.XTermParser = KeyboardParser  # type: ignore[misc]
