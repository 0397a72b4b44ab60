"""Audit rules over one document's records: the ``checks`` dataset.

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

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Callable, Iterable, Iterator

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


# ---------------------------------------------------------------------------- numbers

UNIT_SCALE = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000),
              "百万元": Decimal(1000000), "亿元": Decimal(100000000)}
_NUM = re.compile(r"\d[\d,，]*(?:[.．]\d+)?")
HALF = Decimal("0.5")


def written_decimals(raw: str | None) -> int | None:
    """Digits written after the decimal point of the first number in ``raw``."""
    m = _NUM.search(raw or "")
    if not m:
        return None
    return len(m.group(0).replace("．", ".").partition(".")[2])


def decimals_of(value: Decimal) -> int:
    """Decimals a Decimal carries once trailing zeros are dropped (3.0000 → 0, 1.80 → 1)."""
    try:
        return max(0, -int(Decimal(value).normalize().as_tuple().exponent))
    except (InvalidOperation, TypeError, ValueError):
        return 0


def half_unit(decimals: int, scale: Decimal = Decimal(1)) -> Decimal:
    return HALF * Decimal(1).scaleb(-decimals) * scale


def dec(v) -> Decimal | None:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return v
    try:
        return Decimal(str(v))
    except InvalidOperation:
        return None


def fmt(value: Decimal, decimals: int) -> str:
    return str(Decimal(value).quantize(Decimal(1).scaleb(-decimals)))


def fmt_points(value: Decimal) -> str:
    d = Decimal(value).normalize()
    return f"{d:f}"


@dataclass(frozen=True)
class Money:
    """One money figure with the precision it was written at."""
    yuan: Decimal
    scale: Decimal       # 元 per written unit
    unit: str            # written unit (万元)
    decimals: int        # digits written after the point
    ref: str | None = None

    @property
    def tol(self) -> Decimal:
        return half_unit(self.decimals, self.scale)

    def written(self, decimals: int | None = None) -> str:
        d = self.decimals if decimals is None else decimals
        return fmt(self.yuan / self.scale, d)


def money_of_fund(f: dict) -> Money | None:
    yuan = dec(f.get("amount_yuan"))
    if yuan is None:
        return None
    unit = f.get("unit_raw") or "元"
    scale = UNIT_SCALE.get(unit, Decimal(1))
    d = written_decimals(f.get("amount_raw"))
    return Money(yuan, scale, unit, 2 if d is None else d, f.get("fund_id"))


def tolerance(figures: Iterable[Money]) -> Decimal:
    """Half a unit of the last written digit of the least precise figure."""
    return max((m.tol for m in figures), default=Decimal("0.005"))


def money_sum_str(total: Decimal, like: Iterable[Money]) -> str:
    """A sum in the written unit of the figures, at their finest written precision."""
    like = list(like)
    if not like:
        return f"{total}元"
    scale, unit = like[0].scale, like[0].unit
    d = max(m.decimals for m in like)
    return f"{fmt(total / scale, d)}{unit}"


# ---------------------------------------------------------------------------- context

_NUMBERED = re.compile(r"^\s*(?:[(（]?\d+[)）]|\d+\s*[、.．]|[一二三四五六七八九十]+\s*[、.．])")
_QIZHONG = re.compile(r"^\s*其\s*中")


class Doc:
    """The records of one document, indexed for the rules."""

    def __init__(self, records: dict[str, list[dict]], doc_id: str):
        def mine(name):
            return [r for r in records.get(name) or [] if r.get("doc_id") == doc_id]
        self.doc_id = doc_id
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
    for doc_id in _iter_doc_ids(records):
        doc = Doc(records, doc_id)
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


# ---------------------------------------------------------------------------- indicators

def _points_tol(*values: Decimal) -> Decimal:
    return half_unit(min(decimals_of(v) for v in values))


def _ind_where(doc: Doc, ind: dict) -> str:
    return (f"{doc.where(ind['section_id'])}, indicator {ind.get('row_no')} "
            f"「{ind.get('name') or ind.get('name_raw')}」 ({ind['indicator_id']})")


@rule("score_above_weight")
def score_above_weight(doc: Doc) -> Iterator[Finding]:
    """An indicator scored more points than its weight."""
    for ind in doc.indicators:
        w, s = dec(ind.get("weight")), dec(ind.get("score"))
        if w is None or s is None:
            continue
        doc.compared("score_above_weight")
        if s > w:
            yield Finding(ind["section_id"], "error",
                          f"{_ind_where(doc, ind)}: score {fmt_points(s)} "
                          f"({doc.cell(ind.get('score_block'))}) is above its weight "
                          f"{fmt_points(w)} ({doc.cell(ind.get('weight_block'))})",
                          f"<= {fmt_points(w)}", fmt_points(s),
                          [ind["indicator_id"], ind.get("score_block"), ind.get("weight_block")])


def _budget_fact(doc: Doc, section_id: str, key: str) -> dict | None:
    facts = [f for f in doc.of_section("facts", section_id) if f.get("key") == key
             and dec(f.get("value")) is not None]
    # the 年度资金总额 line's figure (the first one) is the 预算执行 part of the total
    return facts[0] if facts else None


def _sum_vs_total(doc: Doc, rule_name: str, sec: dict, column: str, stated_col: str,
                  fact_key: str, what: str, default_total: Decimal | None) -> Iterator[Finding]:
    inds = [i for i in doc.of_section("indicators", sec["section_id"]) if dec(i.get(column)) is not None]
    if not inds:
        return
    stated = dec(sec.get(stated_col))
    assumed = stated is None
    if assumed:
        if default_total is None:
            return
        stated = default_total
    parts = [dec(i[column]) for i in inds]
    s = sum(parts, Decimal(0))
    fact = _budget_fact(doc, sec["section_id"], fact_key)
    fv = dec(fact["value"]) if fact else None
    candidates = [s] + ([s + fv] if fv is not None else [])
    tol = _points_tol(stated, *parts, *([fv] if fv is not None else []))
    doc.compared(rule_name)
    if any(abs(stated - c) <= tol for c in candidates):
        return
    label = "分值" if column == "weight" else "自评得分"
    where_total = (f"the 总分 row {label} {fmt_points(stated)} ({doc.cell(sec.get('total_block'))})"
                   if not assumed else f"the expected total of {fmt_points(stated)} (no 总分 {label} stated)")
    msg = (f"{doc.where(sec['section_id'])}: {where_total} does not match the "
           f"{len(parts)} indicator {what} summing to {fmt_points(s)}")
    if fv is not None:
        msg += (f", nor {fmt_points(s)} + the funds block {fact.get('label_raw') or fact_key} "
                f"{fmt_points(fv)} ({fact['fact_id']}) = {fmt_points(s + fv)}")
    expected = fmt_points(candidates[-1])
    yield Finding(sec["section_id"], "error", msg, expected, fmt_points(stated),
                  [sec.get("total_block")] + [i["indicator_id"] for i in inds]
                  + ([fact["fact_id"]] if fact else []))


@rule("scores_sum")
def scores_sum(doc: Doc) -> Iterator[Finding]:
    """The stated total score (总分 自评得分) is neither the sum of the indicator scores
    nor that sum plus the funds-block score (预算执行 得分)."""
    for sec in doc.sections:
        yield from _sum_vs_total(doc, "scores_sum", sec, "score", "total_score",
                                 "budget_score", "scores", None)


@rule("weights_sum")
def weights_sum(doc: Doc) -> Iterator[Finding]:
    """The indicator weights (plus the funds-block 分值) do not add up to the stated
    total weight, or to 100 when none is stated."""
    for sec in doc.sections:
        yield from _sum_vs_total(doc, "weights_sum", sec, "weight", "total_weight",
                                 "budget_weight", "weights", Decimal(100))


@rule("level1_weights")
def level1_weights(doc: Doc) -> Iterator[Finding]:
    """The weight stated in a 一级指标 label (产出指标(50分)) differs from the sum of the
    weights of its indicators."""
    groups: dict[tuple, list[dict]] = {}
    for ind in doc.indicators:
        key = (ind["section_id"], ind.get("level1_block") or ind.get("level1"))
        groups.setdefault(key, []).append(ind)
    for (sid, _), inds in groups.items():
        lw = next((dec(i.get("level1_weight")) for i in inds if dec(i.get("level1_weight")) is not None), None)
        weights = [(i, dec(i.get("weight"))) for i in inds if dec(i.get("weight")) is not None]
        if lw is None or not weights:
            continue
        s = sum((w for _, w in weights), Decimal(0))
        doc.compared("level1_weights")
        if abs(s - lw) <= _points_tol(lw, *(w for _, w in weights)):
            continue
        first = inds[0]
        label = (first.get("level1_raw") or first.get("level1") or "").replace("\n", "")
        yield Finding(sid, "error",
                      f"{doc.where(sid)}: 一级指标 「{label}」 ({doc.cell(first.get('level1_block'))}) "
                      f"states {fmt_points(lw)} points but its {len(weights)} indicators' weights "
                      f"sum to {fmt_points(s)}",
                      fmt_points(lw), fmt_points(s),
                      [first.get("level1_block")] + [i["indicator_id"] for i, _ in weights])


COMPARABLE_KINDS = ("count", "percent", "money")


def _missed(op: str, target: Decimal, upper: Decimal | None, actual: Decimal, kind: str) -> bool:
    if op == ">=":
        return actual < target
    if op == ">":
        return actual <= target
    if op == "<=":
        return actual > target
    if op == "<":
        return actual >= target
    if op == "range":
        return actual < target or (upper is not None and actual > upper)
    if op == "=":
        # A bare money figure is a budget: any difference misses it.  A bare count or
        # percentage is a quota: falling short misses it, exceeding it does not (5239 人
        # managed against a target of 5200 人 is not a miss) - except a zero target
        # (安全生产事故发生率 0%), which is a ceiling.
        if kind == "money":
            return actual != target
        if target == 0:
            return actual > 0
        return actual < target
    return False


@rule("full_score_missed_target")
def full_score_missed_target(doc: Doc) -> Iterator[Finding]:
    """Full score although the actual value misses the target (comparable numbers with
    the same unit only)."""
    for ind in doc.indicators:
        w, s = dec(ind.get("weight")), dec(ind.get("score"))
        tv, av = dec(ind.get("target_value")), dec(ind.get("actual_value"))
        op, kind = ind.get("target_op"), ind.get("target_kind")
        if None in (w, s, tv, av) or ind.get("actual_op") != "=" or kind not in COMPARABLE_KINDS:
            continue
        if ind.get("actual_kind") != kind or ind.get("actual_unit") != ind.get("target_unit"):
            continue
        if op not in (">=", ">", "<=", "<", "=", "range"):
            continue
        doc.compared("full_score_missed_target")
        if s < w or not _missed(op, tv, dec(ind.get("target_upper")), av, kind):
            continue
        yield Finding(ind["section_id"], "warning",
                      f"{_ind_where(doc, ind)}: full score {fmt_points(s)}/{fmt_points(w)} although "
                      f"the actual value 「{(ind.get('actual_raw') or '').strip()}」 "
                      f"({doc.cell(ind.get('actual_block'))}) misses the target "
                      f"「{(ind.get('target_raw') or '').strip()}」 ({doc.cell(ind.get('target_block'))})",
                      f"target {(ind.get('target_raw') or '').strip()} met, or a score below {fmt_points(w)}",
                      f"actual {(ind.get('actual_raw') or '').strip()}, score {fmt_points(s)}",
                      [ind["indicator_id"], ind.get("target_block"), ind.get("actual_block"),
                       ind.get("score_block")])


# ---------------------------------------------------------------------- goals vs indicators

_AFTER_NAME = re.compile(r"\s*(?:为|达|达到|共|计)?\s*(\d[\d,，]*(?:\.\d+)?\s*(?:万|亿)?\s*[^\d\s，。；;、,：:（(]{1,3})")


def _stated_after(text: str | None, name: str):
    """The quantity written right after ``name`` in a goal item (``…健康管理37874人；``)."""
    from normalizers import parse_quantity
    if not text or not name:
        return None
    from normalizers.text import fold_ws
    t = fold_ws(text)
    k = t.find(name)
    if k < 0:
        return None
    m = _AFTER_NAME.match(t, k + len(name))
    if not m:
        return None
    q = parse_quantity(m.group(1))
    if q.value is None or q.op != "=":
        # the unit word may be followed by more text (人次，…): try shorter unit words
        for cut in range(len(m.group(1)) - 1, 0, -1):
            q = parse_quantity(m.group(1)[:cut])
            if q.value is not None and q.op == "=":
                break
        else:
            return None
    return q, m.group(1)


@rule("goal_vs_indicator")
def goal_vs_indicator(doc: Doc) -> Iterator[Finding]:
    """A figure restated differently in the 年度总体目标 items and the indicator table."""
    goals_by_sec: dict[str, list[dict]] = defaultdict(list)
    for g in doc.goals:
        if g.get("kind") == "goal":
            goals_by_sec[g["section_id"]].append(g)
    for ind in doc.indicators:
        name = ind.get("name") or ""
        if len(name) < 4:
            continue
        for side, text_key, block_key in (("target", "expected_text", "expected_block"),
                                          ("actual", "actual_text", "actual_block")):
            value, unit, kind = dec(ind.get(f"{side}_value")), ind.get(f"{side}_unit"), ind.get(f"{side}_kind")
            if value is None or kind not in COMPARABLE_KINDS or ind.get(f"{side}_op") not in ("=", ">=", "<="):
                continue
            for g in goals_by_sec.get(ind["section_id"], []):
                found = _stated_after(g.get(text_key), name)
                if not found:
                    continue
                q, raw = found
                if q.kind != kind or q.unit != unit:
                    continue
                doc.compared("goal_vs_indicator")
                if q.value == value:
                    continue
                what = "预期目标" if side == "target" else "实际完成情况"
                yield Finding(
                    ind["section_id"], "warning",
                    f"{doc.where(ind['section_id'])}: 年度总体目标 item {g.get('ordinal')} ({what}, "
                    f"{g['goal_id']}) states {name}{raw.strip()}, but {_ind_where(doc, ind)} has "
                    f"{'target' if side == 'target' else 'actual value'} "
                    f"「{(ind.get(side + '_raw') or '').strip()}」 ({doc.cell(ind.get(side + '_block'))})",
                    (ind.get(side + "_raw") or "").strip(), raw.strip(),
                    [ind["indicator_id"], g["goal_id"], ind.get(side + "_block"), g.get(block_key)])


# ---------------------------------------------------------------------------- rates

def _rate_finding(doc: Doc, rule_name: str, fact: dict, num: Money, den: Money,
                  what: str, num_label: str, den_label: str) -> Finding | None:
    stated = dec(fact.get("value"))
    if stated is None or den.yuan == 0:
        return None
    d = written_decimals(fact.get("value_raw"))
    d = decimals_of(stated) if d is None else d
    computed = num.yuan / den.yuan * 100
    doc.compared(rule_name)
    shown = fmt(computed, max(d, 2))
    base = (f"{doc.where(fact['section_id'])}: {what} {(fact.get('value_raw') or '').strip()} "
            f"({doc.cell(fact.get('block_id'))}, {fact['fact_id']})")
    calc = (f"{num_label} {num.written()}{num.unit} ({num.ref}) ÷ {den_label} "
            f"{den.written()}{den.unit} ({den.ref}) = {shown}%")
    refs = [fact["fact_id"], num.ref, den.ref]
    if stated == 100 and d == 0 and abs(num.yuan - den.yuan) > tolerance([num, den]):
        # 100% states full execution: 99.6% written as 100% is not a rounding matter
        return Finding(fact["section_id"], "warning",
                       f"{base} claims a complete rate, but {calc}", f"{shown}%",
                       (fact.get("value_raw") or "").strip(), refs)
    if abs(computed - stated) <= half_unit(d):
        return None
    return Finding(fact["section_id"], "error", f"{base} differs from {calc}",
                   f"{fmt(computed, d)}%", (fact.get("value_raw") or "").strip(), refs)


@rule("execution_rate")
def execution_rate(doc: Doc) -> Iterator[Finding]:
    """执行率 differs from 全年执行数 ÷ 全年预算数 at the precision the rate is written
    (a written 100% must mean executed = budget)."""
    for fact in doc.facts:
        if fact.get("key") != "execution_rate":
            continue
        lines = [f for f in doc.of_section("funds", fact["section_id"]) if f.get("line_no") is not None]
        item = fact.get("item") or next((f["item"] for f in lines if not f.get("parent_item")), None)
        by_measure = {}
        for f in lines:
            if f.get("item") == item:
                by_measure.setdefault(f.get("measure"), f)
        executed = by_measure.get("executed")
        budget = by_measure.get("budget_full_year") or by_measure.get("budget_initial") \
            or by_measure.get("budget")
        if executed is None or budget is None:
            continue
        num, den = money_of_fund(executed), money_of_fund(budget)
        if num is None or den is None:
            continue
        f = _rate_finding(doc, "execution_rate", fact, num, den, f"执行率 of {item}",
                          executed.get("measure_raw") or "全年执行数",
                          budget.get("measure_raw") or "全年预算数")
        if f:
            f.refs += [executed.get("block_id"), budget.get("block_id")]
            yield f


@rule("staff_control_rate")
def staff_control_rate(doc: Doc) -> Iterator[Finding]:
    """控制率 differs from 实际在职人数 ÷ 编制数."""
    for sec in doc.sections:
        facts = {f.get("key"): f for f in doc.of_section("facts", sec["section_id"])}
        rate, actual, auth = (facts.get(k) for k in ("staff_control_rate", "staff_actual", "staff_authorized"))
        if not (rate and actual and auth) or dec(actual.get("value")) is None or dec(auth.get("value")) is None:
            continue
        num = Money(dec(actual["value"]), Decimal(1), "人", 0, actual["fact_id"])
        den = Money(dec(auth["value"]), Decimal(1), "人", 0, auth["fact_id"])
        stated = dec(rate.get("value"))
        if stated is None or den.yuan == 0:
            continue
        d = written_decimals(rate.get("value_raw")) or 0
        computed = num.yuan / den.yuan * 100
        doc.compared("staff_control_rate")
        if abs(computed - stated) <= half_unit(d):
            continue
        yield Finding(sec["section_id"], "error",
                      f"{doc.where(sec['section_id'])}: 控制率 {(rate.get('value_raw') or '').strip()} "
                      f"({rate['fact_id']}) differs from {actual.get('label_raw')} {num.yuan} ÷ "
                      f"{auth.get('label_raw')} {den.yuan} = {fmt(computed, max(d, 2))}%",
                      f"{fmt(computed, d)}%", (rate.get("value_raw") or "").strip(),
                      [rate["fact_id"], actual["fact_id"], auth["fact_id"]])


# ---------------------------------------------------------------------------- funds

def is_breakdown(f: dict) -> bool:
    """按收入性质分 / 按支出性质分 figures (not lines of a table)."""
    return f.get("line_no") is None and "性质" in (f.get("measure_raw") or "")


@dataclass
class _Line:
    line_no: int
    item: str
    item_raw: str
    parent_item: str | None
    item_block: str | None
    qizhong: bool | None = None  # as the parser read the line hierarchy
    values: dict = field(default_factory=dict)  # (measure, period_year, measure_raw) -> fund


def _lines(doc: Doc, section_id: str) -> list[_Line]:
    lines: dict[int, _Line] = {}
    for f in doc.of_section("funds", section_id):
        if f.get("line_no") is None:
            continue
        ln = lines.setdefault(f["line_no"], _Line(f["line_no"], f.get("item") or "",
                                                  f.get("item_raw") or "", f.get("parent_item"),
                                                  f.get("item_block"), f.get("qizhong")))
        ln.values.setdefault((f.get("measure"), f.get("period_year"), f.get("measure_raw")), f)
    return [lines[k] for k in sorted(lines)]


def _in_qizhong(doc: Doc, kid: _Line, parent: _Line) -> bool:
    """Is ``kid`` one of the partial 其中 lines of ``parent``?  True when its label starts
    with 其中, or when, walking up the label column from it, a 其中 line comes before a
    numbered line or the parent (``其中：办公经费`` / ``水费、电费、差旅费``)."""
    if kid.qizhong is not None:  # the parser says how the line sits in its table
        return kid.qizhong
    if _QIZHONG.match(kid.item_raw):
        return True
    kb, pb = doc.blocks.get(kid.item_block or ""), doc.blocks.get(parent.item_block or "")
    if not kb or not pb or kb.get("row") is None or pb.get("row") is None:
        return False
    column = [b for b in doc.column(kb) if pb["row"] < b["row"] < kb["row"]]
    for b in reversed(column):
        t = (b.get("text") or "").strip()
        if _QIZHONG.match(t):
            return True
        if _NUMBERED.match(t):
            return False
    return False


def _col_name(key: tuple) -> str:
    measure, year, raw = key
    return raw or f"{year or ''}{measure}"


@rule("funds_sum")
def funds_sum(doc: Doc) -> Iterator[Finding]:
    """Sub-items not summing to their parent line, per column: numbered and listed lines
    must add up to the parent; 其中 lines (a partial breakdown) must not exceed it."""
    for sec in doc.sections:
        lines = _lines(doc, sec["section_id"])
        children: dict[int, list[_Line]] = defaultdict(list)
        parents: dict[int, _Line] = {}
        for i, ln in enumerate(lines):
            if not ln.parent_item:
                continue
            p = next((q for q in reversed(lines[:i]) if q.item == ln.parent_item), None)
            if p is not None:
                children[p.line_no].append(ln)
                parents[p.line_no] = p
        for pno in sorted(children):
            p = parents[pno]
            kids = children[pno]
            groups = {"complete": [k for k in kids if not _in_qizhong(doc, k, p)],
                      "qizhong": [k for k in kids if _in_qizhong(doc, k, p)]}
            keys = list(p.values)
            for k in kids:
                keys += [key for key in k.values if key not in keys]
            for key in keys:
                pf = p.values.get(key)
                pm = money_of_fund(pf) if pf else None
                for kind, group in groups.items():
                    present = [(k, k.values[key]) for k in group if key in k.values]
                    ms = [m for m in (money_of_fund(f) for _, f in present) if m is not None]
                    if not ms:
                        continue
                    s = sum((m.yuan for m in ms), Decimal(0))
                    tol = tolerance(ms + ([pm] if pm else []))
                    doc.compared("funds_sum")
                    f = _funds_finding(doc, sec, p, pf, pm, kind, group, present, ms, s, tol, key)
                    if f:
                        yield f


def _funds_finding(doc, sec, p, pf, pm, kind, group, present, ms, s, tol, key) -> Finding | None:
    col = _col_name(key)
    listed = " + ".join(f"{k.item} {(f.get('amount_raw') or '').strip()} "
                        f"(row {doc.row_of(f.get('block_id'))}, {f['fund_id']})" for k, f in present)
    what = ("其中 line" if kind == "qizhong" else
            "numbered line" if all(_NUMBERED.match(k.item_raw) for k, _ in present) else "line")
    what += "s" if len(present) != 1 else ""
    n_blank = len(group) - len(present)
    blank_note = f" ({n_blank} line(s) blank in this column)" if n_blank else ""
    refs = ([pf["fund_id"]] if pf else []) + [f["fund_id"] for _, f in present] \
        + ([pf.get("block_id")] if pf else []) + [f.get("block_id") for _, f in present]
    total_s = money_sum_str(s, ms)
    if pm is None:
        return Finding(sec["section_id"], "warning",
                       f"{doc.where(sec['section_id'])}: line 「{p.item_raw.strip()}」 (row "
                       f"{doc.row_of(p.item_block)}) is blank in column {col}, but its {len(present)} "
                       f"{what} sum to {total_s}: {listed}{blank_note}",
                       total_s, "blank", refs)
    if kind == "complete" and abs(pm.yuan - s) <= tol:
        return None
    if kind == "qizhong" and s <= pm.yuan + tol:
        return None
    head = (f"{doc.where(sec['section_id'])}, table row {doc.row_of(pf.get('block_id'))}: "
            f"{p.item} {col} {pm.written()}{pm.unit} ({pf['fund_id']})")
    if kind == "complete":
        diff = pm.yuan - s
        msg = (f"{head} is not the sum of its {len(present)} {what}, {total_s}: {listed}"
               f"{blank_note}; difference {money_sum_str(diff, ms + [pm])}")
    else:
        msg = (f"{head} is less than its {len(present)} {what} (a partial breakdown), which "
               f"sum to {total_s}: {listed}")
    return Finding(sec["section_id"], "error", msg, total_s if kind == "complete" else f"<= {pm.written()}{pm.unit}",
                   f"{pm.written()}{pm.unit}", refs)


_MEASURE_PREFERENCE = ("budget", "budget_full_year", "executed", "budget_initial", "final")


def _breakdown_rule(doc: Doc, rule_name: str, word: str, label: str) -> Iterator[Finding]:
    for sec in doc.sections:
        funds = doc.of_section("funds", sec["section_id"])
        bd = [f for f in funds if is_breakdown(f) and word in (f.get("measure_raw") or "")]
        if not bd:
            continue
        parent_item = bd[0].get("parent_item")
        totals = [f for f in funds if not is_breakdown(f) and f.get("item") == parent_item
                  and not f.get("parent_item")]
        totals.sort(key=lambda f: _MEASURE_PREFERENCE.index(f["measure"])
                    if f.get("measure") in _MEASURE_PREFERENCE else len(_MEASURE_PREFERENCE))
        ms = [m for m in (money_of_fund(f) for f in bd) if m is not None]
        tms = [(f, money_of_fund(f)) for f in totals]
        tms = [(f, m) for f, m in tms if m is not None]
        if not ms or not tms:
            continue
        s = sum((m.yuan for m in ms), Decimal(0))
        doc.compared(rule_name)
        if any(abs(m.yuan - s) <= tolerance(ms + [m]) for _, m in tms):
            continue
        tf, tm = tms[0]
        listed = " + ".join(f"{f.get('item')} {(f.get('amount_raw') or '').strip()} ({f['fund_id']})" for f in bd)
        others = ", ".join(f"{f.get('measure_raw')} {m.written()}{m.unit} ({f['fund_id']})" for f, m in tms)
        yield Finding(sec["section_id"], "error",
                      f"{doc.where(sec['section_id'])}: {label} {listed} = {money_sum_str(s, ms)}, "
                      f"which matches no stated {parent_item} figure ({others})",
                      f"{tm.written()}{tm.unit}", money_sum_str(s, ms),
                      [f["fund_id"] for f in bd] + [f["fund_id"] for f, _ in tms]
                      + [f.get("block_id") for f in bd])


@rule("basic_plus_project")
def basic_plus_project(doc: Doc) -> Iterator[Finding]:
    """基本支出 + 项目支出 (按支出性质分) differs from the total (年度资金总额); any of the
    total's stated columns (预算数, 全年预算数, 全年执行数, 年初预算数) is accepted."""
    yield from _breakdown_rule(doc, "basic_plus_project", "支出", "按支出性质分")


