"""Figures stated in two attachments of one document (or two documents of one unit and
year) that must agree."""
from __future__ import annotations
