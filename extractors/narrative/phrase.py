"""The noun phrase a figure quantifies, from the tokens of the clause before it.

A rule grammar over the jieba tokens of the clause, each token classed by the lexicon
(``patterns.yaml``): *links* (是 为 达 共计 其中 …), *prepositions* (在 对 将 按照 …),
*verbs* (下达 收到 实施 拨付 …, the other ``label_boundary_tokens``), *passive markers*
(被), and everything else (the words of the noun phrase).

* The clause's main verb is its first verb that is not inside a passive (``被救助``);
  a preposition phrase before it (``在全乡范围内实施…``) goes with it.  The label is what
  follows the main verb, modifiers kept: ``2021年我局共收到中央下达困难群众救助补助资金``
  -> ``中央下达困难群众救助补助资金`` (the second verb 下达 is inside the noun phrase).
* When what follows is only a generic head (``资金``, ``预算``, a lone ``…率``), the verb
  is part of the noun phrase and its subject stays: ``省级下达资金``, ``实际到位资金``,
  ``资金执行率``.
* A clause that ends with its verb keeps it with the noun before it: ``支付``,
  ``资金已使用``.
* With no verb, the label starts after the last link or preposition.
* Leading subjects (``我单位``, ``该项目``), a date, and list openers are dropped; a year
  is dropped only together with a subject or an opener before it (``2023年我单位基本支出``
  -> ``基本支出``), not when it is part of the name (``2023年度12类基本公共卫生服务资金``).
"""
from __future__ import annotations

import re
import unicodedata

from .text import _CLOSE, _DELIMS, _MERGED_LINK_RE, _OPEN, _fold, _strip_quotes

_YEAR_ONLY_RE = re.compile(r"^\d{4}\s*年(?:度)?")
_NUM_RE = re.compile(r"\d+")


def _punct(x: str) -> bool:
    """Punctuation only (``**`` masks of a name are not: ``**河县2023年资金``)."""
    return "*" not in x and all(c in _DELIMS or c in _OPEN or c in _CLOSE or unicodedata.category(c)[0] in "PS"
               for c in x)


def _drop_inner_brackets(w: list[str]) -> list[str]:
    """Drop a bracketed aside inside a label, keep one that ends it:
    ``红河州数据发展中心(以下简称“州数据发展中心”)实施项目`` -> ``红河州数据发展中心实施项目``,
    ``运行维护（含离退休及伤残经费）`` unchanged."""
    out: list[str] = []
    i = 0
    while i < len(w):
        x = w[i]
        if x and x[0] in "（(【[" and len(x) == 1:
            depth, j = 0, i
            while j < len(w):
                depth += sum(c in "（(【[" for c in w[j]) - sum(c in "）)】]" for c in w[j])
                if depth <= 0:
                    break
                j += 1
            if j < len(w) - 1 and depth <= 0:  # something follows the aside: drop it
                i = j + 1
                continue
            if depth > 0:  # unbalanced: keep what follows the opening bracket only
                out = []
                i += 1
                continue
        out.append(x)
        i += 1
    return out


def _tokens(words: list[str]) -> list[str]:
    w: list[str] = []
    for x in (x.strip() for x in words):
        m = _MERGED_LINK_RE.match(x) if x else None
        if m:  # jieba's 率为 / 额为: split the link word off
            w.extend([m.group(1), m.group(2)])
        elif x:
            w.append(x)
    return w


def _ages(w: list[str], lx: dict) -> set[int]:
    """Indices of the numbers of an age (0-6岁儿童健康管理): part of the label."""
    keep = set()
    for i in range(len(w) - 1):
        if w[i + 1] in ("岁", "周岁") and _NUM_RE.fullmatch(w[i]):
            keep.add(i)
            k = i - 1
            while k >= 0 and (_NUM_RE.fullmatch(w[k]) or w[k] in lx["range_seps"]):
                keep.add(k)
                k -= 1
    return keep


