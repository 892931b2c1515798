"""`check_signatures`: each reason a signature does not hold is found and named, and nothing else is."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from qmsdoc.model.signatures import Signature, Signer, Statement
from qmsdoc.model.site import SignatureSettings
from qmsdoc.signing.check import Expected, check_signatures
from qmsdoc.signing.keys import public_text, sign_bytes

TZ = ZoneInfo("Asia/Shanghai")
SETTINGS = SignatureSettings(True, (("prepared", ("编制人",)), ("reviewed", ("审核人",)), ("approved", ("批准人",))))
EXPECTED = Expected("SJE/ZY/GK-09", "B/0", "a" * 64, "b" * 64, dt.date(2026, 12, 10))
KEYS = {login: Ed25519PrivateKey.generate() for login in ("zhang", "li", "wang", "zhao")}
ROLES = {"zhang": ("编制人",), "li": ("审核人",), "wang": ("批准人",), "zhao": ("编制人", "审核人")}


def _signers(**changes: dict[str, object]) -> dict[str, Signer]:
    out = {}
    for login, key in KEYS.items():
        signer = Signer(login, login.title(), ROLES[login], public_text(key.public_key()), dt.date(2026, 1, 1))
        out[login] = dataclasses.replace(signer, **changes.get(login, {}))  # type: ignore[arg-type]
    return out


def _at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, tzinfo=TZ)


def _sign(meaning: str, login: str, at: dt.datetime, **changes: str) -> Signature:
    st = Statement(changes.get("document", EXPECTED.document), changes.get("revision", EXPECTED.revision), meaning,
                   login, login.title(), at, changes.get("source", "a" * 64), changes.get("digest", "b" * 64))
    return Signature(st, public_text(KEYS[login].public_key()), sign_bytes(KEYS[login], st.canonical()),
                     f"releases/SJE-ZY-GK-09/B-0/signatures/{meaning}.json")


def _three() -> list[Signature]:
    return [_sign("prepared", "zhang", _at(1)), _sign("reviewed", "li", _at(2)), _sign("approved", "wang", _at(3))]


def _reasons(signatures: list[Signature], signers: dict[str, Signer] | None = None,
             expected: Expected = EXPECTED, complete: bool = True) -> list[str]:
    problems = check_signatures(signatures, expected, signers or _signers(), SETTINGS, TZ, complete=complete)
    return [f"{p.meaning}: {p.reason}" for p in problems]


def test_three_valid_signatures_in_order_hold() -> None:
    assert _reasons(_three()) == []


def test_a_missing_meaning_is_named_only_when_complete() -> None:
    two = _three()[:2]
    assert _reasons(two) == ["approved: no signature"]
    assert _reasons(two, complete=False) == []


def test_a_tampered_signature_or_statement_is_caught() -> None:
    sigs = _three()
    forged = dataclasses.replace(sigs[2], statement=dataclasses.replace(sigs[2].statement, name="Mallory"))
    assert _reasons([*sigs[:2], forged]) == ["approved: tampered: the signature does not verify against its "
                                             "statement and the registered key"]
    flipped = sigs[2].value[:-4] + ("AAAA" if not sigs[2].value.endswith("AAAA") else "BBBB")
    assert "tampered" in _reasons([*sigs[:2], dataclasses.replace(sigs[2], value=flipped)])[0]


def test_a_registry_key_that_changed_is_an_unknown_key() -> None:
    other = public_text(Ed25519PrivateKey.generate().public_key())
    reasons = _reasons(_three(), _signers(wang={"public_key": other}))
    assert reasons == ["approved: unknown key: it was made with a key that is not wang's registered key"]


def test_an_unknown_signer() -> None:
    signers = _signers()
    del signers["wang"]
    assert _reasons(_three(), signers) == ['approved: unknown signer "wang": not in the signers registry (signers/)']


@pytest.mark.parametrize("revoked, holds", [(dt.date(2026, 12, 4), True), (dt.date(2026, 12, 3), False),
                                            (dt.date(2026, 12, 2), False)])
def test_a_revoked_key_holds_for_what_it_signed_before(revoked: dt.date, holds: bool) -> None:
    reasons = _reasons(_three(), _signers(wang={"revoked": revoked}))
    assert (reasons == []) is holds
    if not holds:
        assert reasons == [f"approved: revoked before signing: signed on 2026-12-03, the key was revoked on {revoked}"]


def test_a_signer_without_the_role() -> None:
    sigs = [_sign("prepared", "zhang", _at(1)), _sign("reviewed", "li", _at(2)), _sign("approved", "zhao", _at(3))]
    reasons = _reasons(sigs)
    assert reasons == ["approved: wrong role: zhao's roles (编制人, 审核人) do not allow signing as approved"]


def test_the_same_person_twice() -> None:
    sigs = [_sign("prepared", "zhao", _at(1)), _sign("reviewed", "zhao", _at(2)), _sign("approved", "wang", _at(3))]
    assert _reasons(sigs) == ["reviewed: the same person signed as prepared and as reviewed"]


def test_signatures_out_of_order() -> None:
    sigs = [_sign("prepared", "zhang", _at(2)), _sign("reviewed", "li", _at(1)), _sign("approved", "wang", _at(3))]
    reasons = _reasons(sigs)
    assert len(reasons) == 1 and reasons[0].startswith("reviewed: out of order: signed at 2026-12-01T10:00:00+08:00")
    late = _reasons(_three(), expected=dataclasses.replace(EXPECTED, released_on=dt.date(2026, 12, 2)))
    assert late == ["approved: out of order: approved on 2026-12-03, after the release on 2026-12-02"]


def test_a_signature_copied_from_another_document() -> None:
    sigs = _three()
    sigs[2] = _sign("approved", "wang", _at(3), document="SJE/ZY/GK-10")
    assert _reasons(sigs) == ["approved: it signs SJE/ZY/GK-10 B/0, not this revision: a signature cannot be "
                              "copied to another document"]


def test_a_change_after_signing_invalidates_every_signature() -> None:
    source_changed = _reasons(_three(), expected=dataclasses.replace(EXPECTED, source_sha256="c" * 64))
    assert source_changed == [f"{m}: the source changed after it was signed" for m in ("prepared", "reviewed",
                                                                                        "approved")]
    document_changed = _reasons(_three(), expected=dataclasses.replace(EXPECTED, document_digest="c" * 64))
    assert len(document_changed) == 3 and all("the document changed after it was signed" in r
                                              for r in document_changed)


def test_the_signing_day_is_judged_in_the_sites_zone() -> None:
    # 23:30 on 3 December in Shanghai is 15:30 UTC the same day; revoked on the 4th: it holds
    late = _sign("approved", "wang", dt.datetime(2026, 12, 3, 23, 30, tzinfo=TZ))
    sigs = [*_three()[:2], late]
    assert _reasons(sigs, _signers(wang={"revoked": dt.date(2026, 12, 4)})) == []