@rule("income_breakdown_sum")
def income_breakdown_sum(doc: Doc) -> Iterator[Finding]:
    """The 按收入性质分 items (一般公共预算, 政府性基金拨款, ...) do not sum to the total."""
    yield from _breakdown_rule(doc, "income_breakdown_sum", "收入", "按收入性质分")


# ---------------------------------------------------------------------------- narrative

def _narrative_module():
    try:
        from extractors import narrative
    except Exception:  # not there yet, or broken: the tables are still checked
        return None
    return narrative


def _mention_objects(doc: Doc) -> list[SimpleNamespace]:
    """Mention records as the objects extractors.narrative's check helpers read:
    ``op`` from the written value, ``parent_index`` from ``parent_label`` (the nearest
    earlier money figure of the same paragraph with that label)."""
    from normalizers import parse_quantity
    out: list[SimpleNamespace] = []
    para_index: dict[str, int] = {}
    for m in doc.mentions:
        ns = SimpleNamespace(**{k: v for k, v in m.items()})
        try:
            ns.op = parse_quantity(m.get("value_raw") or "").op
        except Exception:
            ns.op = None
        ns.op = ns.op if ns.op in (">=", "<=", ">", "<", "range") else None
        ns.paragraph_index = para_index.setdefault(m.get("block_id"), len(para_index))
        ns.heading_path = list(m.get("heading_path") or [])
        ns.upper = None
        ns.parent_index = None
        if m.get("parent_label"):
            for j in range(len(out) - 1, -1, -1):
                o = out[j]
                if o.block_id == m.get("block_id") and o.label == m.get("parent_label") \
                        and o.kind == m.get("kind"):
                    ns.parent_index = j
                    break
        ns.sentence = m.get("sentence") or ""
        out.append(ns)
    return out


