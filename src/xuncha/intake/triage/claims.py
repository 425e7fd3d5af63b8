"""Is the petition a claim about a cadre's conduct? Keyword rules for "out of scope" fire on topics (低保,
补偿款, 医保, 工资), which reports of misconduct share with grievances: "村支书把亲属报成低保户" is about a
secretary's conduct, "我申请低保没批" is the writer's own claim (docs/triage.md, hard cases).

``misconduct(text)`` finds, in one sentence, a cadre's post and a word of misconduct; when it does, an
out-of-scope rule does not fire unless the office marked it to fire anyway (``TriageRule.on_misconduct``).
"领导" is not a post here (grievances open with "领导您好"), nor are private managers (物业经理, 老板,
店长): their "贪污" is a word used loosely.
"""

from .base import Text, quoted
from .defaults import words

POSTS = words(
    "书记 支书 村主任 村委会主任 村长 村干部 村委 村会计 会计 出纳 社区主任 镇长 乡长 县长 区长 市长"
    " 局长 处长 科长 股长 所长 站长 院长 校长 主任医师 队长 中队长 大队长 董事长 总经理 党员 干部 官员 公务员"
    " 工作人员 民警 警官 法官 检察官 执法人员 城管 稽核 审批 组长 委员 党组 班子"
)
MISCONDUCT = words(
    "贪污 挪用 侵占 侵吞 截留 克扣 私分 瓜分 冒领 虚报 套取 骗取 收受 索要 索取 受贿 回扣 好处费 红包 礼金"
    " 吃拿卡要 优亲厚友 以权谋私 利用职权 中饱私囊 据为己有 装进自己 塞进自己 亲属 亲戚 关系户 关系保 人情保"
    " 吃喝 宴请 公款 公车 赌博 违纪 包庇 徇私 打招呼 插手 干预 充当 保护伞 压案 弄虚作假 造假 伪造"
)


def misconduct(text: Text) -> str | None:
    """The evidence (a post and a misconduct word in one sentence), or None."""
    for segment in text.segments:
        post = next((p for p in POSTS if p in segment), None)
        if post is None:
            continue
        word = next((w for w in MISCONDUCT if w in segment), None)
        if word is not None:
            return f"{quoted(segment)}同时提到“{post}”和“{word}”"
    return None
