"""OCR confusables of the labels (``normalizers/vocab/ocr.yaml``): characters and Latin
look-alikes an OCR engine puts for the characters of the forms' labels, and the digits it
reads as letters.  Pure data and a pure function over strings."""
from __future__ import annotations

import re
from importlib import resources

from .yamltext import parse_yaml

__all__ = ["OCR_CONFUSABLES", "OCR_DIGITS", "ocr_fold"]


def _load_ocr() -> dict[str, list[str]]:
    with resources.files("normalizers").joinpath("vocab/ocr.yaml").open("r", encoding="utf-8") as fh:
        return {c: list(alts) for c, alts in (parse_yaml(fh) or {}).get("confusables", {}).items()}


OCR_CONFUSABLES: dict[str, list[str]] = _load_ocr()


def _load_ocr_digits() -> dict[str, str]:
    with resources.files("normalizers").joinpath("vocab/ocr.yaml").open("r", encoding="utf-8") as fh:
        return {k: str(v) for k, v in (parse_yaml(fh) or {}).get("digits", {}).items()}


OCR_DIGITS: dict[str, str] = _load_ocr_digits()
_OCR_ONE = str.maketrans({alt: c for c, alts in OCR_CONFUSABLES.items() for alt in alts if len(alt) == 1})
_OCR_LATIN = [(alt, re.compile(r"(?<=[\u4e00-\u9fff])" + re.escape(alt)), c)
              for c, alts in OCR_CONFUSABLES.items() for alt in alts if len(alt) > 1]


def ocr_fold(text: str) -> str:
    """A label with its OCR confusables read back (项Fl资金(万兀) -> 项目资金(万元))."""
    text = text.translate(_OCR_ONE)
    for alt, pat, c in _OCR_LATIN:
        if alt in text:
            text = pat.sub(c, text)
    return text
