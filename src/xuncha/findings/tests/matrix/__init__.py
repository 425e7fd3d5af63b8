"""Authorisation matrix rows of findings (joined in src/xuncha/tests/matrix.py).

The world holds the city's default regulations and one of the county's; findings of team1's inspection (a
draft and a discussed one, both drafted by ``t1_member``) and a draft of team2's. Findings are read by the
office and leading group of the committee and by the inspection's team; drafting and editing are the team's
(the office and leading group see but may not: 403); the meeting, sign-off and return are a team leader's.
The unit's liaison, other teams, receivers and everyone else get 404. Regulations are the office's pages.
"""

from types import SimpleNamespace

from django.utils import timezone

from xuncha.taxonomy import defaults as taxonomy
from xuncha.taxonomy.choices import SchemeKind
from xuncha.tests.matrix import (
    ALL,
    CITY,
    NO_OTP,
    OFFICES,
    STAFF,
    Row,
    but,
    confirm,
    empty_body,
    form,
    refused,
    rule,
)

from ... import actions

READERS1 = ("office", "leader", "t1_leader", "t1_member")  # who sees team1's findings
READERS2 = ("office", "leader", "t2_member")
TEAM1 = ("t1_leader", "t1_member")
SEE_NOT_WRITE = ("office", "leader")
NOT_LEADER1 = ("office", "leader", "t1_member")


def add_world(w: SimpleNamespace) -> None:
    """Objects the findings routes need, made through the actions, added to the matrix world."""
    taxonomy.install()
    office, member = w.users["office"], w.users["t1_member"]
    actions.install_default_regulations(w.city, by=office)
    w.regulation = actions.create_regulation(committee=w.city, name="《中国共产党问责条例》", by=office)
    w.county_regulation = actions.create_regulation(
        committee=w.county_a, name="县委巡察工作规定", by=w.users["county_office"]
    )
    focus = taxonomy.category(SchemeKind.FOCUS, "2.4")

    def complete(title: str) -> actions.FindingInput:
        return actions.FindingInput(
            title=title,
            description="在滨江酒店公款宴请，以会议费名义报销。",
            focus=focus,
            basis_note="违反中央八项规定精神。",
            unit_responsible=True,
            nature=taxonomy.category(SchemeKind.NATURE, "3"),
            root_cause="responsibility",
        )

    w.finding_draft = actions.draft_finding(w.inspection1, data=complete("违规公款宴请"), by=member)
    w.finding_discussed = actions.draft_finding(w.inspection1, data=complete("会议费列支宴请"), by=member)
    actions.discuss_finding(
        w.finding_discussed,
        meeting_on=timezone.localdate(),
        opinion="同意",
        by=w.users["t1_leader"],
    )
    w.finding_t2 = actions.draft_finding(
        w.inspection2, data=complete("工程招标打招呼"), by=w.users["t2_member"]
    )


def _regulation_rows() -> list[Row]:
    city = "/findings/regulations/{w.regulation.pk}"
    county = "/findings/regulations/{w.county_regulation.pk}"
    # Team members and the leading group see the city's regulations (they cite them) but may not edit them.
    readers = ("leader", "t1_leader", "t1_member", "t2_member")
    return [
        rule("/findings/regulations/", ok=OFFICES, other=403),
        *form("/findings/regulations/new/", ok=OFFICES, other=403),
        *form(f"{city}/edit/", ok=("office",), forbidden=readers),
        *confirm(f"{city}/deactivate/", ok=("office",), forbidden=readers),
        *confirm(f"{city}/activate/", ok=("office",), forbidden=readers),  # already active: refused, back
        *form(f"{county}/edit/", ok=("county_office",)),
        *confirm(f"{county}/deactivate/", ok=("county_office",)),
        *confirm(
            "/findings/regulations/defaults/{w.city.pk}/", ok=("office",), forbidden=but(CITY, "office")
        ),
        rule("/api/v1/regulations/", ok=STAFF),
    ]


def _page_rows() -> list[Row]:
    inspection1 = "/findings/inspections/{w.inspection1.pk}"
    draft = "/findings/{w.finding_draft.pk}"
    discussed = "/findings/{w.finding_discussed.pk}"
    return [
        rule(f"{inspection1}/", ok=READERS1),
        rule(f"{inspection1}/export/", ok=READERS1),
        *form(f"{inspection1}/new/", ok=TEAM1, forbidden=SEE_NOT_WRITE),
        rule("/findings/inspections/{w.inspection2.pk}/", ok=READERS2),
        rule(f"{draft}/", ok=READERS1),
        rule("/findings/{w.finding_t2.pk}/", ok=READERS2),
        *form(f"{draft}/edit/", ok=TEAM1, forbidden=SEE_NOT_WRITE),
        *form(f"{draft}/discuss/", ok=("t1_leader",), forbidden=NOT_LEADER1),
        *form(f"{discussed}/return/", ok=("t1_leader",), forbidden=NOT_LEADER1),
        # Drafted by the member: the leader signs it off (POST) and is sent back to the finding.
        *confirm(f"{discussed}/sign-off/", ok=("t1_leader",), forbidden=NOT_LEADER1),
        rule("/findings/common/", ok=(*OFFICES, "leader"), other=403),
        rule(
            "/findings/common/?round={w.round.pk}",
            ok=("office", "leader"),
            forbidden=but(STAFF, "office", "leader", "county_office"),
        ),
    ]


def _api_rows() -> list[Row]:
    draft = "/api/v1/findings/{w.finding_draft.pk}"
    create = "/api/v1/inspections/{w.inspection1.pk}/findings"
    posts_only = but(ALL, NO_OTP)
    rows = [
        rule("/api/v1/findings/", ok=STAFF),
        rule(draft, ok=READERS1),
        rule("/api/v1/findings/{w.finding_t2.pk}", ok=READERS2),
        rule(draft, "PATCH", ok=TEAM1, forbidden=SEE_NOT_WRITE, note="no change"),
        rule(
            "/api/v1/findings/common?round={w.round.pk}",
            ok=("office", "leader"),
            forbidden=but(STAFF, "office", "leader", "county_office"),
        ),
        rule(create, ok=posts_only, ok_status=405),
        empty_body(create),
        refused(
            create, {"title": "", "description": "事实"}, ok=TEAM1, forbidden=SEE_NOT_WRITE, note="no title"
        ),
        rule(f"{draft}/sign-off", ok=posts_only, ok_status=405),
        refused(f"{draft}/sign-off", {}, ok=("t1_leader",), forbidden=NOT_LEADER1, note="not discussed"),
    ]
    for verb, body in (
        ("discuss", {"meeting_on": "2099-01-01", "opinion": "同意"}),
        ("return", {"reason": "补充"}),
    ):
        rows += [
            rule(f"{draft}/{verb}", ok=posts_only, ok_status=405),
            empty_body(f"{draft}/{verb}"),
            refused(f"{draft}/{verb}", body, ok=("t1_leader",), forbidden=NOT_LEADER1, note="a draft"),
        ]
    return rows


ROWS: list[Row] = [*_regulation_rows(), *_page_rows(), *_api_rows()]
