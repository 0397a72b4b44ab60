"""Audit rules over one document's records: the ``checks`` dataset.

``core`` holds the registry (:class:`Finding`, :class:`Rule`, :func:`rule`), the indexed
records of a document (:class:`Doc`) and the runner (:func:`evaluate`,
:func:`run_checks`); ``money`` the written-precision arithmetic; the rule modules
register their rules on import, in report order: ``indicators``, ``goals``, ``rates``,
``funds``, ``narrative``, ``cross`` (figures stated in two attachments of a document, or
in two documents of one unit and year).
"""
from __future__ import annotations

from .core import RULES, SEVERITIES, Doc, Evaluation, Finding, Rule, evaluate, rule, run_checks
from .money import (HALF, UNIT_SCALE, Money, dec, decimals_of, fmt, fmt_points, half_unit,
                    money_of_fund, money_sum_str, tolerance, written_decimals)
from . import indicators, goals, rates, funds, narrative  # noqa: E402,F401  (register rules)
from . import cross  # noqa: E402,F401
from .funds import is_breakdown

__all__ = ["RULES", "SEVERITIES", "Doc", "Evaluation", "Finding", "Rule", "evaluate", "rule",
           "run_checks", "HALF", "UNIT_SCALE", "Money", "dec", "decimals_of", "fmt",
           "fmt_points", "half_unit", "money_of_fund", "money_sum_str", "tolerance",
           "written_decimals", "is_breakdown"]