def _is_generic(rest: list[str], lx: dict) -> bool:
    text = "".join(rest)
    return not text or text in lx["generic_heads"] or (len(rest) == 1 and len(text) <= 2
                                                       and text.endswith("率"))


def _after_main_verb(w: list[str], lx: dict, keep: set[int]) -> list[str]:
    links, preps, verbs, passive = lx["links"], lx["prepositions"], lx["verbs"], lx["passive"]
    cut_ok = [i not in keep for i in range(len(w))]
    is_verb = [cut_ok[i] and x in verbs and not (i > 0 and w[i - 1] in passive)
               for i, x in enumerate(w)]
    is_stop = [cut_ok[i] and (x in links or (x in preps and not (i + 1 < len(w) and is_verb[i + 1])
                                             and x not in passive))
               for i, x in enumerate(w)]
    n = len(w)
    if n and is_verb[-1]:
        # the clause ends with its verb (支付, 资金已使用, 共发放): verb, adverbs before it
        # and the noun before them, back to the previous verb, link or preposition
        j = n - 2
        while j >= 0 and w[j] in lx["verb_adverbs"]:
            j -= 1
        k = max((i for i in range(j + 1) if is_verb[i] or is_stop[i]), default=-1)
        return w[k + 1:]
    first = next((i for i in range(n) if is_verb[i]), None)
    if first is not None:
        rest_at = first + 1
        while rest_at < n and (w[rest_at] in links or is_verb[rest_at]) and cut_ok[rest_at]:
            rest_at += 1
        rest = w[rest_at:]
        if _is_generic(rest, lx):
            k = max((i for i in range(first) if is_stop[i] or is_verb[i]), default=-1)
            return w[k + 1:]
        w = _drop_recipient(rest, lx) if w[first] in lx["allocation_verbs"] else rest
        later = [i for i, x in enumerate(w) if x in links]
        if later and later[-1] < len(w) - 1:
            w = w[later[-1] + 1:]
        return w
    stops = [i for i in range(n) if is_stop[i]]
    if stops and stops[-1] < n - 1:
        return w[stops[-1] + 1:]
    return w


def _drop_recipient(w: list[str], lx: dict) -> list[str]:
    """``下达红河州第二人民医院国家基本公共卫生服务项目州级补助资金``: the unit that
    receives an allocation is not part of the fund's name."""
    for i, x in enumerate(w[:-1]):
        if x.endswith(lx["recipient_suffixes"]) and len("".join(w[i + 1:])) >= 4:
            return w[i + 1:]
    return w


def _covered(w: list[str], n: int) -> int:
    """How many whole tokens of ``w`` the first ``n`` characters of their text cover."""
    acc, k = 0, 0
    while k < len(w) and acc + len(w[k]) <= n:
        acc += len(w[k])
        k += 1
    return k


def _strip_prefixes(w: list[str], lx: dict) -> list[str]:
    stripped = False
    changed = True
    while changed and w:
        changed = False
        text = "".join(w)
        rxs = list(lx["strip_prefix_regex"]) + ([_YEAR_ONLY_RE] if stripped else [])
        for rx in rxs:
            m = rx.match(text)
            if m and 0 < m.end() < len(text):
                k = _covered(w, m.end())  # drop the whole tokens covered by the match
                if 0 < k < len(w):
                    w = w[k:]
                    changed = stripped = True
                    break
        if changed:
            continue
        if len(w) > 1 and (w[0] in lx["strip_prefix_tokens"] or (_punct(w[0]) and w[0][0] not in _OPEN)):
            w = w[1:]
            changed = stripped = True
            continue
        while len(w) > 1 and w[-1] in lx["strip_suffix_tokens"]:
            w = w[:-1]
            changed = True
    return w


def _after_citation(w: list[str]) -> list[str]:
    """``《关于下达…的通知》(阿州财行〔2021〕61号)中央补助``: the cited document and its
    number are not part of the label; what follows them is."""
    cut = None
    depth = 0
    opened = 0
    for i, x in enumerate(w):
        if "《" in x:
            depth += 1
        if "》" in x and depth:
            depth -= 1
            cut = i
        if x in ("(", "（"):
            opened = i
        if x in (")", "）") and any("号" in y or "〔" in y for y in w[opened:i]):
            cut = i
    if cut is not None and cut < len(w) - 1:
        return w[cut + 1:]
    return w


