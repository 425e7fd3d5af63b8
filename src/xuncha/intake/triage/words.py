"""Segmentation for triage: jieba with the names and posts of rosters and teams added as words.

A tokenizer of its own, apart from jieba's default one that search.py uses: words added here (names, "张局长")
would otherwise change how search segments text, and an index built before a word was added would stop
matching queries segmented after. Words are only ever added (a few per unit), under a lock; the
dictionary loads once per process, when a serving process starts (core.warmup).
"""

import threading
from collections.abc import Iterable

import jieba

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_added: set[str] = set()
WHOLE = 300  # texts up to this length are cut whole
WINDOW = 6  # characters kept on each side of a word of interest in a longer text

# Common surnames: a character before a title ("王局长") is read as a surname only if it is one. Characters
# that are mostly words of their own (和, 向, 于 …) are left out: "和局长" is "and the director".
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤温康"
    "施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂成"
    "苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简项芦麦褚娄窦戚岑景费卜冷晏席"
    "卫米柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
) | frozenset(
    ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "令狐", "慕容", "夏侯", "端木", "公孙")
)


def loaded() -> jieba.Tokenizer:
    """The tokenizer, its dictionary loaded (at worker start through core.warmup, else at first use)."""
    global _tokenizer
    if _tokenizer is None:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        _tokenizer = tokenizer
    return _tokenizer


def _windows(text: str, words: set[str]) -> list[tuple[int, int]]:
    """Stretches of ``text`` around each occurrence of one of ``words``, merged where they touch."""
    spans: list[tuple[int, int]] = []
    for word in words:
        at = text.find(word)
        while at != -1:
            spans.append((max(0, at - WINDOW), at + len(word) + WINDOW))
            at = text.find(word, at + len(word))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def tokens(text: str, words: Iterable[str]) -> list[str]:
    """``text`` cut into words, with ``words`` known as words (no guessing of unknown words: HMM off, so
    a name is a word only when the roster says so).

    Only what surrounds one of ``words`` matters to the callers, so a long text is cut only there (jieba
    is the costly part of triage): the stretches, each followed by a line break as a token that is neither
    a surname nor a title."""
    wanted = {w for w in words if w}
    with _lock:
        tokenizer = loaded()
        for word in wanted - _added:
            tokenizer.add_word(word)
            _added.add(word)
    if len(text) <= WHOLE:
        return tokenizer.lcut(text, HMM=False)
    found: list[str] = []
    for start, end in _windows(text, wanted):
        found += tokenizer.lcut(text[start:end], HMM=False)
        found.append("\n")
    return found
