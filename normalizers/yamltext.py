"""YAML vocabularies parsed with libyaml's C parser where PyYAML was built with it
(``yaml.CSafeLoader``: ~10x the pure-Python ``safe_load`` on our files, the same
objects), else with the pure-Python safe loader.  A worker's first document parses every
vocabulary: this is part of what a small incremental run pays."""
from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text_or_stream):
    """``yaml.safe_load``, faster: plain data only (no Python object tags)."""
    return yaml.load(text_or_stream, Loader=_LOADER)  # noqa: S506 - a safe loader
