"""Real-name reports of important problems are flagged for prompt follow-up (及时约谈 the reporter).

Only a named report can be followed up with its reporter; it is important when a rule for 重要问题 fired,
when a rule suggests, or the form prefills, 政治纪律 or 廉洁纪律, when it names a member of the leadership,
or when it speaks of a sizeable sum (万元 and more). One suggestion, giving all the evidence.
"""

import re

from xuncha.orgs.choices import PostCategory
from xuncha.taxonomy.choices import SchemeKind
from xuncha.taxonomy.defaults import INTEGRITY, POLITICAL
from xuncha.taxonomy.models import Category

from ..choices import SuggestionField, SuggestionSource
from ..models import Petition, Suggestion
from . import ranking
from .base import IMPORTANT, Text, make, quoted
from .roster import Entry

SERIOUS_DISCIPLINES = (POLITICAL, INTEGRITY)
LEADERS = (PostCategory.PRINCIPAL, PostCategory.LEADERSHIP)
# 5万元, 3.5 万, 十几万元, 二十多万元, 120000元; small sums are left out.
AMOUNT = re.compile(
    r"\d+(?:\.\d+)?\s*(?:万|亿)元?|[一二两三四五六七八九十百千几]{1,6}[多余]?(?:万|亿)[多余]?元?|\d{5,}(?:\.\d+)?\s*元"
)


def propose(
    petition: Petition,
    text: Text,
    so_far: list[Suggestion],
    flagged: list[Suggestion],
    categories: dict[int, Category],
    roster: dict[int, Entry],
) -> list[Suggestion]:
    if petition.anonymous:
        return []
    evidence: list[tuple[str, str, int | None]] = [(s.reason, s.source, s.rule_id) for s in flagged]
    prefilled = ranking.best(so_far, SuggestionField.DISCIPLINE)
    for s in so_far:
        # A model's guess counts when it is what the form prefills, not its second choice.
        if s.field == SuggestionField.DISCIPLINE and (s.source != SuggestionSource.LEARNED or s is prefilled):
            category = categories.get(int(s.value))
            if (
                category
                and category.scheme.kind == SchemeKind.DISCIPLINE
                and category.code in SERIOUS_DISCIPLINES
            ):
                evidence.append((f"可能涉及{category.name}", s.source, s.rule_id))
        elif s.field == SuggestionField.PERSON:
            entry = roster.get(int(s.value))
            if entry is not None and entry.category in LEADERS:
                evidence.append((f"反映领导班子成员{entry.name}", s.source, None))
    amount = AMOUNT.search(text.raw)
    if amount is not None:
        evidence.append((f"涉及金额{quoted(amount.group(0))}", SuggestionSource.RULE, None))
    whys = list(dict.fromkeys(why for why, _, _ in evidence))
    if not whys:
        return []
    _, source, rule_id = evidence[0]
    return [
        make(
            petition,
            SuggestionField.IMPORTANT,
            IMPORTANT,
            source=source,
            reason=f"实名反映，{'；'.join(whys[:3])}，建议及时约谈反映人",
            rule_id=rule_id,
        )
    ]
