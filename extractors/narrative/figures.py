"""Where the figures are: the spaCy pipeline (blank zh + jieba), unit splitting and the quantity Matcher."""
from __future__ import annotations

import functools
import re

from .text import _lex

_SPLITTER_NAME = "narrative_unit_splitter"
_MATCHER_NAME = "narrative_quantity_matcher"
_LABELER_NAME = "narrative_quantity_labeler"


def _register_components() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension("narr_quantities"):
        Doc.set_extension("narr_quantities", default=None)
    if not Language.has_factory(_SPLITTER_NAME):
        Language.factory(_SPLITTER_NAME, func=_make_splitter)
    if not Language.has_factory(_MATCHER_NAME):
        Language.factory(_MATCHER_NAME, func=_make_matcher)
    if not Language.has_factory(_LABELER_NAME):
        Language.factory(_LABELER_NAME, func=_make_labeler)


def _make_splitter(nlp, name):
    return UnitSplitter()


def _make_matcher(nlp, name):
    return QuantityMatcher(nlp)


def _make_labeler(nlp, name):
    from .labels import QuantityLabeler

    return QuantityLabeler()


@functools.lru_cache(maxsize=1)
def get_nlp():
    """The shared pipeline: blank ``zh`` + jieba, quantity matcher, labeler (built once)."""
    import logging

    import spacy

    try:  # jieba prints its dictionary loading on stderr at INFO level
        import jieba

        jieba.setLogLevel(logging.WARNING)
        from .jieba_dict import load

        load(jieba.dt)  # before spaCy's tokenizer initialises jieba: the quick cache
    except Exception:  # pragma: no cover - jieba is a dependency
        pass
    _register_components()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    from .segmenter import FastJieba
    nlp.tokenizer.jieba_seg = FastJieba(nlp.tokenizer.jieba_seg)  # the same words, faster
    nlp.tokenizer = _KeepText(nlp.tokenizer)
    nlp.add_pipe(_SPLITTER_NAME)
    nlp.add_pipe(_MATCHER_NAME)
    nlp.add_pipe(_LABELER_NAME)
    return nlp


_TEXT_KEY = "narr_text"


class _KeepText:
    """The zh tokenizer, keeping the text it was given in the doc's ``user_data``:
    ``Doc.text`` joins a ``Token`` object per token on every call (a quarter of the
    narrative pass when each component asked for it)."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text):
        doc = self.tokenizer(text)
        doc.user_data[_TEXT_KEY] = text
        return doc

    def __getattr__(self, name):  # pkuseg/jieba settings, to_disk… of the wrapped one
        return getattr(self.tokenizer, name)


def doc_text(doc) -> str:
    """``doc.text``, without rebuilding it when the tokenizer kept it."""
    text = doc.user_data.get(_TEXT_KEY)
    return doc.text if text is None else text


class UnitSplitter:
    """Splits a token that glues a unit to the next word after a number.

    jieba writes ``138587元及2023年`` as ``138587`` ``元及`` ...; the matcher needs ``元``
    as a token of its own.  A token right after a number token is split after its
    longest prefix that is a unit (``元及`` -> ``元`` ``及``, ``名医`` -> ``名`` ``医``),
    unless the token is a word listed in ``no_split_words`` (``项目``, ``分别``).
    """

    def __init__(self):
        lx = _lex()
        self.piece = re.compile(lx["piece_re"])
        self.scale_only = re.compile(lx["scale_only_re"])
        self.no_split = lx["no_split"]

    def __call__(self, doc):
        todo = []
        text = doc_text(doc)
        if not _DIGIT_RE.search(text):
            return doc
        from spacy.attrs import IDX, IS_SPACE, LENGTH
        arr = doc.to_array([IDX, LENGTH, IS_SPACE]).tolist()  # no Token object per token
        texts = [text[s:s + n] for s, n, _ in arr]
        spaces = [bool(sp) for _, _, sp in arr]
        # only the token after a number (or after 个 / a space after one) can be split
        nums = [k for k, x in enumerate(texts) if x[:1].isdigit()]
        cands = sorted({j for k in nums for j in range(k + 1, k + 5) if j < len(texts)})
        for i in cands:
            x = texts[i]
            if spaces[i] or len(x) < 2:
                continue
            k = i - 1
            if spaces[k] and k >= 1:
                k -= 1
            if texts[k] == "个" and k >= 1:  # 30个工作日内
                k -= 1
                if spaces[k] and k >= 1:
                    k -= 1
            if not _NUM_TOKEN_RE.match(texts[k]):
                continue
            if self.piece.match(x) or self.scale_only.match(x) or x in self.no_split:
                continue
            for n in range(len(x) - 1, 0, -1):
                if self.piece.match(x[:n]):
                    todo.append((doc[i], n))
                    break
        if todo:
            with doc.retokenize() as retok:
                for tok, k in todo:
                    retok.split(tok, [tok.text[:k], tok.text[k:]], heads=[(tok, 0), (tok, 0)])
        return doc


_DIGIT_RE = re.compile(r"\d")
_NUM_TOKEN_RE = re.compile(r"^\d+(?:\.\d+)?$")


class QuantityMatcher:
    """Finds ``number [scale/approx] unit`` token sequences with a spaCy ``Matcher``.

    jieba gives ``863.17`` ``万元``, ``91.24%`` as one token, ``500`` ``多人次``,
    ``803.74`` ``万元`` (the space as trailing whitespace) - the patterns accept a number
    token, an optional space token, an optional scale/approximation token and a unit
    token whose text is ``[多|余][万|亿|...][多|余]UNIT``.  Matches go to
    ``doc.spans['quantities']`` with label money | percent | count.
    """

    def __init__(self, nlp):
        from spacy.matcher import Matcher

        lx = _lex()
        self.lx = lx
        self.matcher = Matcher(nlp.vocab)
        NUM = {"TEXT": {"REGEX": r"^\d+(?:\.\d+)?$"}}
        NUMPCT = {"TEXT": {"REGEX": r"^\d+(?:\.\d+)?[%％‰]$"}}
        CMP = {"TEXT": {"IN": lx["comparators"]}, "OP": "?"}
        SEP = {"TEXT": {"IN": lx["range_seps"]}}
        SP = {"IS_SPACE": True, "OP": "?"}
        PRE = {"TEXT": {"REGEX": lx["scale_only_re"]}, "OP": "?"}
        UNIT = {"TEXT": {"REGEX": lx["piece_re"]}}
        PCT = {"TEXT": {"IN": ["%", "％", "‰"]}}
        GE = {"TEXT": "个"}
        AFTER_GE = {"TEXT": {"IN": lx["after_ge"]}}
        nums = [[NUM], [NUM, SP, SEP, SP, NUM]]
        pats = []
        MONEY = {"TEXT": {"REGEX": r"^(?:[多余])?(?:万|亿|千|百)*(?:[多余])?元$"}}
        SLASH = {"TEXT": {"IN": ["/", "／"]}}
        PER = {"TEXT": {"IN": lx["per_units"]}}
        STAR = {"TEXT": {"IN": ["*", "×"]}}
        for n in nums:
            pats.append([CMP, SP] + n + [SP, PRE, SP, UNIT])
            pats.append([CMP, SP] + n + [SP, PRE, SP, MONEY, SLASH, PER])  # 300元/年
            pats.append([CMP, SP] + n + [SP, PRE, SP, MONEY, SLASH, PER, STAR, PER])
            pats.append([CMP, SP] + n + [SP, PCT])
            pats.append([CMP, SP] + n + [SP, GE, AFTER_GE])
        pats.append([CMP, SP, NUMPCT])
        pats.append([CMP, SP, NUM, SP, SEP, SP, NUMPCT])
        self.matcher.add("QUANTITY", pats, greedy="LONGEST")
        # what a token of some pattern can be (the predicates above, as the Matcher tests
        # them: TEXT IN, IS_SPACE, REGEX searched): a match never holds any other token
        self._in = set(lx["comparators"]) | set(lx["range_seps"]) | set(lx["per_units"]) | set(
            lx["after_ge"]) | {"%", "％", "‰", "/", "／", "*", "×", "个"}
        self._res = [re.compile(p) for p in (r"^\d+(?:\.\d+)?$", r"^\d+(?:\.\d+)?[%％‰]$", lx["scale_only_re"],
                                              lx["piece_re"], MONEY["TEXT"]["REGEX"])]

    def _element(self, t: str) -> bool:
        return t in self._in or t.isspace() or any(r.search(t) for r in self._res)

    def __call__(self, doc):
        from spacy.util import filter_spans

        lx = self.lx
        text = doc_text(doc)
        spans = []
        if not _DIGIT_RE.search(text):  # no figure possible: skip the Matcher
            doc.spans["quantities"] = []
            return doc
        for _, start, end in self._matches(doc):
            span = doc[start:end]
            compact = re.sub(r"\s+", "", span.text)
            if not lx["full_re"].match(compact):
                continue
            # leading comparator only when glued to the figure it qualifies
            first = doc[start]
            if first.text in lx["comparators"] and end - start > 1:
                pass
            before = text[max(0, span.start_char - 8): span.start_char].rstrip()
            if before.endswith(lx["ordinal_prefixes"]):
                continue  # 第1名, 第94周年
            prev_char = text[span.start_char - 1] if span.start_char else ""
            if prev_char and (prev_char.isascii() and (prev_char.isalnum() or prev_char in "./")):
                continue  # P1.5LED, V2.0, 3*1.8*2 fragments
            span.label_ = _unit_kind(compact, lx)
            spans.append(span)
        doc.spans["quantities"] = filter_spans(spans)
        return doc


    def _matches(self, doc) -> list[tuple[int, int, int]]:
        """The Matcher run only on the tokens around a number (a pattern starts at most
        two tokens before its first number, spans fewer than 16 tokens and holds no token
        that none of its predicates accepts): the same matches as on the whole doc,
        without evaluating the predicates on every token."""
        from spacy.attrs import IDX, LENGTH

        text = doc_text(doc)
        arr = doc.to_array([IDX, LENGTH]).tolist()
        windows: list[list[int]] = []
        for k, (s, _) in enumerate(arr):
            if text[s:s + 1].isdigit():
                a, b = max(0, k - 2), min(len(arr), k + 16)
                # nor does a match run past the first token after the number that no
                # pattern can hold (完成 in 2023年完成…): the window ends there
                j = k + 1
                while j < b and self._element(text[arr[j][0]:arr[j][0] + arr[j][1]]):
                    j += 1
                b = j
                if windows and a <= windows[-1][1]:
                    windows[-1][1] = max(windows[-1][1], b)
                else:
                    windows.append([a, b])
        out = []
        for a, b in windows:
            out.extend((m, a + s, a + e) for m, s, e in self.matcher(doc[a:b]))
        return out


def _unit_kind(compact: str, lx: dict) -> str:
    if re.search(r"[%％‰]|百分点$", compact):
        return "percent"
    if compact.endswith("元") or re.search(r"元[/／]", compact):
        return "money"
    return "count"
