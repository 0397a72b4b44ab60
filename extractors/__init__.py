"""Format readers, the document model, the segmenter and the form parsers.

Depends on ``normalizers`` only; never on ``pipeline``.
"""
