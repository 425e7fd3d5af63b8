"""Cleaning of free text typed by users or the public: one place decides what odd Unicode means.

Zero-width and other invisible format characters, Unicode tag characters, and control characters (except
line breaks and tabs in multi-line text), are removed; full-width forms and emoji are kept as typed (they are
what people write), with the zero-width joiners inside emoji sequences (👨‍👩‍👧) and the tags of subdivision
flags (🏴󠁧󠁢󠁳󠁣󠁴󠁿) that make them. ``normalised`` folds full-width forms (NFKC) for matching and search, never for
what is stored.
"""

import re
import unicodedata

from .errors import Refused

# Zero-width spaces and joiners, word joiner, BOM, bidi controls: invisible, and a way to hide text.
_INVISIBLE = re.compile("[\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_ZWJ = "\u200d"
# Between an emoji and the joiner may come its presentation selector or a skin tone.
_EMOJI_MODIFIERS = frozenset("\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff")
# Tag characters spell invisible ASCII (a known way to smuggle text past a reader); they mean something
# only after a black flag, as a subdivision flag ending with the cancel tag.
_TAGS = re.compile("(\U0001f3f4?)([\U000e0000-\U000e007f]+)")
_FLAG_TAGS = re.compile("[\U000e0020-\U000e007e]+\U000e007f")


def _emoji(ch: str) -> bool:
    """A pictographic symbol (emoji and the like: category So above the arrows)."""
    return ch >= "\u2190" and unicodedata.category(ch) == "So"


def _kept_joiner(match: re.Match[str]) -> str:
    text, at = match.string, match.start()
    if match.group() != _ZWJ or match.end() >= len(text) or not _emoji(text[match.end()]):
        return ""
    before = at - 1
    if before > 0 and text[before] in _EMOJI_MODIFIERS:
        before -= 1
    return _ZWJ if before >= 0 and _emoji(text[before]) else ""


def _flag_or_nothing(match: re.Match[str]) -> str:
    black_flag, tags = match.groups()
    return match.group() if black_flag and _FLAG_TAGS.fullmatch(tags) else black_flag


def _visible(text: str) -> str:
    return _TAGS.sub(_flag_or_nothing, _INVISIBLE.sub(_kept_joiner, text))


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
    text = _printable(_visible("" if value is None else str(value)), multiline=multiline)
    text = text.replace("\r\n", "\n").strip()
    if required and not text:
        raise Refused(f"请填写{label}。", field=field)
    if len(text) > limit:
        raise Refused(f"{label}过长：最多 {limit} 字，现有 {len(text)} 字。", field=field)
    return text


def normalised(text: str) -> str:
    """Full-width letters and digits folded to their usual forms, lower case, for matching only."""
    return unicodedata.normalize("NFKC", text).lower()


_NUMERAL_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_NUMERAL_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL = "零〇一二两三四五六七八九十百千万"


def chinese_numeral(text: str) -> int:
    """The value of a Chinese numeral (its characters only, ``CHINESE_NUMERAL``): 十一 → 11, 二十八 → 28,
    一百零五 → 105, 三万二千 → 32000."""
    total = section = digit = 0
    for ch in text:
        if ch in _NUMERAL_DIGITS:
            digit = _NUMERAL_DIGITS[ch]
        elif ch in _NUMERAL_UNITS:
            section += (digit or 1) * _NUMERAL_UNITS[ch]  # 十一: a bare 十 is one ten
            digit = 0
        else:  # 万
            total += (section + digit) * 10000
            section = digit = 0
    return total + section + digit
