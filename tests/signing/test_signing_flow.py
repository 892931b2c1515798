"""Issue #18 end to end on the command line: keys, registry, signing, release, what the document and the
portal show, verify, and every way a signature can fail to hold — each caught with its reason.

A fresh `qmsdoc init` project with signatures enabled; three signers (编制人 张明, 审核人 李华, 批准人
王强) and one more (赵敏, 审核人 only). Keys live outside the project, in the test's own key folder.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from qmsdoc.cli import main
from qmsdoc.scaffold.init import init_project
from qmsdoc.signing.trail import verify_trail

PASS = "s3cret-passphrase"
DOC = "CX-01"
RELEASE = Path("releases/CX-01/A-0")
SIGNERS = {"zhang": ("张明", "编制人"), "li": ("李华", "审核人"), "wang": ("王强", "批准人"), "zhao": ("赵敏", "审核人")}
SITE = ZoneInfo("Asia/Shanghai")  # the site's time zone (qmsdoc init's default)
TODAY = dt.datetime.now(SITE).date().isoformat()  # signing reads the clock, as it must; so does the release date


def run(root: Path, *args: str, input: str | None = None, keys: Path | None = None) -> Result:
    env = {"QMSDOC_KEY_DIR": str(keys)} if keys else {}
    return CliRunner().invoke(main, ["--root", str(root), *args], input=input, env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """A project with signatures on and four registered signers; nothing signed yet."""
    base = tmp_path_factory.mktemp("signing")
    root, keys = base / "project", base / "keys"
    init_project(root, "zh-CN", "测试有限公司")
    config = root / "qmsdoc.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "  - 质量部负责人\n", "  - 质量部负责人\n  - 编制人\n  - 审核人\n  - 批准人\n")
    text += ("\nsignatures:\n  enabled: true\n  roles:\n    prepared: [编制人]\n    reviewed: [审核人]\n"
             "    approved: [批准人]\n")
    config.write_text(text, encoding="utf-8")
    proc = root / "procedures" / "CX-01.md"
    source = proc.read_text(encoding="utf-8")
    source = re.sub(r"^(prepared|reviewed|approved): .*\n", "", source, flags=re.M)
    next_year = dt.date.today().year + 1
    source = source.replace("effective: 2025-02-01", f"effective: {next_year}-01-01").replace(
        "    date: 2025-02-01", f"    date: {next_year}-01-01")
    proc.write_text(source, encoding="utf-8")
    form = root / "forms" / "JL-01-01.yaml"  # not signed here: its typed sign-offs go, as lint asks
    form.write_text(re.sub(r"^(prepared|reviewed|approved): .*\n", "", form.read_text(encoding="utf-8"), flags=re.M),
                    encoding="utf-8")
    public: dict[str, str] = {}
    for login, (name, role) in SIGNERS.items():
        made = run(root, "keygen", "--id", login, input=f"{PASS}\n{PASS}\n", keys=keys)
        assert made.exit_code == 0, made.output
        public[login] = next(line for line in made.stdout.splitlines() if line.startswith("ed25519:"))
        added = run(root, "signer", "add", login, "--name", name, "--role", role, "--public-key", public[login],
                    "--by", "文控刘")
        assert added.exit_code == 0, added.output
    return root, keys, public


def _copy(setup: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> tuple[Path, Path]:
    root, keys, _ = setup
    shutil.copytree(root, tmp_path / "project")
    return tmp_path / "project", keys


def sign(root: Path, keys: Path, meaning: str, login: str, passphrase: str = PASS) -> Result:
    return run(root, "sign", DOC, "--meaning", meaning, "--signer", login, input=f"{passphrase}\n", keys=keys)


def sign_all(root: Path, keys: Path) -> None:
    for meaning, login in (("prepared", "zhang"), ("reviewed", "li"), ("approved", "wang")):
        result = sign(root, keys, meaning, login)
        assert result.exit_code == 0, result.output
        assert re.search(r"verification code [0-9A-F]{4}-[0-9A-F]{4}", result.output)


@pytest.fixture
def released(setup: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> Path:
    root, keys = _copy(setup, tmp_path)
    sign_all(root, keys)
    result = run(root, "release", DOC, "--by", "文控刘", "--no-pdf")
    assert result.exit_code == 0, result.output
    return root


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _actions(root: Path) -> list[str]:
    check = verify_trail(root)
    assert check.broken is None
    return [e.action for e in check.events]


# -- the journey -------------------------------------------------------------------------------


def test_release_takes_names_and_dates_from_the_signatures(released: Path) -> None:
    record = json.loads((released / RELEASE / "release.json").read_text(encoding="utf-8"))
    assert record["prepared"] == {"name": "张明", "date": TODAY}
    assert record["approved"]["name"] == "王强"
    assert set(record["signatures"]) == {"prepared", "reviewed", "approved"}
    text = _docx_text(released / RELEASE / "CX-01_A-0.docx")
    for name in ("张明", "李华", "王强"):
        assert name in text
    assert text.count("UTC+08:00") == 3
    codes = re.findall(r"[0-9A-F]{4}-[0-9A-F]{4}", text)
    assert len(codes) == 3
    signature = json.loads((released / RELEASE / "signatures" / "approved.json").read_text(encoding="utf-8"))
    assert signature["statement"]["meaning"] == "approved" and signature["statement"]["signer"] == "wang"
    assert _actions(released).count("signature.sign") == 3


def test_verify_and_the_portal_show_the_signatures_verified(released: Path) -> None:
    result = run(released, "verify")
    assert result.exit_code == 0, result.output
    built = run(released, "build", "--as-of", f"{dt.date.today().year + 1}-01-02")
    assert built.exit_code == 0, built.output
    page = (released / "output" / "site" / "procedures" / "CX-01.html")
    html = page.read_text(encoding="utf-8") if page.exists() else next(
        p.read_text(encoding="utf-8") for p in (released / "output" / "site").rglob("*.html") if "CX-01" in p.name)
    assert "电子签名已验证" in html
    assert all(name in html for name in ("张明", "李华", "王强")) and html.count("UTC+08:00") == 3


# -- refusals at signing -----------------------------------------------------------------------


def test_a_signer_without_the_role_is_refused_and_logged(setup: tuple[Path, Path, dict[str, str]],
                                                         tmp_path: Path) -> None:
    root, keys = _copy(setup, tmp_path)
    assert sign(root, keys, "prepared", "zhang").exit_code == 0
    assert sign(root, keys, "reviewed", "li").exit_code == 0
    result = sign(root, keys, "approved", "zhao")
    assert result.exit_code == 1
    assert "zhao's roles (审核人) do not allow signing as approved" in result.output
    assert "signature.refuse" in _actions(root)
    assert not (root / RELEASE / "signatures" / "approved.json").exists()


def test_the_same_person_cannot_sign_twice(setup: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    root, keys = _copy(setup, tmp_path)
    assert sign(root, keys, "prepared", "li").exit_code == 1  # li is 审核人 only
    zhao = sign(root, keys, "prepared", "zhang")
    assert zhao.exit_code == 0
    assert sign(root, keys, "reviewed", "li").exit_code == 0
    again = sign(root, keys, "reviewed", "zhao")
    assert again.exit_code == 1 and "already signed as reviewed by li" in again.output


def test_the_wrong_passphrase_signs_nothing(setup: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    root, keys = _copy(setup, tmp_path)
    result = sign(root, keys, "prepared", "zhang", passphrase="not-the-one")
    assert result.exit_code == 1 and "passphrase does not open" in result.output
    assert _actions(root)[-1] == "signature.refuse"


def test_meanings_are_signed_in_order(setup: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    root, keys = _copy(setup, tmp_path)
    result = sign(root, keys, "approved", "wang")
    assert result.exit_code == 1 and "has no valid prepared signature yet" in result.output


def test_release_needs_every_signature(setup: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    root, keys = _copy(setup, tmp_path)
    assert sign(root, keys, "prepared", "zhang").exit_code == 0
    result = run(root, "release", DOC, "--by", "文控刘", "--no-pdf")
    assert result.exit_code != 0
    assert "the reviewed signature: no signature" in result.output
    assert "the approved signature: no signature" in result.output
    assert not (root / RELEASE / "release.json").exists()


def test_release_before_the_approval_is_out_of_order(setup: tuple[Path, Path, dict[str, str]],
                                                     tmp_path: Path) -> None:
    root, keys = _copy(setup, tmp_path)
    sign_all(root, keys)
    yesterday = (dt.date.fromisoformat(TODAY) - dt.timedelta(days=1)).isoformat()
    result = run(root, "release", DOC, "--by", "文控刘", "--no-pdf", "--date", yesterday)
    assert result.exit_code != 0 and f"after the release on {yesterday}" in result.output


def test_a_change_after_signing_invalidates_and_lint_says_which(setup: tuple[Path, Path, dict[str, str]],
                                                                tmp_path: Path) -> None:
    root, keys = _copy(setup, tmp_path)
    sign_all(root, keys)
    assert run(root, "lint").exit_code == 0
    proc = root / "procedures" / "CX-01.md"
    proc.write_text(proc.read_text(encoding="utf-8").replace("当日填写", "当日内填写"), encoding="utf-8")
    lint = run(root, "lint")
    assert lint.exit_code == 1
    for meaning, login in (("prepared", "zhang"), ("reviewed", "li"), ("approved", "wang")):
        assert (f"CX-01 A/0: the {meaning} signature by {login}: the source changed after it was signed"
                in lint.output)
    assert run(root, "release", DOC, "--by", "文控刘", "--no-pdf").exit_code != 0


def test_typed_signoffs_are_refused_when_signatures_are_on(setup: tuple[Path, Path, dict[str, str]],
                                                           tmp_path: Path) -> None:
    root, _ = _copy(setup, tmp_path)
    proc = root / "procedures" / "CX-01.md"
    proc.write_text(proc.read_text(encoding="utf-8").replace("owner:", "approved: {name: 王强, date: 2025-01-15}\n"
                                                             "owner:", 1), encoding="utf-8")
    lint = run(root, "lint")
    assert lint.exit_code == 1 and "the approved name and date come from the signature" in lint.output


# -- tampering, caught by verify ---------------------------------------------------------------


def _flip_in_zip(path: Path, part: str, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == part:
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            z.writestr(info, data)


def test_tampering_with_the_source_is_caught(released: Path) -> None:
    source = released / RELEASE / "CX-01.md"
    source.write_bytes(source.read_bytes().replace("当日".encode(), "次日".encode(), 1))
    result = run(released, "verify")
    assert result.exit_code == 1 and "CX-01.md: altered since CX-01 A/0 was released" in result.output


def test_tampering_with_the_document_is_caught(released: Path) -> None:
    _flip_in_zip(released / RELEASE / "CX-01_A-0.docx", "word/document.xml", "王强", "王弱")
    result = run(released, "verify")
    assert result.exit_code == 1
    assert "the document shows for approved name \"王弱\" (the signature says \"王强\")" in result.output
    body = released / RELEASE / "CX-01_A-0.docx"
    shutil.copy(body, body.with_suffix(".bak"))


def test_tampering_with_a_signature_is_caught(released: Path) -> None:
    path = released / RELEASE / "signatures" / "reviewed.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["statement"]["name"] = "李华华"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run(released, "verify")
    assert result.exit_code == 1
    assert "CX-01 A/0: the reviewed signature by li: tampered" in result.output


def test_tampering_with_the_registry_is_caught(released: Path, setup: tuple[Path, Path, dict[str, str]]) -> None:
    other = setup[2]["zhao"]
    path = released / "signers" / "wang.yaml"
    path.write_text(re.sub(r"public_key: .*", f"public_key: {other}", path.read_text(encoding="utf-8")),
                    encoding="utf-8")
    result = run(released, "verify")
    assert result.exit_code == 1
    assert "signers/wang.yaml: changed after event" in result.output
    assert "the approved signature by wang: unknown key" in result.output


def test_tampering_with_the_trail_is_caught(released: Path) -> None:
    path = released / "signers" / "trail.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:2] + lines[3:]) + "\n", encoding="utf-8")
    result = run(released, "verify")
    assert result.exit_code == 1 and "lines were removed from the trail" in result.output


# -- revocation --------------------------------------------------------------------------------


def test_a_key_revoked_after_signing_still_verifies(released: Path) -> None:
    later = (dt.date.fromisoformat(TODAY) + dt.timedelta(days=1)).isoformat()
    assert run(released, "signer", "revoke", "wang", "--on", later, "--reason", "离职", "--by", "文控刘").exit_code == 0
    result = run(released, "verify")
    assert result.exit_code == 0, result.output
    assert _actions(released)[-1] == "signer.revoke"


def test_a_key_revoked_before_signing_fails(setup: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    root, keys = _copy(setup, tmp_path)
    assert run(root, "signer", "revoke", "wang", "--on", TODAY, "--reason", "密钥丢失", "--by", "文控刘").exit_code == 0
    assert sign(root, keys, "prepared", "zhang").exit_code == 0
    assert sign(root, keys, "reviewed", "li").exit_code == 0
    result = sign(root, keys, "approved", "wang")
    assert result.exit_code == 1 and f"wang's key was revoked on {TODAY}" in result.output
