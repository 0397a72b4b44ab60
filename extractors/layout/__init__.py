"""Layout inference for text: one grid contract for every text dialect.

The steps, each a small module with its own tests:

``lines``    lines of the text with their spans
``tabs``     TAB dialects (``tab_cells``, ``tsv_rows``)
``pipes``    ``|`` dialects (leading and terminated styles, pads, multi-line cells)
``spaces``   whitespace-separated rows, only under a header of known column labels
``streams``  rows of a cell stream rebuilt from the width of a recognised header
``interleaved`` labels and values printed apart, paired in order where certain (``interleaved_rows``)
``token_rows`` rows of figures running into each other (split_numbers: numbers cut at breaks)
``score_pairs`` scattered scoring-sheet rows (name + 分值 + 自评分), level labels by their points
``place``    grid positions of short rows, by content (categories and names under their columns)
``grid``     blocks from rows (explicit empty cells, ``grid`` confidence on each cell)
``infer``    the dispatcher: dialect → cells → rows → grid
``vocab``    what a cell is, by meaning (form vocabulary, fuzzy) and by shape
"""
from .infer import Inferred, detect_layout, infer

__all__ = ["infer", "detect_layout", "Inferred"]
