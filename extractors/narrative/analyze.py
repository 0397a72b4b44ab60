"""analyze_report: headings, heading paths and every figure of a narrative report."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Sequence

from .figures import _DIGIT_RE, get_nlp
from .headings import _context_levels, _heading_title, _heading_topic
from .labels import _Q
from .goals import report_goals
from .model import Mention, ParagraphInfo, ReportAnalysis
from .text import may_hold_figure


def _normalise(raw: str, warnings: list[str]) -> tuple[str | None, Decimal | None,
                                                          Decimal | None, str | None, str | None]:
    """(op, value, upper, unit, kind) of one located figure, via normalizers.parse_quantity."""
    compact = re.sub(r"\s+", "", raw)
    try:
        from normalizers import parse_quantity
    except Exception as exc:  # normalizers not available: keep raw only
        msg = f"normalizers.parse_quantity unavailable ({exc.__class__.__name__}: {exc})"
        if msg not in warnings:
            warnings.append(msg)
        return None, None, None, None, None
    approx = bool(re.search(r"\d(?:[万亿千百]*)[多余]", compact))
    try:
        r = parse_quantity(compact)
        if approx and getattr(r, "value", None) is None:
            r = parse_quantity(re.sub(r"(?<=[\d万亿千百])[多余]", "", compact))
    except Exception as exc:
        warnings.append(f"parse_quantity({compact!r}) failed: {exc}")
        return None, None, None, None, None
    op = getattr(r, "op", None)
    if approx and getattr(r, "value", None) is not None and op in (None, "="):
        op = ">="
    return (op, getattr(r, "value", None), getattr(r, "upper", None),
            getattr(r, "unit", None), getattr(r, "kind", None))


# ----------------------------------------------------------------------------------
# Report analysis
# ----------------------------------------------------------------------------------


def analyze_report(paragraphs: Sequence[tuple[str, int]]) -> ReportAnalysis:
    """Headings, heading paths and figures of a narrative report.

    ``paragraphs`` are ``(text, char_start)`` pairs in reading order, ``char_start``
    being the paragraph's offset in the document's canonical text.  All paragraphs are
    processed in one ``nlp.pipe`` batch.
    """
    texts = [t or "" for t, _ in paragraphs]
    starts = [int(s) for _, s in paragraphs]
    warnings: list[str] = []
    levels = _context_levels(texts)

    infos: list[ParagraphInfo] = []
    stack: list[tuple[int, str]] = []
    for i, (t, lvl) in enumerate(zip(texts, levels)):
        if lvl is not None:
            while stack and stack[-1][0] >= lvl:
                stack.pop()
            infos.append(ParagraphInfo(i, t, starts[i], lvl, [h for _, h in stack],
                                       _heading_title(t)))
            stack.append((lvl, _heading_title(t)))
        else:
            infos.append(ParagraphInfo(i, t, starts[i], None, [h for _, h in stack]))

    nlp = get_nlp()
    mentions: list[Mention] = []
    # only a paragraph holding a number with a unit can state a figure (a regex on the
    # text: 45% of the paragraphs with a digit have none): the others skip the pipeline
    todo = [i for i, t in enumerate(texts) if _DIGIT_RE.search(t) and may_hold_figure(t)]
    for i, doc in zip(todo, nlp.pipe([texts[i] for i in todo], batch_size=64)):
        info = infos[i]
        path = info.heading_path + ([info.title] if info.level is not None else [])
        qs: list[_Q] = doc._.narr_quantities or []
        base = len(mentions)
        for q in qs:
            if q.label is None and info.heading_path and not texts[i][:q.start].strip() \
                    and info.level is None:
                # `(一)自评得分` / `100分。`: a bare figure is about its heading
                q.label = _heading_topic(info.heading_path[-1])
            op, value, upper, unit, kind = _normalise(q.raw, warnings)
            s_text = texts[i][q.sent_start:q.sent_end]
            lead = len(s_text) - len(s_text.lstrip())
            mentions.append(Mention(
                paragraph_index=i, label=q.label, value_raw=q.raw, value=value,
                unit=unit if unit is not None else (q.unit or None),
                kind=kind if kind is not None else q.kind,
                share_of=q.share_of, parent_label=None,
                char_start=starts[i] + q.start, char_end=starts[i] + q.end,
                sentence=s_text.strip(), heading_path=list(path), op=op, upper=upper,
                parent_index=None, sentence_start=starts[i] + q.sent_start + lead,
                subject=q.subject))
        for k, q in enumerate(qs):
            if q.parent is not None:
                mentions[base + k].parent_index = base + q.parent
                mentions[base + k].parent_label = qs[q.parent].label
    return ReportAnalysis(infos, mentions, warnings, report_goals(texts, starts, levels))

