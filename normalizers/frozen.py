"""Vocabularies (key → labels) frozen into hashable tuples once, for the cached look-ups
that take a vocabulary as part of their key (``labels.best_label``, the header model)."""
from __future__ import annotations


class FrozenVocabulary(tuple):
    """A vocabulary (key → labels) as ``((key, (label, …)), …)``, hashed once: it is half
    of the key of every cached look-up against it (hashing its labels again on each call
    cost more than the look-up)."""

    def __new__(cls, vocabulary: dict[str, list[str]]):
        self = super().__new__(cls, ((key, tuple(labels)) for key, labels in vocabulary.items()))
        self._hash = tuple.__hash__(self)
        return self

    def __hash__(self):
        return self._hash


_FROZEN: dict[int, tuple[dict, FrozenVocabulary]] = {}


def frozen_vocabulary(vocabulary: dict[str, list[str]]) -> FrozenVocabulary:
    """``FrozenVocabulary(vocabulary)``, made once per vocabulary object (the vocabularies
    are the process's, loaded once; one built per call is frozen per call)."""
    hit = _FROZEN.get(id(vocabulary))
    if hit is None or hit[0] is not vocabulary:
        if len(_FROZEN) > 64:  # vocabularies built per call: do not keep them all
            _FROZEN.clear()
        hit = _FROZEN[id(vocabulary)] = (vocabulary, FrozenVocabulary(vocabulary))
    return hit[1]
