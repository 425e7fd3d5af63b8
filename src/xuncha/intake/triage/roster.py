"""Roster persons named in a petition, and the scope their posts give it.

The roster is that of the inspected unit and of two levels of units below it (下一级党组织 and theirs). Its
names, their posts (split at "、"), the titles within the posts (局长, 科长 …) and "surname + title" of each
person ("张局长", "李副局长") become words of the triage tokenizer (words.py). In the token stream:

- a full name is that person;
- "surname + title", as one word or two ("王" "局长"), is the person whose name starts with the surname and
  whose post contains the title; when nobody fits ("王局长" where 王海燕 is 会计科科长) nobody is suggested,
  and the title is not read again on its own;
- a post alone is suggested only when exactly one person holds it (with a lower score) and the petition names
  or implies the holder's unit. A compound post stays whole ("党组书记、局长" is one post): a specific post or
  part of it ("会计科科长", "党组书记") implies the inspected unit for its own people, the petition being
  received for that unit's inspection; a bare title ("局长", "主任") matches only after the unit's name
  ("财政局局长", "国库支付中心主任"), and a person of a unit below is matched by post only where the text
  names that unit. "一把手" / "主要负责人" is the inspected unit's principal;
- where a surname and title fit several persons, those of a unit the text names are kept; if that still
  leaves more than one, nobody is suggested (a guess is not evidence);
- the subject fields count too: a name equal to a roster name, or a surname ("张某") and post.

Each person is suggested once, with the strongest evidence; the persons' post categories then give the
scope (领导班子成员, 下一级党组织主要负责人, 重要岗位).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from xuncha.orgs.choices import PostCategory
from xuncha.orgs.models import Person

from ..choices import Scope, ScopeReason, SuggestionField, SuggestionSource
from ..models import Petition, Suggestion
from .base import make, scope_value
from .words import SURNAMES

# Titles people use for someone in a post, longest first where one contains another.
TITLES = (
    "党组书记", "党委书记", "党总支书记", "党支部书记", "副书记", "书记",
    "副局长", "局长", "副主任", "主任", "副科长", "科长", "副处长", "处长", "副部长", "部长",
    "副院长", "院长", "副校长", "校长", "副所长", "所长", "站长", "队长", "副县长", "县长",
    "副镇长", "镇长", "乡长", "村长", "主席", "总经理", "副总经理", "经理", "董事长", "厂长",
    "秘书长", "行长", "社长", "会计", "出纳", "组长",
)  # fmt: skip
PRINCIPAL_WORDS = ("一把手", "主要负责人", "主要领导")
_POST_SPLIT = re.compile(r"[、，,；;/／\s]+|兼")
_UNNAMED = "某*＊×xX○〇"
_LEVELS = "省市县区乡镇"

# Scores: a full name or the subject field is certain; surname and title nearly; a post alone less so.
NAME, SURNAME_TITLE, POST_ONLY = 1.0, 0.9, 0.6

SCOPE_REASON = {
    PostCategory.PRINCIPAL: ScopeReason.LEADERSHIP,
    PostCategory.LEADERSHIP: ScopeReason.LEADERSHIP,
    PostCategory.NEXT_LEVEL_PRINCIPAL: ScopeReason.NEXT_LEVEL_PRINCIPAL,
    PostCategory.KEY_POST: ScopeReason.KEY_POST,
}
_SCOPE_WHY = {
    ScopeReason.LEADERSHIP: "系被巡察党组织领导班子成员",
    ScopeReason.NEXT_LEVEL_PRINCIPAL: "系下一级党组织主要负责人",
    ScopeReason.KEY_POST: "系重要岗位干部",
}


@dataclass(frozen=True)
class Entry:
    pk: int
    name: str
    post: str
    category: str
    unit_id: int
    unit_name: str
    parts: tuple[str, ...]
    parent_name: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}（{self.post}）"

    def titles(self) -> list[str]:
        return [t for t in TITLES if t in self.post]

    def holds(self, title: str) -> bool:
        return title in self.post

    def holds_exactly(self, title: str) -> bool:
        """A part of the post is the title, not a deputy's: "局长" in "党组书记、局长", not in "副局长"."""
        return any(p == title or (p.endswith(title) and not p.endswith("副" + title)) for p in self.parts)

    def unit_names(self) -> tuple[str, ...]:
        """How a text may name the person's unit: its name, without the parent's name ("国库支付中心" of
        "市财政局国库支付中心"), without a leading level ("财政局")."""
        names = {self.unit_name}
        for name in list(names):
            if (
                self.parent_name
                and name.startswith(self.parent_name)
                and len(name) > len(self.parent_name) + 1
            ):
                names.add(name[len(self.parent_name) :])
        for name in list(names):
            if name[:1] in _LEVELS and len(name) > 3:
                names.add(name[1:])
        return tuple(sorted((n for n in names if len(n) >= 2), key=lambda n: (-len(n), n)))


