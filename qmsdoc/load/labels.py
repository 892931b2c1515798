"""Load the label catalogues of a language from the package's labels/ folder.

Two catalogues per language: `{language}.yaml` (fixed texts of documents and reports) and
`checks.{language}.yaml` (the checker's default finding messages). A key is defined once.
"""

from __future__ import annotations

from importlib import resources

from qmsdoc.errors import Diagnostics, Location, SourceError
from qmsdoc.load.reader import MapReader
from qmsdoc.load.shapes import LABELS
from qmsdoc.load.yamlsrc import parse_yaml
from qmsdoc.model.labels import Labels

CATALOGUES = ("{language}.yaml", "checks.{language}.yaml")
REQUIRED = ("document_no", "revision", "effective_date", "page_of", "prepared", "reviewed",
            "approved", "revision_history", "controlled_copy", "draft_banner", "check_missing")


def load_labels(language: str) -> Labels:
    diags = Diagnostics()
    texts: dict[str, str] = {}
    for pattern in CATALOGUES:
        name = pattern.format(language=language)
        path = f"qmsdoc/labels/{name}"
        text = resources.files("qmsdoc").joinpath("labels", name).read_text(encoding="utf-8")
        node = parse_yaml(text, path, diags)
        if node is None:
            continue
        r = MapReader(node, diags, "labels", LABELS)
        for key, _ in r.items():
            value = r.text(key)
            if key in texts:
                diags.error(r.key_loc(key), f'label "{key}" is also defined in another catalogue')
            elif value is not None:
                texts[key] = value
    for key in REQUIRED:
        if key not in texts:
            diags.error(Location(f"qmsdoc/labels/{language}.yaml"), f'label "{key}" is missing')
    if diags:
        raise SourceError(diags)
    return Labels(language, texts)
