"""The label matchers keep results once computed (normalizers.label_match caches): a caller
that changes what it got back must not change what the next caller gets."""

from decimal import Decimal

from normalizers.label_match import best_label, split_qualifiers


def test_split_qualifiers_returns_a_fresh_dict_each_call():
    # r053's header cell '预算执行情况(万元) (20分)'
    core, q = split_qualifiers("预算执行情况(万元) (20分)")
    assert (core, q) == ("预算执行情况", {"scale": "万元", "weight": Decimal("20")})
    q["weight"] = Decimal("99")
    q.pop("scale")
    assert split_qualifiers("预算执行情况(万元) (20分)")[1] == {"scale": "万元", "weight": Decimal("20")}


def test_best_label_follows_the_vocabulary_not_the_cache():
    # r060's header cell '全年预算数(A)': the same cell against two vocabularies
    assert best_label("全年预算数(A)", {"budget": ["全年预算数"], "spent": ["全年执行数"]})[0] == "budget"
    assert best_label("全年预算数(A)", {"spent": ["全年执行数"]}, threshold=0.95) == (None, best_label(
        "全年预算数", {"spent": ["全年执行数"]}, threshold=0.95)[1])
    assert best_label("全年预算数(A)", {"spent": ["全年执行数"]}, threshold=0.95)[0] is None


def test_a_vocabulary_is_frozen_once_and_keyed_by_its_content():
    from normalizers.frozen import FrozenVocabulary, frozen_vocabulary
    # r060's header cell '全年预算数(A)' against the forms' fund columns, twice: one frozen
    # tuple for the process's vocabulary object, equal (and hashing equal) to a fresh one
    from extractors.forms.common import vocab
    cols = vocab()["fund_columns"]
    frozen = frozen_vocabulary(cols)
    assert frozen is frozen_vocabulary(cols)
    again = FrozenVocabulary(dict(cols))
    assert again == frozen and hash(again) == hash(frozen) == hash(tuple(frozen))
    assert best_label("全年预算数(A)", cols)[0] == best_label("全年预算数(A)", dict(cols))[0] is not None
    # another vocabulary object with other labels is never answered from the first one's
    other = {"spent": ["全年执行数"]}
    assert frozen_vocabulary(other) != frozen
    assert best_label("全年预算数(A)", other, threshold=0.95)[0] is None