def roster(unit_id: int) -> list[Entry]:
    """The active persons of the unit and of the two levels below it, in one query."""
    below = Q(unit_id=unit_id) | Q(unit__parent_id=unit_id) | Q(unit__parent__parent_id=unit_id)
    rows = (
        Person.objects.filter(below, is_active=True)
        .order_by()
        .values_list("pk", "name", "post", "category", "unit_id", "unit__name", "unit__parent__name")
    )
    return [
        entry(pk, name, post, category, unit, unit_name, parent_name or "")
        for pk, name, post, category, unit, unit_name, parent_name in rows
    ]


def entry(
    pk: int, name: str, post: str, category: str, unit_id: int, unit_name: str, parent: str = ""
) -> Entry:
    return Entry(
        pk, name, post, category, unit_id, unit_name, tuple(p for p in _POST_SPLIT.split(post) if p), parent
    )


def surname_of(name: str) -> str:
    return name[:2] if name[:2] in SURNAMES and len(name) > 2 else name[:1]


def words(entries: Iterable[Entry]) -> set[str]:
    """What the tokenizer must know as words for this roster."""
    found: set[str] = set(TITLES) | set(PRINCIPAL_WORDS)
    for e in entries:
        found |= {e.name, *e.parts}
        found |= {surname_of(e.name) + title for title in (*e.titles(), *e.parts)}
    return found


@dataclass
class Evidence:
    entry: Entry
    reason: str
    score: float


