"""The shipped triage corpus (intake/triage/corpus): its codes are the product's, the dev split is held out,
duplicate groups are real groups, and every text is traceable to a public source and names no real person."""

import json
import re
from collections import Counter, defaultdict

import pytest

from xuncha.intake.choices import Channel, Scope, ScopeReason
from xuncha.intake.triage import corpus
from xuncha.taxonomy.defaults import DISCIPLINES, SCHEMES

RECORDS = corpus.load()

# Real officials named in the source pages the texts were written from: the corpus uses fictional names only.
_REAL_NAMES = """
    王孙标 钟腊平 张传彪 赵德虎 夏联银 陈炎章 彭友军 吕天刚 付夏良 侯桃安 陈登高 漆长全 漆再国 胡小群
    王世海 邱家安 黄深焕 邓家应 罗维昌 刘乙佑 蔡回权 周斌帅 王宽强 陈伟杰 梁锡全 周本财 李瑞陶 戴敏智
    郭仲强 张连合 张文宾 陈新健 胡羽飞 胡日忠 郭足平 叶爱成 陈伯敏 陈伯南 陈金荣 陈长平 陈斋伟 刘宝青
    徐志旺 刘石旺 刘石敏 邹岳军 陈炳和 管松娇 蒋炳乾 龚元华 刘镇资 孙小丽 魏建宏 刘红心 吴海泉 王传师
    郑寿庆 付荣鹏 宋宇峰 王忠平 张孝峰 刘艳艳 张少翠 刘大彦 陈世军 徐启方 杨国平 栾庆伟 何炳荣 冯朝辉
    许传智 陈海明 蔡秋良 张子林 赵经川 常同帅 李绪正 王新伟 吕俊忠 戴旱萍 王孝国 孙丰云 陶伟军 王海龙
    季金荣 黄文荣 程晓峰 于美杰 李丙春 王三运 梁嘉庚 符史干 李德文 陈德文 赵国顺 刘国柱 唐生莲 冉隆映
    曾建良 罗大荣 马德军 肖仁乙 张永恒 周远国 包玉波 杜国宝 戚世国 牛建锋 康振宇 庞国荣 刘兆成 吴成华
    余向东 余定亮 徐行宇 王金才 王继顺 杨俊琦 黄忠林 张根龙 张雪林 陈小平 王西军 刘步海 刘明坤 范维春
    赵金贵 郭士权 吴新成 周钧平 刘良咏 陈为国 李炳军 马召均 唐渊 何军 霍超 向玉 朱丙 陈坪 太顺 周军
    李杰 柳中 陈权 徐楷 苏荣 梁达 何凡 张莎 闵立 殷勇 郑鹏 赵俊 周正 左重 吴军 张明 潘浩 张辉 张刚
    刘恒武 文东清 文爱春 文亚武 文云森 张安新 骆小弟 白卫平 阮建国 佘益功 陈金朝 吴福康 孙婉琴 娄海
    郑春伟 孙寸贤 徐善修 邵红振 李劲松 于法贞 王晓燕 刀震宇 王红军 黄燕玲 丁仁波 王学俭 郭登城 朱建军
    秦德良 查志兴 竹立家 蔡德顺 黄崇焕 高泉可 殷传帆 李莉 李军 张平 张多 张才 杨涛 林佳 蒋震 许杰
    石鹏 刘喜典 胡其宏 马蕤 龚爱爱 马俊 李国宁 张合军 何强军 龚晓雍 文政奎 辛荣均 高巍 和建 周连科
    陈建设 冯跃 白广华 肖振宇 郭德清 王世坤 刘政 李高立 陈景华 姜玺龙 肖建鹏 王枫 黄明 冯魁 范振茂
    郑德荣 田守芹 李勇普 张寿义 高秋立 张勇军 杨亚杰 王儒林 林德俊 纪海义 陈万寿 马超群 王春霞 王新玲
    赵颖晨 柏道理 喻红 任佳 姚勇 王忠友 鲁古古体 所儿军哈 胡黎明 符礼好 杨自琼 辛军锋
"""
REAL_NAMES = frozenset(_REAL_NAMES.split())


def test_the_corpus_loads_with_the_products_codes():
    assert len(RECORDS) >= 1100
    codes = {(scheme.kind, item.code) for scheme in SCHEMES for item in scheme.items}
    assert all(("discipline", r.discipline) in codes for r in RECORDS if r.discipline)
    assert all(r.focus.split(".")[0] in {item.code for item in SCHEMES[0].items} for r in RECORDS if r.focus)
    # Out-of-scope petitions are transferred, not classified.
    assert all(r.discipline is None and r.focus is None for r in RECORDS if r.scope == Scope.OUT)


def test_ids_and_texts_are_unique():
    assert len({r.id for r in RECORDS}) == len(RECORDS)
    texts = Counter("".join(r.text.split()) for r in RECORDS)
    assert [t for t, n in texts.items() if n > 1] == []


def test_a_mix_of_in_and_out_and_of_channels():
    scopes = Counter(r.scope for r in RECORDS)
    assert 0.35 < scopes[Scope.IN] / len(RECORDS) < 0.65
    assert len({r.channel for r in RECORDS}) >= 4
    assert len({r.reason for r in RECORDS}) == 8


def test_the_dev_split_is_held_out_and_stratified():
    dev = [r for r in RECORDS if r.split == corpus.DEV]
    assert 0.15 < len(dev) / len(RECORDS) < 0.25
    # A matter lies wholly in one split, so no dev text has a paraphrase in training.
    for group, members in corpus.dup_groups(RECORDS).items():
        assert len({r.split for r in members}) == 1, group
    train_texts = {r.text for r in RECORDS if r.split == corpus.TRAIN}
    assert not any(r.text in train_texts for r in dev)
    for scope in Scope.values:
        assert any(r.scope == scope for r in dev)
    assert {r.reason for r in dev} >= {"leadership", "next_level_principal", "discipline", "personal_claim"}


