"""Load the label catalogue of a language from the package's labels/ folder."""

from __future__ import annotations

from importlib import resources

from qmsdoc.errors import Diagnostics, SourceError
from qmsdoc.load.reader import MapReader
from qmsdoc.load.yamlsrc import parse_yaml
from qmsdoc.model.labels import Labels

REQUIRED = ("document_no", "revision", "effective_date", "page_of", "prepared", "reviewed",
            "approved", "revision_history", "controlled_copy", "draft_banner")


def load_labels(language: str) -> Labels:
    diags = Diagnostics()
    path = f"qmsdoc/labels/{language}.yaml"
    text = resources.files("qmsdoc").joinpath("labels", f"{language}.yaml").read_text(encoding="utf-8")
    node = parse_yaml(text, path, diags)
    texts: dict[str, str] = {}
    if node is not None:
        r = MapReader(node, diags, "labels")
        for key, _ in r.items():
            value = r.str(key)
            if value is not None:
                texts[key] = value
        for key in REQUIRED:
            if key not in texts:
                diags.error(r.loc, f'label "{key}" is missing')
    if diags:
        raise SourceError(diags)
    return Labels(language, texts)
