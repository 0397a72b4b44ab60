"""Tables as their headers mean them: dense grids (a merged cell visible from every
position it covers), cell shapes, and a header model that turns the header block of a
table into column paths with roles (``header.py``).  Vocabularies are passed in by the
form recognisers (``extractors/forms/columns.yaml``); nothing here knows a form."""
from .grid import cell_shape, dense_rows, is_positional, row_end
from .header import Column, Header, build_header, find_header

__all__ = ["cell_shape", "dense_rows", "is_positional", "row_end",
           "Column", "Header", "build_header", "find_header"]
