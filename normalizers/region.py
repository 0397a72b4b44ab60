"""region_of: the province (and the most specific division) a unit name states.

A budget unit's name usually carries its place: ``旺苍县卫生健康局`` (旺苍县, 四川省),
``巴彦淖尔市临河区人社局`` (临河区 in 巴彦淖尔市, 内蒙古自治区), ``银川市第六中学``.  The
names come from the GB/T 2260 table in ``vocab/regions.tsv`` (province = the code's first
two digits).  Reading rules:

- names are matched longest first, left to right, as written with their suffix
  (``旺苍县``), a province also by its short name (``四川``, ``内蒙古``), and a county or city
  by its stem before 县/市/区/旗 (``宁乡市`` for the former ``宁乡县``);
- every division named must lie in one province: a name that several provinces have
  (``朝阳区``: 北京市 and 吉林省) decides only together with a name that narrows it
  (``长春市朝阳区``); names in different provinces give no province (``conflict``);
- a name right after 驻 is where an office sits, not whose budget it is
  (``保山市人民政府驻北京联络处`` is 保山市's);
- generic names that are words as well (``城区``, ``郊区``, ``矿区``, ``东区``) are not read.

No match is a ``None``: the place is not guessed from anything else.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .text import strip_pinyin, to_simplified

# Ethnic groups in the names of autonomous divisions: 红河哈尼族彝族自治州 is written 红河州.
NATIONS = ("乌孜别克族", "柯尔克孜族", "俄罗斯族", "哈萨克族", "塔吉克族", "塔塔尔族", "维吾尔族", "达斡尔族", "鄂伦春族", "鄂温克族", "东乡族", "仡佬族", "仫佬族", "保安族", "傈僳族", "哈尼族", "土家族", "基诺族", "布依族", "布朗族", "德昂族", "拉祜族", "撒拉族", "普米族", "景颇族", "朝鲜族", "毛南族", "独龙族", "珞巴族", "纳西族", "蒙古族", "裕固族", "赫哲族", "锡伯族", "门巴族", "阿昌族", "高山族", "京族", "佤族", "侗族", "傣族", "回族", "土族", "壮族", "彝族", "怒族", "水族", "满族", "瑶族", "畲族", "白族", "羌族", "苗族", "藏族", "黎族")
GENERIC = frozenset({"城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "新区", "市中区", "新城区"})
SUFFIXES = ("自治县", "自治旗", "县", "市", "区", "旗")
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


@dataclass(frozen=True)
class Region:
    province: str | None        # 四川省; None when the names disagree or are ambiguous
    province_code: str | None   # 51
    code: str | None            # most specific division named and certain: 510821
    name: str | None            # 旺苍县
    matched: tuple[str, ...]    # the names read, in order
    reason: str | None = None   # why province is None despite names (ambiguous / conflict)


@dataclass(frozen=True)
class _Table:
    names: dict[str, frozenset[str]]   # written name -> codes
    stems: dict[str, frozenset[str]]   # stem -> codes (matched only before a suffix)
    province_names: dict[str, str]     # 51 -> 四川省
    longest: int


@lru_cache(maxsize=1)
def _table() -> _Table:
    names: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    provinces: dict[str, str] = {}
    text = resources.files("normalizers.vocab").joinpath("regions.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, name = line.split("\t")
        if name in GENERIC:
            continue
        names.setdefault(name, set()).add(code)
        if code.endswith("0000"):
            provinces[code[:2]] = name
            for suf in PROVINCE_SUFFIXES:
                if name.endswith(suf) and len(name) - len(suf) >= 2:
                    names.setdefault(name[: -len(suf)], set()).add(code)
                    break
            continue
        for suf in SUFFIXES:
            if name.endswith(suf) and len(name) - len(suf) >= 2:
                stems.setdefault(name[: -len(suf)], set()).add(code)
                break
        short = _autonomous_short(name)
        if short:
            names.setdefault(short, set()).add(code)
    longest = max(len(n) for n in names)
    return _Table({k: frozenset(v) for k, v in names.items()}, {k: frozenset(v) for k, v in stems.items()},
                  provinces, longest)


def _autonomous_short(name: str) -> str | None:
    """红河哈尼族彝族自治州 -> 红河州, 峨边彝族自治县 -> 峨边县 (the usual short form)."""
    for suf, short in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
        if not name.endswith(suf):
            continue
        stem = name[: -len(suf)]
        stripped = True
        while stripped:
            stripped = False
            for n in NATIONS:
                if stem.endswith(n) and len(stem) > len(n):
                    stem, stripped = stem[: -len(n)], True
                    break
        if stem != name[: -len(suf)] and len(stem) >= 2:
            return stem + short
    return None


def _matches(text: str, t: _Table) -> list[tuple[str, frozenset[str]]]:
    out: list[tuple[str, frozenset[str]]] = []
    i, n = 0, len(text)
    while i < n:
        hit = None
        for size in range(min(t.longest, n - i), 1, -1):
            piece = text[i:i + size]
            if piece in t.names:
                hit = (piece, t.names[piece], size)
                break
            if piece in t.stems and text[i + size:i + size + 1] in ("县", "市", "区", "旗"):
                hit = (piece + text[i + size], t.stems[piece], size + 1)
                break
        if hit is None:
            i += 1
            continue
        if text[i - 1:i] != "驻":   # 驻北京联络处: where the office sits, not whose it is
            out.append(hit[:2])
        i += hit[2]
    return out


@lru_cache(maxsize=65536)
def region_of(text: str | None) -> Region | None:
    """The region a unit name (or a title) states, or None when it names no division."""
    if not text:
        return None
    t = _table()
    found = _matches(to_simplified(strip_pinyin(text)), t)
    if not found:
        return None
    matched = tuple(m for m, _ in found)
    common = set.intersection(*({c[:2] for c in codes} for _, codes in found))
    if len(common) != 1:
        every = set.union(*({c[:2] for c in codes} for _, codes in found))
        reason = "ambiguous" if common else "conflict"
        return Region(None, None, None, None, matched, f"{reason}: {'/'.join(matched)} in {len(every)} provinces")
    prov = common.pop()
    code = name = None
    # the most specific division, where exactly one code of that level is named
    for level in ("county", "prefecture"):
        codes = {c for _, cs in found for c in cs if c[:2] == prov and _level(c) == level}
        if len(codes) == 1:
            code = codes.pop()
            name = next(m for m, cs in found if code in cs)
            break
    return Region(t.province_names.get(prov), prov, code or f"{prov}0000", name or t.province_names.get(prov),
                  matched)


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"
