"""Block letters for the projector: a 5x7 bitmap font with descenders, drawn in half blocks.

Textual has no font sizes. A question shown on a wall reads best in letters
several rows high, so the projector draws short texts with this font: each
glyph is 8 pixel rows (7 above the baseline, 1 for descenders) and, at
scale 1, each terminal cell holds two pixel rows ("▀", "▄", "█"), so pixels are
about square and a line of letters is 4 rows high; at scale 2 each pixel is
two columns by one row (8 rows a line).

ASCII letters, digits and common punctuation only: a text with any other
character (accents, other scripts) is shown as plain text by the caller
rather than misspelt in blocks. No Textual here.
"""

from __future__ import annotations

from collections.abc import Sequence

ROWS = 8  # pixel rows of a glyph: 7 above the baseline, 1 below
GAP = 1  # pixel columns between two glyphs

# Each glyph: its pixel rows, top to bottom, "#" on; rows given are padded with
# empty ones to ROWS. Narrow glyphs (i, l, punctuation) are narrower.
_GLYPHS = """
A .###. #...# #...# ##### #...# #...# #...#
B ####. #...# #...# ####. #...# #...# ####.
C .###. #...# #.... #.... #.... #...# .###.
D ####. #...# #...# #...# #...# #...# ####.
E ##### #.... #.... ####. #.... #.... #####
F ##### #.... #.... ####. #.... #.... #....
G .###. #...# #.... #.### #...# #...# .####
H #...# #...# #...# ##### #...# #...# #...#
I ### .#. .#. .#. .#. .#. ###
J ..### ...#. ...#. ...#. ...#. #..#. .##..
K #...# #..#. #.#.. ##... #.#.. #..#. #...#
L #.... #.... #.... #.... #.... #.... #####
M #...# ##.## #.#.# #.#.# #...# #...# #...#
N #...# #...# ##..# #.#.# #..## #...# #...#
O .###. #...# #...# #...# #...# #...# .###.
P ####. #...# #...# ####. #.... #.... #....
Q .###. #...# #...# #...# #.#.# #..#. .##.#
R ####. #...# #...# ####. #.#.. #..#. #...#
S .#### #.... #.... .###. ....# ....# ####.
T ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
U #...# #...# #...# #...# #...# #...# .###.
V #...# #...# #...# #...# #...# .#.#. ..#..
W #...# #...# #...# #.#.# #.#.# #.#.# .#.#.
X #...# #...# .#.#. ..#.. .#.#. #...# #...#
Y #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..
Z ##### ....# ...#. ..#.. .#... #.... #####
a ..... ..... .###. ....# .#### #...# .####
b #.... #.... #.##. ##..# #...# #...# ####.
c ..... ..... .###. #.... #.... #...# .###.
d ....# ....# .##.# #..## #...# #...# .####
e ..... ..... .###. #...# ##### #.... .###.
f ..##. .#..# .#... ###.. .#... .#... .#...
g ..... ..... .#### #...# #...# .#### ....# .###.
h #.... #.... #.##. ##..# #...# #...# #...#
i .#. ... ##. .#. .#. .#. ###
j ...# .... ..## ...# ...# ...# #..# .##.
k #.... #.... #..#. #.#.. ##... #.#.. #..#.
l ##. .#. .#. .#. .#. .#. ###
m ..... ..... ##.#. #.#.# #.#.# #...# #...#
n ..... ..... #.##. ##..# #...# #...# #...#
o ..... ..... .###. #...# #...# #...# .###.
p ..... ..... ####. #...# #...# ####. #.... #....
q ..... ..... .#### #...# #...# .#### ....# ....#
r ..... ..... #.##. ##..# #.... #.... #....
s ..... ..... .#### #.... .###. ....# ####.
t .#... .#... ###.. .#... .#... .#..# ..##.
u ..... ..... #...# #...# #...# #..## .##.#
v ..... ..... #...# #...# #...# .#.#. ..#..
w ..... ..... #...# #...# #.#.# #.#.# .#.#.
x ..... ..... #...# .#.#. ..#.. .#.#. #...#
y ..... ..... #...# #...# #...# .#### ....# .###.
z ..... ..... ##### ...#. ..#.. .#... #####
0 .###. #...# #...# #...# #...# #...# .###.
1 ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.
2 .###. #...# ....# ...#. ..#.. .#... #####
3 .###. #...# ....# ..##. ....# #...# .###.
4 ...#. ..##. .#.#. #..#. ##### ...#. ...#.
5 ##### #.... ####. ....# ....# #...# .###.
6 ..##. .#... #.... ####. #...# #...# .###.
7 ##### ....# ...#. ..#.. .#... .#... .#...
8 .###. #...# #...# .###. #...# #...# .###.
9 .###. #...# #...# .#### ....# ...#. .##..
. .. .. .. .. .. ## ##
, .. .. .. .. .. ## ## #.
: .. .. ## ## .. ## ##
; .. .. ## ## .. ## ## #.
! # # # # # . #
? .###. #...# ....# ...#. ..#.. ..... ..#..
- .... .... .... #### .... .... ....
– ..... ..... ..... ##### ..... ..... .....
— ..... ..... ..... ##### ..... ..... .....
/ ....# ...#. ...#. ..#.. .#... .#... #....
( ..# .#. #.. #.. #.. .#. ..#
) #.. .#. ..# ..# ..# .#. #..
[ ## #. #. #. #. #. ##
] ## .# .# .# .# .# ##
' # # .
’ ## .# #.
‘ .# #. ##
" #.# #.# ...
“ .#.# #.#. ##.#
” #.## .#.# #.#.
& .##.. #..#. #.#.. .#... #.#.# #..#. .##.#
% ##... ##..# ...#. ..#.. .#... #..## ...##
+ ..... ..... ..#.. .###. ..#.. ..... .....
= .... .... #### .... #### .... ....
* ..... ..#.. #.#.# .###. #.#.# ..#.. .....
# .#.#. ##### .#.#. .#.#. .#.#. ##### .#.#.
< ...# ..#. .#.. #... .#.. ..#. ...#
> #... .#.. ..#. ...# ..#. .#.. #...
_ ..... ..... ..... ..... ..... ..... ..... #####
… ..... ..... ..... ..... ..... ..... #.#.#
"""