def _strip_heading(w: list[str], lx: dict) -> list[str]:
    """A heading's numbering (``1.产出指标完成情况``) or a heading run into the sentence
    (``三、预算支出组织实施情况我校…``) in front of the label."""
    for rx in lx["heading_prefix_regex"]:
        text = "".join(w)
        m = rx.match(text)
        if m and 0 < m.end() < len(text):
            k = _covered(w, m.end())
            if 0 < k < len(w):
                w = w[k:]
    return w


def _unmatched_close(w: list[str]) -> list[str]:
    """An unmatched closing bracket (川财行2020〕189号)补助资金): the label starts after it."""
    depth = sum(sum(c in _CLOSE for c in x) - sum(c in _OPEN for c in x) for x in w)
    if depth <= 0:
        return w
    bal = 0
    for i, x in enumerate(w):
        bal += sum(c in _OPEN for c in x) - sum(c in _CLOSE for c in x)
        if bal < 0:
            w = w[i + 1:]
            bal = 0
    return w


def noun_phrase(words: list[str], lx: dict) -> str | None:
    """The noun phrase at the end of ``words`` (jieba tokens of the clause before a
    figure), or None when there is none."""
    w = _tokens(words)
    while w and _punct(w[-1]) and w[-1][-1] not in _CLOSE:
        w.pop()
    while w and w[-1] in lx["strip_suffix_tokens"]:
        w.pop()
    w = _strip_heading(w, lx)
    w = _after_citation(w)
    w = _after_main_verb(w, lx, _ages(w, lx))
    w = _unmatched_close(_drop_inner_brackets(w))
    w = _strip_prefixes(w, lx)
    text = _strip_quotes(_fold("".join(w)))
    if not text or re.fullmatch(r"[\W\d_]+", text) or text in lx["strip_prefix_tokens"] \
            or text in lx["links"]:
        return None
    if len(text) > lx["label_max"]:
        kept: list[str] = []
        for x in reversed(w):
            if len("".join(kept)) + len(x) > lx["label_max"]:
                break
            kept.insert(0, x)
        text = _strip_quotes(_fold("".join(kept))) or None
    return text


_CLAUSE_SPLIT = re.compile(r"[，,：:；;]")
_PLACE_YEAR = re.compile(r"^.*?\d{4}\s*年(?:度)?")


def is_generic(label: str | None, lx: dict) -> bool:
    """A label that does not say what it is about: 执行率, 年初目标值, **河县2023年资金."""
    if not label:
        return False
    return label in lx["subject_labels"] or _PLACE_YEAR.sub("", label) in lx["generic_heads"]


def subject_of(text: str, q, lx: dict) -> str | None:
    """What a figure with a generic label is about: the clause before it in its sentence
    that is not itself a generic figure (``1.重大动物强制免疫病种群体免疫密度,年初目标值
    ≥90%`` -> ``重大动物强制免疫病种群体免疫密度``), or the fund a cited notice names
    (``《关于下达2023年自治区水利发展资金预算的通知》,下达**河县2023年资金5万元``)."""
    if not is_generic(q.label, lx):
        return None
    before = text[q.sent_start:q.cstart]
    titles = list(lx["subject_title_re"].finditer(text, 0, q.cstart))
    if titles and _PLACE_YEAR.sub("", q.label or "") in lx["generic_heads"]:
        return _fold(titles[-1].group("s")) or None
    for part in reversed(_CLAUSE_SPLIT.split(before)):
        p = _fold(part)
        if not p or any(p.startswith(g) for g in lx["subject_labels"]):
            continue
        for rx in lx["heading_prefix_regex"][1:]:
            p = rx.sub("", p, count=1)
        return p.strip() or None
    return None