def test_a_source_page_lies_wholly_in_one_split():
    # Texts written from one page share its facts and wording: a page in both splits would leak into dev.
    splits = defaultdict(set)
    for record in RECORDS:
        splits[record.source].add(record.split)
    assert [page for page, both in splits.items() if len(both) > 1] == []


DEV_MIN = 5
# Words of grievances that also name what misconduct is about (a village secretary's relatives on 低保).
TOPIC_WORDS = re.compile("低保|补偿|医保")


def test_every_class_of_the_targets_is_in_the_dev_split():
    dev = [r for r in RECORDS if r.split == corpus.DEV]
    # Reason codes, discipline codes ("3") and focus items ("2.3") do not collide: one counter for all.
    classes = Counter(code for r in dev for code in (r.reason, r.discipline, r.focus) if code)
    wanted = [*ScopeReason.values, *(item.code for item in DISCIPLINES), *sorted(corpus.FOCUS_CODES)]
    assert {code: classes[code] for code in wanted if classes[code] < DEV_MIN} == {}
    # And the cases a keyword or a salutation gets wrong.
    assert sum(r.id.startswith("rx-") and r.scope == Scope.IN for r in dev) >= DEV_MIN
    assert sum(r.scope == Scope.OUT and bool(TOPIC_WORDS.search(r.text)) for r in dev) >= DEV_MIN
    assert sum(r.scope == Scope.IN and bool(TOPIC_WORDS.search(r.text)) for r in dev) >= DEV_MIN


def test_topic_words_and_source_files_do_not_give_the_scope_away():
    for word in ("低保", "补偿", "医保", "工资", "法院"):
        scopes = Counter(r.scope for r in RECORDS if word in r.text)
        assert scopes[Scope.IN] >= 5 and scopes[Scope.OUT] >= 5, word
    # The hotline file holds reports of misconduct too (hotline-style texts in scope), the others grievances.
    prefixes = ("jw-", "xc-", "rx-")
    by_file = {prefix: Counter(r.scope for r in RECORDS if r.id.startswith(prefix)) for prefix in prefixes}
    assert by_file["rx-"][Scope.IN] >= 40
    assert by_file["jw-"][Scope.OUT] >= 10 and by_file["xc-"][Scope.OUT] >= 10


SALUTATION = re.compile(
    r"^(尊敬的)?(县委|市委|区委)?(第[一二三四五六七八九十]+)?巡察组(的)?(同志们|同志|领导)?(您好)?[：:，,]"
)


def test_the_salutation_does_not_give_the_scope_away():
    written = [r for r in RECORDS if r.channel not in (Channel.PHONE, Channel.VISIT)]
    share = {}
    for scope in Scope.values:
        texts = [r.text for r in written if r.scope == scope]
        share[scope] = sum(bool(SALUTATION.match(text)) for text in texts) / len(texts)
    assert abs(share[Scope.IN] - share[Scope.OUT]) < 0.05, share


def test_persons_with_compound_posts_and_petitions_naming_only_a_post():
    # "党组书记、局长" is one person's post, not two persons; a roster must keep it whole.
    compound = [p for r in RECORDS for p in r.persons if "、" in p.post or "兼" in p.post]
    assert len(compound) >= 40
    assert all(p.unit for r in RECORDS for p in r.persons)
    # In scope without a name: the post and the unit identify the person.
    assert sum(r.scope == Scope.IN and not r.persons for r in RECORDS) >= 25


def test_duplicate_groups_have_at_least_two_members():
    groups = corpus.dup_groups(RECORDS)
    assert len(groups) >= 40
    assert all(len(members) >= 2 for members in groups.values())
    # Most are the same matter by phone (a clerk's summary) and in writing.
    across = [g for g, members in groups.items() if len({r.channel for r in members}) > 1]
    assert len(across) >= 250
    # A clerk's summary of a call beside the same matter in writing, in the dev split too.
    phoned = [g for g, rs in groups.items() if {r.channel == Channel.PHONE for r in rs} == {True, False}]
    assert len(phoned) >= 250
    assert len([g for g in phoned if groups[g][0].split == corpus.DEV]) >= 40
    # The same matter carries the same labels, whoever wrote it down.
    for group, members in groups.items():
        assert len({(r.scope_value, r.discipline, r.focus) for r in members}) == 1, group


def test_every_record_has_a_public_source():
    assert all(r.source.startswith(("http://", "https://")) for r in RECORDS)


def test_persons_are_fictional_and_named_in_the_text():
    for record in RECORDS:
        for person in record.persons:
            assert person.name in record.text, record.id
            assert person.name not in REAL_NAMES, record.id
            # Not one character away from a real name either (陈炎章 → 陈远章 would still point at the man).
            near = [n for n in REAL_NAMES if len(n) == len(person.name) > 2 and _one_apart(n, person.name)]
            assert near == [], record.id
        assert not [name for name in REAL_NAMES if len(name) > 2 and name in record.text], record.id


def _one_apart(a: str, b: str) -> bool:
    return sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def test_a_line_with_a_code_the_product_lacks_is_refused(tmp_path):
    line = json.loads((corpus.DIRECTORY / "hotline_boards.jsonl").read_text(encoding="utf-8").splitlines()[0])
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({**line, "scope": "in"}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="scope and reason disagree"):
        corpus.load(paths=[path])
    path.write_text(json.dumps({**line, "focus": "9.9"}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="focus"):
        corpus.load(paths=[path])
