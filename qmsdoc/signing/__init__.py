"""Electronic signatures (issue #18): keys, the signers registry, signing, and the audit trail.

`keys` makes and opens Ed25519 key pairs (PyCA cryptography; the private key encrypted with a
passphrase, kept outside the project); `sign` makes a signature over a document's statement;
`check` verifies signatures against the registry and the released bytes; `trail` is the
append-only, hash-chained log of every signing, refusal and registry change.
"""


class SigningError(Exception):
    """Signing or a key operation was refused: what is wrong, and how to go on."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint
