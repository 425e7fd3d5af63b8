"""Cleaning of free text typed by users or the public: one place decides what odd Unicode means.

Zero-width and other invisible format characters, and control characters (except line breaks and tabs in
multi-line text), are removed; full-width forms and emoji are kept as typed (they are what people write).
``normalised`` folds full-width forms (NFKC) for matching and search, never for what is stored.
"""

import re
import unicodedata

from .errors import Refused

# Zero-width spaces and joiners, word joiner, BOM, bidi controls: invisible, and a way to hide text.
_INVISIBLE = re.compile("[\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def _printable(text: str, *, multiline: bool) -> str:
    kept = "\n\t" if multiline else ""
    return "".join(
        ch for ch in text if ch in kept or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn")
    )


def clean_text(
    value: object, *, label: str, field: str, limit: int, required: bool = True, multiline: bool = False
) -> str:
    """The text without invisible characters, stripped; ``Refused`` (in Chinese) when it is missing or
    too long."""
    text = _printable(_INVISIBLE.sub("", "" if value is None else str(value)), multiline=multiline)
    text = text.replace("\r\n", "\n").strip()
    if required and not text:
        raise Refused(f"请填写{label}。", field=field)
    if len(text) > limit:
        raise Refused(f"{label}过长：最多 {limit} 字，现有 {len(text)} 字。", field=field)
    return text


def normalised(text: str) -> str:
    """Full-width letters and digits folded to their usual forms, lower case, for matching only."""
    return unicodedata.normalize("NFKC", text).lower()
