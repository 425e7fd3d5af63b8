"""One natural order for codes and article numbers: "1, 1.1, 1.2, … 1.10, 2" and "第一章 … 第十一章".

Every run of digits or of Chinese numerals in a text becomes a fixed-width decimal number, so that the
stored key (``Category.sort_key``, ``Regulation.sort_key``) sorts as the reader counts, in the database,
on SQLite and PostgreSQL alike. Fixed-width digit runs compare the same under any collation, even one
that ignores the dots between them.
"""

import re

WIDTH = 6
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"\d+|[零〇一二两三四五六七八九十百千万]+")


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral: 十一 → 11, 二十八 → 28, 一百零五 → 105."""
    total = section = digit = 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (digit or 1) * _UNITS[ch]  # 十一: a bare 十 is one ten
            digit = 0
        else:  # 万
            total += (section + digit) * 10000
            section = digit = 0
    return total + section + digit


def _number(match: re.Match[str]) -> str:
    text = match.group()
    value = int(text) if text.isdigit() else chinese_number(text)
    return str(value).zfill(WIDTH)


def natural_key(text: str) -> str:
    """``text`` with each number at a fixed width: "1.10" → "000001.000010", "第十一章" → "第000011章"."""
    return _NUMBER.sub(_number, text)