@rule("narrative_vs_table")
def narrative_vs_table(doc: Doc) -> Iterator[Finding]:
    """A money figure of the narrative report differs from the same figure in the tables
    (same label, same fiscal year), at the precision the narrative writes it."""
    nar = _narrative_module()
    fn = getattr(nar, "match_narrative_to_tables", None) if nar else None
    if fn is None or not doc.mentions:
        return
    ms = _mention_objects(doc)
    by_ref = {f["fund_id"]: f for f in doc.funds}
    for sid in dict.fromkeys(m.section_id for m in ms):
        sec = doc.section.get(sid, {})
        year = sec.get("fiscal_year")
        idx = [i for i, m in enumerate(ms) if m.section_id == sid]
        table = [(f.get("item"), dec(f.get("amount_yuan")), f["fund_id"]) for f in doc.funds
                 if f.get("section_id") != sid and dec(f.get("amount_yuan")) is not None
                 and (year is None or f.get("period_year") in (None, year))]
        doc.compared("narrative_vs_table", sum(1 for i in idx if ms[i].kind == "money"))
        for r in fn([ms[i] for i in idx], table):
            m = ms[idx[r["mention_index"]]]
            f = by_ref.get(r.get("table_ref"))
            msg = r["message"]
            if f is not None:
                msg += (f" at {doc.where(f['section_id'])}, table row {doc.row_of(f.get('block_id'))}, "
                        f"column {f.get('measure_raw')}; mention {m.mention_id}")
            yield Finding(sid, r.get("severity", "warning"), msg, r.get("expected"), r.get("observed"),
                          [m.mention_id, r.get("table_ref"), m.block_id,
                           f.get("block_id") if f else None], rule="narrative_vs_table")


@rule("narrative_list_sum")
def narrative_list_sum(doc: Doc) -> Iterator[Finding]:
    """A total in the narrative report whose listed money items do not add up."""
    nar = _narrative_module()
    fn = getattr(nar, "narrative_list_sum_findings", None) if nar else None
    if fn is None or not doc.mentions:
        return
    ms = _mention_objects(doc)
    doc.compared("narrative_list_sum", len({m.parent_index for m in ms if m.parent_index is not None}))
    for r in fn(SimpleNamespace(mentions=ms, paragraphs=[], warnings=[])):
        idxs = r.get("mentions") or [r.get("total_index")] + list(r.get("item_indices") or [])
        total = ms[idxs[0]]
        observed = r.get("observed")
        unit = re.sub(r"^[\d.,，\s]+", "", r.get("expected") or "")
        if observed and unit and not observed.endswith(unit):
            observed += unit
        # the contract's expected = what the figures imply (the items' sum), observed =
        # what the document states (the total)
        yield Finding(total.section_id, r.get("severity", "warning"),
                      f"{r['message']} (mention {total.mention_id})",
                      observed, r.get("expected"),
                      [ms[i].mention_id for i in idxs] + [total.block_id], rule="narrative_list_sum")
