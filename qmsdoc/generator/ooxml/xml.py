"""Element construction in schema order: Word and LibreOffice ignore misplaced children."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"

# Child order of the elements we add to, after ISO/IEC 29500-1 (transitional).
PPR = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
       "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
       "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
       "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
       "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
       "rPr", "sectPr", "pPrChange")
RPR = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
       "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
       "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
       "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
TCPR = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
        "textDirection", "tcFitText", "vAlign", "hideMark")
TBLPR = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
         "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
         "tblLayout", "tblCellMar", "tblLook")
TRPR = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit",
        "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange")
SDTPR = ("rPr", "alias", "tag", "id", "lock", "placeholder", "temporary", "showingPlcHdr",
         "dataBinding", "label", "tabIndex", "docPartObj", "equation", "comboBox", "date",
         "docPartList", "dropDownList", "picture", "richText", "text", "citation", "group",
         "bibliography")
SETTINGS = ("writeProtection", "view", "zoom", "removePersonalInformation",
            "removeDateAndTime", "doNotDisplayPageBoundaries", "displayBackgroundShape",
            "printPostScriptOverText", "printFractionalCharacterWidth", "printFormsData",
            "embedTrueTypeFonts", "embedSystemFonts", "saveSubsetFonts", "saveFormsData",
            "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
            "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
            "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign",
            "attachedTemplate", "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod",
            "documentType", "mailMerge", "revisionView", "trackRevisions", "doNotTrackMoves",
            "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
            "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
            "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps",
            "showEnvelope", "summaryLength", "clickAndTypeStyle", "defaultTableStyle",
            "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
            "bookFoldPrintingSheets", "drawingGridHorizontalSpacing",
            "drawingGridVerticalSpacing", "displayHorizontalDrawingGridEvery",
            "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
            "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData",
            "noPunctuationKerning", "characterSpacingControl", "printTwoOnOne",
            "strictFirstAndLastChars", "noLineBreaksAfter", "noLineBreaksBefore",
            "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml",
            "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
            "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
            "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr",
            "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
            "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
            "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
            "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
            "decimalSymbol", "listSeparator")


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """A new element `w:tag` (or any prefixed tag) with attributes given without prefix for w:."""
    node = OxmlElement(tag)
    for key, value in (attrs or {}).items():
        node.set(qn(key if ":" in key else f"w:{key}"), str(value))
    for child in children:
        node.append(child)
    return node


def child(parent: etree._Element, tag: str, order: tuple[str, ...],
          attrs: dict[str, str] | None = None, replace: bool = True) -> etree._Element:
    """The child `w:tag` of `parent`, created at its schema position; attributes set as given."""
    name = qn(f"w:{tag}")
    existing = parent.find(name)
    if existing is not None and replace:
        node = existing
    else:
        node = el(f"w:{tag}")
        later = set(order[order.index(tag) + 1:])
        for k, sibling in enumerate(parent):
            local = etree.QName(sibling).localname
            if local in later:
                parent.insert(k, node)
                break
        else:
            parent.append(node)
    for key, value in (attrs or {}).items():
        node.set(qn(key if ":" in key else f"w:{key}"), str(value))
    return node


__all__ = ["PPR", "RPR", "SDTPR", "SETTINGS", "TBLPR", "TCPR", "TRPR", "W14", "child", "el", "qn"]
