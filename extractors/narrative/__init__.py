"""Structure and figures of the narrative self-evaluation report (自评报告).

Modules, in the order a report flows through them:

* ``headings`` - :func:`classify_heading`, the heading level of one line from its
  numbering style (``一、`` 1, ``（一）`` 2, ``1.``/``1、`` 3, ``（1）`` 4), refined by context;
* ``figures`` - the spaCy pipeline that locates figures (:func:`get_nlp`);
* ``labels`` - the noun phrase each figure quantifies, shares;
* ``breakdowns`` - totals and the items that break them down;
* ``analyze`` - :func:`analyze_report`: heading paths and every figure as
  :class:`Mention` objects with character offsets into the document's canonical text;
* ``goals`` - duty and goal items of the report (职能职责, 绩效目标) as goal records;
* ``checks`` - :func:`narrative_list_sum_findings` and :func:`match_narrative_to_tables`,
  pure check helpers turning mentions into ``checks`` findings.

The figures are found by a spaCy pipeline: a blank ``zh`` pipeline with the jieba
segmenter, a ``Matcher``-based component for quantities (number token + optional scale
/ approximation token + unit token, built from ``patterns.yaml``) and a
component that assigns each quantity its label, the base of a share (``占基本支出的
91.24%``) and the total it breaks down (``项目支出是1125.71万元，其中：维修改造5.40万元、...``).
Values are normalised by :func:`normalizers.parse_quantity`; this module only locates
the spans.

Label rules (the noun phrase the number quantifies):

* after a measure word (``名 个 家 项 ...``, see ``classifier_units``) the label is the
  noun phrase that follows: ``共招聘43名专业技术人员`` -> ``专业技术人员``;
* otherwise the noun phrase of the clause before the number (back to the previous
  delimiter ``，；：。`` - not ``、``, which lists things inside a label - parentheses
  opaque, or the previous figure), read by the clause grammar of ``phrase``: what follows
  the main verb, modifiers kept (``共收到中央下达困难群众救助补助资金9056万元`` ->
  ``中央下达困难群众救助补助资金``; ``省级下达资金``, ``本年度财政拨款``), link words,
  subjects with their year (``2023年我单位基本支出是`` -> ``基本支出``), a cited notice
  (``《…》(…61号)中央补助``) and heading numbering removed; ``人员经费：787.52万元`` ->
  ``人员经费`` (the clause before a colon); ``年初批复预算8个项目985万元`` -> the label of
  the counted items' clause; ``subject`` says what a generic label (``执行率``,
  ``年初目标值``) is about;
* a share ``占X的N%`` gets ``share_of`` X and the label of the figure it qualifies
  (the last money/count figure of the sentence);
* a label that cannot be found is ``None`` rather than a guess.

Breakdowns (``parent_label``/``parent_index``): figures after ``其中``/``包括`` that
follow a total in the same sentence (money: up to 。, crossing ；; counts: one 、-list),
figures in brackets right after a total (``3608万元(中央2855万元、省级753万元)``), and
items closed by ``共计/合计/总计 N`` (the total then gets label ``共计`` if it has none).
Only figures of the same kind join (money with money, counts with the same unit).

What is a mention: a number token followed by a unit of ``patterns.yaml``
(money 元/万元/亿元, %, ‰, 个百分点, counts and measures 人/人次/名/家/个/次/件/户/
km/㎡/天/分 ...), with an optional comparator (``≥90%``), range (``30-40人``) or
approximation (``500多人次``, ``30余家``: kept with its raw text, ``op`` ``>=``, ``value``
the stated number).  Chinese-numeral counts (``一套``, ``十二个``), years, dates,
ordinals (``第1名``), ages (``65岁``), heading numbers and document numbers
(``〔2020〕165号``) are not mentions.  ``value_raw`` is the exact source text, inner
spaces included (``803.74 万元``); the value comes from ``parse_quantity`` of it with
whitespace removed, and stays None when parse_quantity cannot read it (``12类``).

``sentence``: the source text of the sentence holding the figure, split after
``。！？；`` (and their half-width forms) and before inline headings such as ``二、``
in reports converted without line breaks; ``sentence_start`` is its document offset.
"""
from __future__ import annotations

from .analyze import analyze_report
from .checks import match_narrative_to_tables, narrative_list_sum_findings
from .figures import get_nlp
from .headings import classify_heading
from .model import Mention, ParagraphInfo, ReportAnalysis

__all__ = [
    "Mention",
    "ParagraphInfo",
    "ReportAnalysis",
    "analyze_report",
    "classify_heading",
    "get_nlp",
    "match_narrative_to_tables",
    "narrative_list_sum_findings",
]