class Finder:
    """Reads a petition against one roster and keeps the best evidence for each person.

    ``text`` is the petition's text as typed (for the units it names); ``unit_id`` the inspected unit
    (None when there is none, as in the evaluation: then every post-only match needs its unit named)."""

    def __init__(self, entries: list[Entry], unit_id: int | None, text: str = "") -> None:
        self.entries = entries
        self.unit_id = unit_id
        self.by_name: dict[str, list[Entry]] = {}
        self.by_part: dict[str, list[Entry]] = {}
        self.combos: dict[str, tuple[str, str]] = {}
        for e in entries:
            self.by_name.setdefault(e.name, []).append(e)
            for part in {e.post, *e.parts}:
                self.by_part.setdefault(part, []).append(e)
            for title in (*e.titles(), *e.parts):
                self.combos[surname_of(e.name) + title] = (surname_of(e.name), title)
        self.titles = set(TITLES) | set(self.by_part)
        self.named_units = {e.unit_id: name for e in entries for name in e.unit_names() if name in text}
        self.found: dict[int, Evidence] = {}

    def _add(self, entries: Iterable[Entry], reason: str, score: float) -> None:
        for e in entries:
            current = self.found.get(e.pk)
            if current is None or current.score < score:
                # Placeholders replaced, not str.format: the subject fields are typed by the public.
                self.found[e.pk] = Evidence(
                    e, reason.replace("{name}", e.name).replace("{post}", e.post), score
                )

    def _with_surname_and_title(self, surname: str, title: str) -> list[Entry]:
        fits = [
            e
            for e in self.entries
            if e.name.startswith(surname) and len(e.name) > len(surname) and e.holds(title)
        ]
        if len(fits) > 1:  # several fit: those of a unit the text names, else nobody
            fits = [e for e in fits if e.unit_id in self.named_units]
            return fits if len(fits) == 1 else []
        return fits

    def _unit_mention(self, entry: Entry) -> str:
        """The words that name or imply the holder's unit, for the reason ("" when neither)."""
        if entry.unit_id in self.named_units:
            return f"“{self.named_units[entry.unit_id]}”"
        return ""

    def _by_post(self, token: str, before: str) -> None:
        """A post (or a title) alone: its only holder, when the petition names or implies the unit."""
        bare = token in TITLES
        if bare:
            # A bare title counts only right after a unit's name, and only for who holds that very title.
            holders = [
                e
                for e in self.entries
                if e.holds_exactly(token) and any(before.endswith(n) for n in e.unit_names())
            ]
        else:
            holders = [
                e
                for e in self.by_part.get(token, [])
                if e.unit_id in self.named_units or e.unit_id == self.unit_id
            ]
        if len(holders) != 1:
            return
        [holder] = holders
        where = self._unit_mention(holder)
        if bare:
            unit = max((n for n in holder.unit_names() if before.endswith(n)), key=len)
            words = f"“{unit}{token}”"
        elif where:
            words = f"{where}和“{token}”"
        else:
            words = f"“{token}”（本巡察对象的职务）"
        self._add([holder], f"正文提到{words}，花名册中仅{{name}}任此职（{{post}}）", POST_ONLY)

    def read(self, tokens: list[str]) -> None:
        held = "，花名册中{name}任{post}"
        i = 0
        before = ""  # the text of the tokens just read, for a unit's name before a title
        while i < len(tokens):
            token = tokens[i]
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if token in self.by_name:
                self._add(self.by_name[token], f"正文提到“{token}”{held}", NAME)
            elif token in self.combos:
                self._add(
                    self._with_surname_and_title(*self.combos[token]),
                    f"正文提到“{token}”{held}",
                    SURNAME_TITLE,
                )
            elif token in SURNAMES and following in self.titles:
                # "王" "局长": whoever fits, perhaps nobody; the title is not read again on its own.
                mention = token + following
                self._add(
                    self._with_surname_and_title(token, following),
                    f"正文提到“{mention}”{held}",
                    SURNAME_TITLE,
                )
                before += token + following
                i += 2
                continue
            elif token in self.by_part or token in TITLES:
                self._by_post(token, before[-30:])
            elif token in PRINCIPAL_WORDS:
                principals = [
                    e
                    for e in self.entries
                    if e.category == PostCategory.PRINCIPAL and e.unit_id == self.unit_id
                ]
                if len(principals) == 1:
                    self._add(
                        principals, f"正文提到“{token}”，花名册中{{name}}为主要负责人（{{post}}）", POST_ONLY
                    )
            before = (before + token)[-60:]
            i += 1

    def read_subject(self, name: str, post: str) -> None:
        """The subject fields: a roster name, a surname with a title ("王局长"), or a surname ("张某", "张")
        with a post."""
        name, post = name.strip(), post.strip()
        typed = (
            f"被反映人填写为“{name}{f'（{post}）' if name and post else post}”，花名册中{{name}}任{{post}}"
        )
        if name in self.by_name:
            self._add(self.by_name[name], typed, NAME)
            return
        for cut in (1, 2):
            if name[:cut] in SURNAMES and name[cut:] in self.titles:
                self._add(self._with_surname_and_title(name[:cut], name[cut:]), typed, SURNAME_TITLE)
                return
        surname = name.rstrip(_UNNAMED)
        if not post or (name and surname not in SURNAMES):
            return
        titles = [t for t in (*self.by_part, *TITLES) if t in post]
        for title in sorted(titles, key=len, reverse=True):
            holders = self.by_part.get(title) or self._with_surname_and_title("", title)
            if surname:
                holders = [e for e in holders if e.name.startswith(surname) and len(e.name) > len(surname)]
            if len(holders) == 1:
                self._add(holders, typed, NAME if surname else SURNAME_TITLE)
                return

    def _where(self, entry: Entry) -> str:
        """The unit, for a person of a unit below the inspected one."""
        return "" if entry.unit_id == self.unit_id else entry.unit_name

    def suggestions(self, petition: Petition) -> list[Suggestion]:
        ranked = sorted(self.found.values(), key=lambda ev: -ev.score)
        made = [
            make(
                petition,
                SuggestionField.PERSON,
                str(ev.entry.pk),
                source=SuggestionSource.ROSTER,
                reason=ev.reason,
                label=ev.entry.label,
                score=ev.score,
            )
            for ev in ranked
        ]
        by_reason: dict[ScopeReason, list[Evidence]] = {}
        for ev in ranked:
            reason = SCOPE_REASON.get(PostCategory(ev.entry.category))
            if reason is not None:
                by_reason.setdefault(reason, []).append(ev)
        for reason, evidence in by_reason.items():
            who = "、".join(f"{ev.entry.name}（{self._where(ev.entry)}{ev.entry.post}）" for ev in evidence)
            made.append(
                make(
                    petition,
                    SuggestionField.SCOPE,
                    scope_value(Scope.IN, reason),
                    source=SuggestionSource.ROSTER,
                    reason=f"被反映人{who}{_SCOPE_WHY[reason]}",
                    score=evidence[0].score,
                )
            )
        return made


def propose(
    petition: Petition, entries: list[Entry], tokens: list[str], unit_id: int, text: str = ""
) -> list[Suggestion]:
    if not entries:
        return []
    finder = Finder(entries, unit_id, text)
    finder.read_subject(petition.subject_name, petition.subject_post)
    finder.read(tokens)
    return finder.suggestions(petition)
