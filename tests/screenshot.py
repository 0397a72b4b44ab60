"""Headless-Chromium screenshots and a check that CJK glyphs are drawn, not tofu boxes.

A character that no installed font has is drawn as the fallback font's .notdef glyph: a
hollow rectangle, the same for every character.  ``glyph_report`` looks at one glyph per
cell of a screenshot and says, per cell, whether it has ink, ink inside its own bounding
box (a box has none there), and whether the cells differ from each other.
PNG is decoded here with zlib (8-bit RGB/RGBA, what Chromium writes): no imaging library.
"""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                             shutil.which("chromium-browser") or "") if p and Path(p).exists()), None)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def chromium(args: list[str], profile: Path, env: dict | None = None, timeout: float = 60) -> bytes:
    """Run headless Chromium with a private profile; its stdout (e.g. --dump-dom)."""
    res = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                         capture_output=True, timeout=timeout, env={**os.environ, **(env or {})})
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")[-2000:]
    return res.stdout


def screenshot(page: Path, png: Path, profile: Path, size=(1000, 400), env: dict | None = None) -> Path:
    chromium([f"--window-size={size[0]},{size[1]}", f"--screenshot={png}", page.as_uri()], profile, env)
    assert png.exists() and png.stat().st_size > 0, "no screenshot written"
    return png


def read_png_gray(path: Path) -> tuple[int, int, list[bytearray]]:
    """Width, height and rows of 0-255 gray values of an 8-bit RGB(A) or gray PNG."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (0, 2, 4, 6) and not interlace, (depth, ctype, interlace)
            bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows: list[bytearray] = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        chans = 1 if bpp <= 2 else 3
        rows.append(bytearray(sum(line[x * bpp:x * bpp + chans]) // chans for x in range(w)))
    return w, h, rows


def glyph_report(png: Path, n: int, cell: int, top: int = 0) -> list[dict]:
    """For each of ``n`` square cells of ``cell`` pixels laid left to right from (0, top):
    its ink (dark pixels), its ink inside the middle half of its inked bounding box, and
    its ink bitmap."""
    w, h, rows = read_png_gray(png)
    out = []
    for k in range(n):
        x0 = k * cell
        pts = [(x, y) for y in range(top, min(h, top + cell)) for x in range(x0, min(w, x0 + cell))
               if rows[y][x] < 128]
        if not pts:
            out.append({"ink": 0, "inner": 0, "bitmap": frozenset()})
            continue
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        bx0, bx1, by0, by1 = min(xs), max(xs), min(ys), max(ys)
        mx, my = (bx1 - bx0) / 4, (by1 - by0) / 4
        inner = sum(1 for x, y in pts if bx0 + mx < x < bx1 - mx and by0 + my < y < by1 - my)
        out.append({"ink": len(pts), "inner": inner,
                    "bitmap": frozenset((x - bx0, y - by0) for x, y in pts)})
    return out


def glyphs_drawn(report: list[dict]) -> tuple[bool, str]:
    """True when every cell holds a real glyph: inked, with ink inside its box, and no two
    cells alike (tofu boxes are empty inside and all the same)."""
    for k, c in enumerate(report):
        if c["ink"] == 0:
            return False, f"glyph {k + 1}: nothing drawn"
        if c["inner"] == 0:
            return False, f"glyph {k + 1}: a hollow box (no ink inside its outline): tofu"
    if len({c["bitmap"] for c in report}) < len(report):
        return False, "different characters drawn alike: tofu"
    return True, "every glyph drawn"


def probe_page(css: str, chars: str, cell: int = 100) -> str:
    """A page with the report's CSS and one character per fixed cell, once in the body
    font and once in the font of the report's text pane (pre.src)."""
    spans = "".join(f"<span>{c}</span>" for c in chars)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}'
            f"body{{background:#fff}}div.row{{height:{cell}px;white-space:nowrap;margin:0;padding:0}}"
            f".row span{{display:inline-block;width:{cell}px;height:{cell}px;font-size:{cell * 4 // 5}px;"
            f"line-height:{cell}px;text-align:center;color:#000;overflow:hidden;vertical-align:top}}"
            f"pre.row{{font-size:0}}</style></head><body>"
            f'<div class="row">{spans}</div><pre class="src row">{spans}</pre></body></html>')


def no_cjk_fontconfig(folder: Path) -> Path:
    """A fontconfig file that sees only the DejaVu fonts (no CJK font): Chinese becomes tofu."""
    folder.mkdir(parents=True, exist_ok=True)
    dirs = "".join(f"<dir>{d}</dir>" for d in ("/usr/share/fonts/truetype/dejavu",) if Path(d).is_dir())
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                    f"<fontconfig>{dirs}<cachedir>{folder / 'cache'}</cachedir></fontconfig>", "utf-8")
    return conf
