"""The rule registry and runner of ``pipeline.checks``: Finding, Rule, Doc, evaluate, run_checks.

Every rule is a small function registered with :func:`rule`.  It receives a
:class:`Doc` (the records of one document, indexed) and yields :class:`Finding` objects;
:func:`run_checks` runs every rule, orders the findings (section, then rule, then the
order the rule found them) and numbers them ``{doc_id}:c{n}``.  A new rule is one more
decorated function::

    @rule("my_rule")
    def my_rule(doc):
        '''One line saying what disagrees.'''
        for ind in doc.indicators:
            doc.compared("my_rule")
            if ...:
                yield Finding(ind["section_id"], "warning", "...", expected, observed, refs)

Conventions shared by the rules:

* Money is compared exactly in ``Decimal``, at the precision the document writes: two
  figures agree when they differ by at most half a unit of the last written digit of
  the less precise one (``863`` 万元 agrees with a sum of ``863.17``; ``2385.39`` does not
  agree with ``2382.39``, and neither does ``75.65`` with ``75.64``).  Points (weights,
  scores) follow the same rule on their written decimals.
* A rule only compares figures that are there: blank cells are not zeros unless a
  sibling in the same column has a value.
* Each rule counts the comparisons it made (:meth:`Doc.compared`) so a caller can tell
  "no finding" from "nothing checked" (:func:`evaluate`).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

SEVERITIES = ("error", "warning", "info")


# ---------------------------------------------------------------------------- registry

@dataclass
class Finding:
    section_id: str | None
    severity: str
    message: str
    expected: str | None
    observed: str | None
    refs: list[str] = field(default_factory=list)
    rule: str | None = None  # filled in from the registry when left empty


@dataclass(frozen=True)
class Rule:
    name: str
    func: Callable[["Doc"], Iterable[Finding]]
    summary: str


RULES: list[Rule] = []


def rule(name: str):
    """Register a rule function under ``name`` (registry order = report order)."""
    def deco(fn):
        summary = (fn.__doc__ or name).strip().splitlines()[0]
        RULES[:] = [r for r in RULES if r.name != name] + [Rule(name, fn, summary)]
        return fn
    return deco


def raw(rec: dict, key: str) -> str:
    """What a record's field writes (``value_raw``, ``target_raw``), trimmed; '' if none."""
    return (rec.get(key) or "").strip()


# ---------------------------------------------------------------------------- context

