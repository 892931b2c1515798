"""What a rule's title and message may say: words, in either language; never code."""

from __future__ import annotations

import pytest

from qmsdoc.load.rules import CODE_SHAPED


@pytest.mark.parametrize("text", ["Reply within 5 days", "Notice given 48 hours ahead", "签字后 10 天内报企管部门",
                                  "The length of the list is checked"])
def test_words_are_words(text: str) -> None:
    assert CODE_SHAPED.search(text) is None


@pytest.mark.parametrize("text", ["days(signed_on, sent_on) <= 10", "len(items) >= 1", "params.copy_days",
                                  "copy_to_qm_on", "marketing_leader.date", "a >= b", "{{ params.x }}"])
def test_code_is_code(text: str) -> None:
    assert CODE_SHAPED.search(text) is not None
