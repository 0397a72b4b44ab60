"""HTML pieces shared by the audit report pages: escaping, links, and the stylesheet
(CSS with CJK font stacks) every page embeds."""
from __future__ import annotations

from decimal import Decimal


def esc(v) -> str:
    """``html.escape(str(v), quote=True)``, written out (the html package imports its
    entity tables: 4 ms of every report's start-up)."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        v = f"{v.normalize():f}"
    return (str(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


def _a(href_id: str | None, label: str, known: set[str]) -> str:
    if href_id and href_id in known:
        return f'<a href="#{esc(href_id)}">{esc(label)}</a>'
    return esc(label)


def _short(id_: str, doc_id: str) -> str:
    return id_[len(doc_id) + 1:] if id_.startswith(doc_id + ":") else id_


# Font stacks naming the CJK families of common desktops (Linux: Noto/Source Han,
# WenQuanYi; macOS: PingFang, Hiragino; Windows: Microsoft YaHei, SimSun), so that Chinese
# is drawn wherever one of them is installed, whatever the system UI font is.
CJK_SANS = ('"Noto Sans CJK SC","Source Han Sans SC","Source Han Sans CN","PingFang SC",'
            '"Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei","WenQuanYi Zen Hei",'
            '"Droid Sans Fallback","SimSun",sans-serif')
CJK_MONO = ('ui-monospace,SFMono-Regular,Menlo,Consolas,"Noto Sans Mono CJK SC",'
            '"WenQuanYi Micro Hei Mono",' + CJK_SANS.replace(",sans-serif", ",monospace"))

CSS = """
:root{--err:#b3261e;--warn:#9a6700;--info:#0b57d0;--bd:#d0d7de;--bg2:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",""" + CJK_SANS + """;margin:0;color:#1f2328}
header,section.block{padding:12px 20px;border-bottom:1px solid var(--bd)}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:8px 0}h3{font-size:15px;margin:14px 0 6px}
code,.mono{font-family:""" + CJK_MONO + """;font-size:12px}
nav a{margin-right:12px}
.meta{color:#57606a}
ol.findings{padding-left:22px}ol.findings li{margin:6px 0 10px}
.sev{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:0 4px;margin-right:4px}
.sev-error{background:var(--err)}.sev-warning{background:var(--warn)}.sev-info{background:var(--info)}
.refs a{margin-right:8px}
table{border-collapse:collapse;margin:6px 0 14px;font-size:13px}
th,td{border:1px solid var(--bd);padding:3px 6px;vertical-align:top;text-align:left}
th{background:var(--bg2);position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.layout{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0}
.pane{max-height:100vh;overflow:auto;padding:12px 20px;border-right:1px solid var(--bd)}
@media (max-width:1100px){.layout{display:block}.pane{max-height:none}}
pre.src{font-family:""" + CJK_SANS + """;white-space:pre-wrap;word-break:break-all;tab-size:4;font-size:13px;line-height:1.6;margin:0}
mark.v{border-radius:2px;padding:0 1px}
mark.v a{color:inherit;text-decoration:none}
mark.v-ind{background:#fff3b0}mark.v-fund{background:#c8f0d0}mark.v-fact{background:#d6e9ff}
mark.v-goal{background:#f2e1ff}mark.v-mention{background:#ffd9c2}mark.v-ref{background:#e6e6e6}
:target{outline:3px solid #e8590c;outline-offset:1px}
.legend mark{margin-right:8px}
.status-ok{color:#1a7f37}.status-partial,.status-unparsed,.status-failed{color:var(--err);font-weight:600}
"""
