"""Build once, before the first document, what the extractors otherwise build lazily on
the first document that needs it: the glued-text label lexers (one large alternation per
set of label kinds), the cell-shape and layout patterns, the region table.

Nothing here changes what a document gives: each function called is a cached pure
function of the vocabularies, so calling it early only moves its cost.  A worker pool
calls :func:`warm_up` in the process its workers are forked from, so every worker shares
the result instead of building it again (~0.4 s of CPU each; ~0.15 s once the lexers are
in ``regex_store``).
"""
from __future__ import annotations


def warm_up() -> None:
    from normalizers.region import _table
    from .forms.common import vocab as form_vocab
    from .layout import glued_cells, glued_lists, glued_text, interleaved, interleaved_columns
    from .layout import shape_values, shapes, spaced_head
    from .layout import vocab as layout_vocab
    from .narrative import goals as narrative_goals
    from .narrative.text import _lex
    from .segment import form_specs

    form_vocab()
    form_specs()
    for kinds in (glued_cells.TOP, glued_cells.BODY, shapes.ALL, (shapes.FUND_ITEM,) + glued_cells.TOP,
                  (shapes.FUND_CORNER,), (shapes.FUND_COL,), (shapes.FUND_ITEM,),
                  (shapes.LEVEL1, shapes.LEVEL2)):
        shapes._lexer(kinds)  # the kinds tuples find_labels / first_label are called with
    shapes.goal_header_roles()
    shape_values._shape_res()
    layout_vocab.settings()
    layout_vocab._header_vocab()
    interleaved._header_re()
    interleaved_columns._name_labels()
    interleaved_columns._row_label_re()
    glued_text.titles()
    glued_lists.list_header_re()
    glued_lists.list_row_re()
    spaced_head._money_labels()
    spaced_head._goal_labels()
    narrative_goals._vocab()
    _lex()
    _table()
