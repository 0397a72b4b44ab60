"""Lines of a text, and spans without their surrounding whitespace."""
from __future__ import annotations

from typing import NamedTuple

import regex as re

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)?")


class Line(NamedTuple):
    start: int  # first character of the line
    end: int  # end of its content (the line terminator excluded)


def lines(text: str) -> list[Line]:
    """(start, end) of each line's content, line terminators excluded."""
    out = []
    for m in _LINE.finditer(text):
        if m.start() == m.end():
            break
        s = m.group(0)
        out.append(Line(m.start(), m.end() - (len(s) - len(s.rstrip("\r\n")))))
    return out


def strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
