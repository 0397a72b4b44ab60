from decimal import Decimal

from normalizers import parse_quantity


def test_smoke_contract_examples():
    q = parse_quantity("1988.88", unit_hint="万元")
    assert (q.op, q.value, q.unit, q.kind) == ("=", Decimal("19888800.00"), "元", "money")
    q = parse_quantity("66.12万份")
    assert (q.value, q.unit, q.kind) == (Decimal("661200"), "份", "count")
    q = parse_quantity("98%以上")
    assert (q.op, q.value, q.unit, q.kind) == (">=", Decimal("98"), "%", "percent")
    q = parse_quantity("3个工作日内")
    assert (q.op, q.value, q.unit, q.kind) == ("<=", Decimal("3"), "工作日", "duration")
    assert parse_quantity("已完成").op == "qual"
    assert parse_quantity("不适用").kind == "na"