class Doc:
    """The records of one document, indexed for the rules."""

    def __init__(self, records: dict[str, list[dict]], doc_id: str, shared: dict | None = None):
        def mine(name):
            return [r for r in records.get(name) or [] if r.get("doc_id") == doc_id]
        self.doc_id = doc_id
        self.records = records  # every document's records (rules across documents)
        self.shared = {} if shared is None else shared  # indexes built once per run
        docs = mine("documents")
        self.document = docs[0] if docs else {"doc_id": doc_id}
        self.sections = sorted(mine("sections"), key=lambda s: s.get("ordinal") or 0)
        self.section = {s["section_id"]: s for s in self.sections}
        self.blocks = {b["block_id"]: b for b in mine("blocks")}
        self.indicators = mine("indicators")
        self.funds = mine("funds")
        self.facts = mine("facts")
        self.goals = mine("goals")
        self.mentions = mine("mentions")
        self.comparisons: Counter = Counter()
        self._by_sec: dict[tuple[str, str], list[dict]] = {}

    # -- bookkeeping
    def compared(self, rule_name: str, n: int = 1) -> None:
        self.comparisons[rule_name] += n

    def of_section(self, name: str, section_id: str) -> list[dict]:
        key = (name, section_id)
        if key not in self._by_sec:
            self._by_sec[key] = [r for r in getattr(self, name) if r.get("section_id") == section_id]
        return self._by_sec[key]

    # -- where things are, in words
    def where(self, section_id: str | None) -> str:
        s = self.section.get(section_id or "")
        if not s:
            return f"section {section_id}"
        label = s.get("attachment_label") or f"section {s.get('ordinal')}"
        title = (s.get("title") or "").strip()
        return f"{label} {title} ({section_id})".replace("  ", " ")

    def cell(self, block_id: str | None) -> str:
        b = self.blocks.get(block_id or "")
        if not b:
            return block_id or "?"
        if b.get("kind") == "cell" and b.get("row") is not None:
            pos = f"table {b.get('table_no')} row {b.get('row')} col {b.get('col')}"
            if b.get("address"):
                pos += f" ({b['address']})"
        else:
            pos = f"{b.get('kind') or 'block'} at chars {b.get('char_start')}-{b.get('char_end')}"
        if b.get("page"):
            pos = f"page {b['page']}, " + pos
        return pos

    def column(self, cell: dict) -> list[dict]:
        """The cells of ``cell``'s table column, by row."""
        if not hasattr(self, "_columns"):
            cols: dict[tuple, list[dict]] = defaultdict(list)
            for b in self.blocks.values():
                if b.get("row") is not None:
                    cols[(b.get("section_id"), b.get("table_no"), b.get("col"))].append(b)
            for v in cols.values():
                v.sort(key=lambda b: b["row"])
            self._columns = cols
        return self._columns.get((cell.get("section_id"), cell.get("table_no"), cell.get("col")), [])

    def row_of(self, block_id: str | None) -> int | None:
        b = self.blocks.get(block_id or "")
        return b.get("row") if b else None


def _iter_doc_ids(records: dict[str, list[dict]]) -> list[str]:
    seen: list[str] = []
    for name in ("documents", "sections", "indicators", "funds", "facts", "mentions"):
        for r in records.get(name) or []:
            d = r.get("doc_id")
            if d and d not in seen:
                seen.append(d)
    return seen


# ---------------------------------------------------------------------------- runner

@dataclass
class Evaluation:
    findings: list[dict]
    comparisons: Counter  # rule -> number of comparisons made


def evaluate(records: dict[str, list[dict]]) -> Evaluation:
    """Run every rule over every document in ``records``; findings plus comparison counts."""
    out: list[dict] = []
    total: Counter = Counter()
    shared: dict = {}
    for doc_id in _iter_doc_ids(records):
        doc = Doc(records, doc_id, shared)
        found: list[tuple[tuple, Finding]] = []
        for r_idx, r in enumerate(RULES):
            try:
                for seq, f in enumerate(r.func(doc) or ()):
                    f.rule = f.rule or r.name
                    found.append(((_ordinal(doc, f.section_id), r_idx, seq), f))
            except Exception as e:  # a rule bug must not hide the other rules' findings
                found.append(((10**6, r_idx, 0), Finding(
                    None, "warning",
                    f"rule {r.name} crashed on this document ({type(e).__name__}: {e}); its "
                    f"findings are missing - please report this file", None, None, [],
                    rule="check_failed")))
        found.sort(key=lambda x: x[0])
        for n, (_, f) in enumerate(found, start=1):
            assert f.severity in SEVERITIES, f.severity
            out.append({
                "check_id": f"{doc_id}:c{n}", "doc_id": doc_id, "section_id": f.section_id,
                "rule": f.rule, "severity": f.severity, "message": f.message,
                "expected": f.expected, "observed": f.observed,
                "refs": list(dict.fromkeys(x for x in f.refs if x)),
            })
        total.update(doc.comparisons)
    return Evaluation(out, total)


def run_checks(records: dict[str, list[dict]]) -> list[dict]:
    """Rows of the ``checks`` dataset for the documents in ``records``."""
    return evaluate(records).findings


def _ordinal(doc: Doc, section_id: str | None) -> int:
    s = doc.section.get(section_id or "")
    return s.get("ordinal") or 0 if s else 0

