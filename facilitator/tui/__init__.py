"""The terminal interface: the only package that imports Textual."""

import rich.control
import textual.content

from facilitator.problems import CONTROL_PICTURES

# Rich and Textual drop a few control characters from the text they draw (BEL,
# backspace, CR...) but pass ESC and the C1 controls through, so an answer pasted
# or read from a notes file could move the cursor, retitle the window or write the
# clipboard. Every control character is drawn as its symbol instead (␛ for ESC):
# nothing captured can act on the terminal. tests/test_hygiene.py checks it holds.
# The tables are private: should a release of Rich rename one, the app still
# starts (the hygiene test then fails and says which).
for _module in (rich.control, textual.content):
    _table = getattr(_module, "_CONTROL_STRIP_TRANSLATE", None)
    if isinstance(_table, dict):
        _table.update(CONTROL_PICTURES)


def literal(text: str) -> str:
    """`text` for the few Textual places that only take markup (a palette hit's help line).

    Everywhere else the app passes `Content`/`Text`. Every "[" is escaped, not
    only those that look like tags: Textual reads an unclosed "[/exports" in a
    folder's name as a closing tag, which `textual.markup.escape` leaves alone.
    """
    return text.replace("[", "\\[")
