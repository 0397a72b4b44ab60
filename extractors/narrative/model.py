"""The narrative analysis' results: mentions, paragraphs, the report."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .text import _fold


@dataclass
class Mention:
    """One figure stated in the narrative.  ``char_start``/``char_end`` index the
    document's canonical text: ``text[char_start:char_end] == value_raw``."""

    paragraph_index: int
    label: str | None
    value_raw: str
    value: Decimal | None
    unit: str | None
    kind: str | None  # money | percent | count | duration | ... (from parse_quantity)
    share_of: str | None
    parent_label: str | None
    char_start: int
    char_end: int
    sentence: str
    heading_path: list[str]
    op: str | None = None
    upper: Decimal | None = None
    parent_index: int | None = None  # index in ReportAnalysis.mentions of the total
    sentence_start: int | None = None  # document offset of ``sentence``
    subject: str | None = None  # what a generic label (执行率, 年初目标值) is about


@dataclass
class ParagraphInfo:
    index: int
    text: str
    char_start: int
    level: int | None  # heading level, None for a paragraph
    heading_path: list[str]  # texts of the headings above (not including itself)
    title: str | None = None  # heading text as used in paths (None for paragraphs)


@dataclass
class ReportAnalysis:
    paragraphs: list[ParagraphInfo]
    mentions: list[Mention]
    warnings: list[str] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)  # duty and goal items (narrative.goals)

    def mentions_under(self, *path: str) -> list[Mention]:
        """Mentions whose heading path starts with ``path`` (compared whitespace-folded)."""
        want = [_fold(p) for p in path]
        return [m for m in self.mentions
                if [_fold(h) for h in m.heading_path[: len(want)]] == want]

