"""`CheckedRecords`, the compact `Report.checked`: it gives back exactly the pairs put in."""

from __future__ import annotations

import pickle

import pytest

from qmsdoc.checker.checked import CheckedRecords, position
from qmsdoc.model.findings import RecordRef

PAIRS = (
    (RecordRef("a.jsonl", "1", "F-1", "A/0", "R1"), ("R-1", "R-2")),
    (RecordRef("a.jsonl", "2", "F-1", "A/0", None), ("R-1", "R-2")),
    (RecordRef("a.json", "#3", "F-2", None, None), ("QMS-RECORD",)),
    (RecordRef("b.csv", "", None, None, None), ()),
    (RecordRef("c.jsonl", "007", "F-1", "A/1", "x"), ("R-1",)),  # not a plain number: kept as written
    (RecordRef("c.jsonl", "-1", "F-1", "A/1", "y"), ("R-1",)),
    (RecordRef("c.jsonl", "١٢", "F-1", "A/1", "z"), ("R-1",)),  # Arabic-Indic digits: text, not a number
    (RecordRef("c.jsonl", "12345678901234567890", "F-1", "A/1", "w"), ("R-1",)),
)


def _filled(pairs: tuple[tuple[RecordRef, tuple[str, ...]], ...] = PAIRS) -> CheckedRecords:
    checked = CheckedRecords()
    for ref, codes in pairs:
        checked.append(*ref, codes)
    return checked


def test_the_pairs_come_back_as_put_in() -> None:
    checked = _filled()
    assert len(checked) == len(PAIRS)
    assert tuple(checked) == PAIRS
    assert checked == PAIRS and checked == list(PAIRS) and checked == CheckedRecords(PAIRS)
    assert [checked[i] for i in range(len(PAIRS))] == list(PAIRS)
    assert checked[-1] == PAIRS[-1] and checked[1:3] == PAIRS[1:3]
    assert all(type(ref) is RecordRef for ref, _ in checked)
    with pytest.raises(IndexError):
        checked[len(PAIRS)]


def test_a_difference_is_seen() -> None:
    other = (*PAIRS[:-1], (PAIRS[-1][0]._replace(record_id="v"), PAIRS[-1][1]))
    assert _filled() != other
    assert _filled() != PAIRS[:-1]


def test_rules_of_the_set_are_added_after_the_others_once() -> None:
    checked = _filled()
    checked.add_rules(0, ["R-2", "S-1"])
    assert checked[0] == (PAIRS[0][0], ("R-1", "R-2", "S-1"))
    assert checked[1] == PAIRS[1]  # the record with the same rules before is not changed


def test_it_pickles_to_the_same_pairs() -> None:
    checked = _filled()
    assert pickle.loads(pickle.dumps(checked)) == PAIRS
    restored = pickle.loads(pickle.dumps(checked))
    restored.append("d.jsonl", "9", "F-1", "A/0", None, ("R-1", "R-2"))  # its keys are found again, not added twice
    assert restored[-1] == (RecordRef("d.jsonl", "9", "F-1", "A/0", None), ("R-1", "R-2"))
    assert len(restored._keys) == len(checked._keys) + 1


def test_a_units_records_are_taken_whole_after_the_others() -> None:
    """What the run does with each unit's records from a worker: the same pairs, in order, whatever keys
    each side had first; the index returned is where the unit's first record now is."""
    run = _filled(PAIRS[3:6])
    unit = pickle.loads(pickle.dumps(_filled(PAIRS)))
    assert run.extend(unit) == 3
    assert run == PAIRS[3:6] + PAIRS
    assert run.extend(CheckedRecords()) == 3 + len(PAIRS)
    run.add_rules(3, ["S-1"])
    assert run[3] == (PAIRS[0][0], ("R-1", "R-2", "S-1")) and run[4] == PAIRS[1]


@pytest.mark.parametrize("skip", [[0], [2], [len(PAIRS) - 1], [0, 1, 2], [1, 3, 5, 7], list(range(len(PAIRS)))])
def test_a_units_records_are_taken_but_those_left_out(skip: list[int]) -> None:
    """The unreadable lines of a file past its bound are counted, not listed: the unit is taken without them,
    and `position` says where each record left in now is."""
    run = _filled(PAIRS[3:6])
    unit = pickle.loads(pickle.dumps(_filled(PAIRS)))
    base = run.extend(unit, skip)
    kept = [pair for i, pair in enumerate(PAIRS) if i not in skip]
    assert base == 3 and run == PAIRS[3:6] + tuple(kept)
    for i, pair in enumerate(PAIRS):
        if i not in skip:
            assert run[position(base, skip, i)] == pair
    run.append("d.jsonl", "9", "F-1", "A/0", None, ())  # what follows is in its place
    assert run[-1] == (RecordRef("d.jsonl", "9", "F-1", "A/0", None), ()) and len(run) == 3 + len(kept) + 1


def test_a_record_sent_to_the_set_phase_comes_back_whole() -> None:
    """Workers send the records the set rules need to the run by pickle: every value comes back."""
    import datetime as dt
    from decimal import Decimal

    from qmsdoc.model.records import FieldProblem, Record

    record = Record("F-1", "A/0", "a.jsonl", {"on": dt.date(2025, 1, 2), "n": Decimal("1.50"), "rows": [{"x": None}]},
                    (FieldProblem("on", "2025-02-30", "no such day", "impossible", "no_such_day", (("d", "30"),)),),
                    "12", ("a note",), "R-7")
    again = pickle.loads(pickle.dumps(record))
    assert again == record and again.notes == ("a note",) and again.record_id == "R-7"
    assert [getattr(again, name) for name in Record.__slots__] == [getattr(record, name) for name in Record.__slots__]