def _parse(table: str) -> dict[str, tuple[int, tuple[str, ...]]]:
    glyphs: dict[str, tuple[int, tuple[str, ...]]] = {}
    for line in table.strip().splitlines():
        char, *rows = line.split(" ")
        width = len(rows[0])
        assert all(len(row) == width for row in rows) and len(rows) <= ROWS, line
        glyphs[char] = (width, tuple(rows) + ("." * width,) * (ROWS - len(rows)))
    glyphs[" "] = (3, ("...",) * ROWS)
    return glyphs


GLYPHS = _parse(_GLYPHS)


def can_draw(text: str) -> bool:
    """Whether every character of `text` has a glyph (line breaks and spaces count as spaces)."""
    return all(char in GLYPHS or char.isspace() for char in text)


def pixel_width(text: str) -> int:
    """The width of `text` in pixel columns (glyphs and the gaps between them)."""
    widths = [GLYPHS[char][0] for char in text]
    return sum(widths) + GAP * max(len(widths) - 1, 0)


def wrap(text: str, columns: int, scale: int) -> list[str] | None:
    """`text` in lines of block letters no wider than `columns` cells; None when a word is wider."""
    room = columns // scale
    lines: list[str] = []
    for word in text.split():
        if pixel_width(word) > room:
            return None
        if lines and pixel_width(f"{lines[-1]} {word}") <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def line_rows(scale: int) -> int:
    """Terminal rows a line of block letters takes."""
    return ROWS // 2 if scale == 1 else ROWS * scale // 2


def draw(line: str, scale: int) -> list[str]:
    """One line of text as terminal rows of block characters, `line_rows(scale)` of them."""
    pixels: list[str] = [""] * ROWS
    for n, char in enumerate(line):
        width, rows = GLYPHS[char]
        for y in range(ROWS):
            pixels[y] += ("." * GAP if n else "") + rows[y]
    if scale == 1:
        return [_halves(pixels[y], pixels[y + 1]) for y in range(0, ROWS, 2)]
    return [_fulls(row, scale) for row in pixels for _ in range(scale // 2)]


def _halves(top: str, bottom: str) -> str:
    return "".join(" ▄▀█"[(t == "#") * 2 + (b == "#")] for t, b in zip(top, bottom, strict=True))


def _fulls(row: str, scale: int) -> str:
    return "".join(("█" if p == "#" else " ") * scale for p in row)


def drawn_width(lines: Sequence[str], scale: int) -> int:
    """The widest of `lines` in terminal columns."""
    return max((pixel_width(line) * scale for line in lines), default=0)
