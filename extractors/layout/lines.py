"""Lines of a text, and spans without their surrounding whitespace."""
from __future__ import annotations

from typing import NamedTuple

import regex as re

_EOL = re.compile(r"\r\n|\n|\r")


class Line(NamedTuple):
    start: int  # first character of the line
    end: int  # end of its content (the line terminator excluded)


def lines(text: str) -> list[Line]:
    """(start, end) of each line's content, line terminators excluded."""
    out, pos = [], 0
    for m in _EOL.finditer(text):
        out.append(Line(pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append(Line(pos, len(text)))
    return out


def strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
