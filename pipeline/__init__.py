"""CLI, stages, parallel execution, Parquet writing, checks and trace.

Depends on ``extractors`` and ``normalizers``; nothing depends on it.
"""
