"""What `qmsdoc lint` says about signatures given and not yet released.

A revision signed and not yet released keeps its signatures in releases/<id>/<revision>/signatures/.
Any change to the document after a signature invalidates it: lint names the signature, its signer
and why (the source changed, or what the document prints from elsewhere changed), and every other
reason a signature would be refused at release. With signatures enabled, typed sign-offs in a
revision still to be released are refused too: the names and dates printed come from the signatures.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from qmsdoc.errors import Diagnostics, Location
from qmsdoc.load.signatures import read_signatures, signatures_folder
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.labels import Labels
from qmsdoc.model.project import Project
from qmsdoc.model.signatures import MEANINGS
from qmsdoc.signing.check import check_signatures
from qmsdoc.signing.sign import expected_now


def signature_diagnostics(project: Project, labels: Labels) -> Diagnostics:
    diags = Diagnostics()
    settings = project.site.signatures
    tz = ZoneInfo(project.site.timezone)
    docs: list[Procedure | Form] = [*project.procedures.values(), *project.forms.values()]
    for doc in sorted(docs, key=lambda d: d.path):
        if project.release_of(doc.id, doc.revision) is not None:
            continue
        if settings.enabled:
            for meaning in MEANINGS:
                if getattr(doc, meaning) is not None:
                    diags.error(doc.locs.get(meaning, Location(doc.path, 1, 1)),
                                f"{doc.id} {doc.revision}: signatures are enabled, so the {meaning} name and date "
                                "come from the signature, not from the source",
                                f"remove {meaning}: and sign with qmsdoc sign {doc.id} --meaning {meaning}")
        if not (project.root / signatures_folder(doc.id, doc.revision)).is_dir():
            continue
        signatures, unreadable = read_signatures(project.root, doc.id, doc.revision)
        for path, why in unreadable:
            diags.error(Location(path, 1, 1), f"{doc.id} {doc.revision}: {why}", "restore it from git, or sign again")
        if not signatures:
            continue
        expected = expected_now(project, doc, labels)
        for p in check_signatures(signatures, expected, project.signers, settings, tz, complete=False):
            diags.error(Location(p.path or doc.path, 1, 1), p.message(), p.hint or None)
    return diags
