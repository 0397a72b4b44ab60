"""jieba's accurate mode with its HMM for unknown words — ``jieba.cut(text, cut_all=False,
HMM=True)``, the words the narrative pass tokenizes with — computed in one backward pass
per block instead of a word graph, a route table and a generator per position.

The same dictionary, the same scores (``log(freq) - log(total)`` plus the best route
after the word, the longer word on a tie), the same unknown-word model
(``jieba.finalseg``): the same words, which ``tests/test_narrative_segmenter.py`` checks
against ``jieba.cut`` on every report paragraph of the corpus.
"""
from __future__ import annotations

from math import log


class FastJieba:
    """Stands in for the ``jieba`` module where spaCy's Chinese tokenizer calls ``cut``."""

    def __init__(self, jieba_module):
        from jieba import finalseg

        self._jieba = jieba_module
        self._finalseg = finalseg
        self._re_han = jieba_module.re_han_default
        self._re_skip = jieba_module.re_skip_default
        self._dict = None
        self._total = None

    def __getattr__(self, name):  # anything else of the module (dictionary settings, …)
        return getattr(self._jieba, name)

    def cut(self, sentence: str, cut_all: bool = False, HMM: bool = True):
        if cut_all or not HMM or not isinstance(sentence, str):
            return self._jieba.cut(sentence, cut_all=cut_all, HMM=HMM)
        dt = self._jieba.dt
        dt.check_initialized()
        if dt.FREQ is not self._dict or dt.total != self._total:  # (re)loaded or words added
            self._dict, self._total = dt.FREQ, dt.total
            self._logtotal = log(dt.total)
        return self._cut(sentence)

    def _cut(self, sentence: str) -> list[str]:
        out: list[str] = []
        re_han, re_skip = self._re_han, self._re_skip
        for blk in re_han.split(sentence):
            if not blk:
                continue
            if re_han.match(blk):
                self._cut_block(blk, out)
            else:
                for x in re_skip.split(blk):
                    if re_skip.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out

    def _cut_block(self, s: str, out: list[str]) -> None:
        freq, logtotal = self._dict, self._logtotal
        n = len(s)
        score = [0.0] * (n + 1)  # best route score from each position (route[N] = (0, 0))
        nxt = [0] * (n + 1)  # the last character of the first word of that route
        for k in range(n - 1, -1, -1):
            best = None
            # every dictionary word starting at k (jieba.get_DAG: the dictionary holds each
            # word's prefixes, with frequency 0), scored as jieba.calc
            i = k
            f = freq.get(s[k])
            while f is not None:
                if f:
                    v = log(f) - logtotal + score[i + 1]
                    if best is None or v >= best:  # a tie goes to the longer word, as max((v, x))
                        best, end = v, i
                i += 1
                if i >= n:
                    break
                f = freq.get(s[k:i + 1])
            if best is None:
                best, end = log(freq.get(s[k]) or 1) - logtotal + score[k + 1], k
            score[k], nxt[k] = best, end
        # the route, single characters buffered and read by the HMM (jieba.__cut_DAG)
        x, buf = 0, ""
        while x < n:
            y = nxt[x] + 1
            if y - x == 1:
                buf += s[x]
            else:
                if buf:
                    self._flush(buf, out)
                    buf = ""
                out.append(s[x:y])
            x = y
        if buf:
            self._flush(buf, out)

    def _flush(self, buf: str, out: list[str]) -> None:
        if len(buf) == 1:
            out.append(buf)
        elif not self._dict.get(buf):
            out.extend(self._finalseg.cut(buf))
        else:
            out.extend(buf)
