"""Ed25519 key pairs: made, stored encrypted outside the project, and opened with the passphrase.

The private key is written as PKCS#8 PEM encrypted with the passphrase (PyCA cryptography's best
available encryption), mode 0600, in the user's key folder: `--key-dir`, else `QMSDOC_KEY_DIR`,
else `$XDG_CONFIG_HOME/qmsdoc/keys` (default `~/.config/qmsdoc/keys`). The public key is written
in the registry as `ed25519:` and the 32 raw bytes in base64. No cryptography is done here
beyond calling the library.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from qmsdoc.model.signatures import KEY_PREFIX
from qmsdoc.signing import SigningError

MIN_PASSPHRASE = 8
"""The shortest passphrase accepted for a new key."""
KEY_SUFFIX = ".pem"


def key_dir(override: Path | None = None) -> Path:
    """Where private keys are kept (see the module docstring)."""
    if override is not None:
        return override
    if os.environ.get("QMSDOC_KEY_DIR"):
        return Path(os.environ["QMSDOC_KEY_DIR"])
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "qmsdoc" / "keys"


def key_path(login: str, folder: Path) -> Path:
    return folder / f"{login}{KEY_SUFFIX}"


def generate(login: str, passphrase: str, folder: Path, project: Path | None = None) -> tuple[Path, str]:
    """Make a key pair for `login`: write the encrypted private key in `folder`; return its path and the
    public key text. Refuses a short passphrase, an existing key file and a folder inside `project`."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise SigningError(f"the passphrase is shorter than {MIN_PASSPHRASE} characters",
                           "choose a longer passphrase; it is asked for at every signing")
    if project is not None and _inside(folder, project):
        raise SigningError(f"{folder} is inside the project: a private key is never kept with the documents",
                           "use the default key folder, or --key-dir outside the project")
    path = key_path(login, folder)
    if path.exists():
        raise SigningError(f"{path} exists: {login} has a key already",
                           "a key is never overwritten; revoke the old one (qmsdoc signer revoke) before making "
                           "a new one, and move the old file away")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return path, public_text(private.public_key())


def open_private(path: Path, passphrase: str) -> Ed25519PrivateKey:
    """The private key in `path`, opened with `passphrase`; SigningError when either is wrong."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(f"no private key at {path}",
                           "make one with qmsdoc keygen --id LOGIN, or pass --key-dir") from None
    try:
        key = serialization.load_pem_private_key(data, passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        raise SigningError("the passphrase does not open the private key", "type it again") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{path} does not hold an Ed25519 key", "make one with qmsdoc keygen")
    return key


def public_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return KEY_PREFIX + base64.b64encode(raw).decode("ascii")


def parse_public(text: str) -> Ed25519PublicKey | None:
    """The key written as `ed25519:BASE64`, or None when it is not one."""
    if not text.startswith(KEY_PREFIX):
        return None
    try:
        raw = base64.b64decode(text[len(KEY_PREFIX):], validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        return None


def sign_bytes(key: Ed25519PrivateKey, data: bytes) -> str:
    return base64.b64encode(key.sign(data)).decode("ascii")


def verifies(public: str, data: bytes, signature: str) -> bool:
    """Whether `signature` (base64) is the signature of `data` by the key `public` (`ed25519:…`)."""
    key = parse_public(public)
    if key is None:
        return False
    try:
        key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def _inside(folder: Path, project: Path) -> bool:
    try:
        folder.resolve().relative_to(project.resolve())
    except ValueError:
        return False
    return True
