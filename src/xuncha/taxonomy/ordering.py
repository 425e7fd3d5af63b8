"""One natural order for codes and article numbers: "1, 1.1, 1.2, … 1.10, 2" and "第一章 … 第十一章".

Every run of digits or of Chinese numerals in a text becomes a fixed-width decimal number, so that the
stored key (``Category.sort_key``, ``Regulation.sort_key``) sorts as the reader counts, in the database,
on SQLite and PostgreSQL alike. Fixed-width digit runs compare the same under any collation, even one
that ignores the dots between them.
"""

import re

from xuncha.core.text import CHINESE_NUMERAL, chinese_numeral

WIDTH = 6
_NUMBER = re.compile(rf"\d+|[{CHINESE_NUMERAL}]+")


def _number(match: re.Match[str]) -> str:
    text = match.group()
    value = int(text) if text.isdigit() else chinese_numeral(text)
    return str(value).zfill(WIDTH)


def natural_key(text: str) -> str:
    """``text`` with each number at a fixed width: "1.10" → "000001.000010", "第十一章" → "第000011章"."""
    return _NUMBER.sub(_number, text)
