"""Authorisation matrix rows of interviews (joined in src/xuncha/tests/matrix.py).

The world holds, for team1's inspection1, an interview planned for tomorrow (``interview1``) and one held
yesterday with its record and a scan (``interview1_done``); and, for team2's inspection2, a planned interview
(``interview2``; team2 is given a second inspector for it). Planning, recording and attaching are for the
team (the office, the leading group and unit1's liaison see the interview but may not: 403); confirming and
reporting a conflict are for unit1's liaison (the team: 403). The record, its scans and the record form are
the team's and the office's; the leading group reads the plan and the outline but no record; the liaison gets
404 wherever a page would show what it may not read. Everyone else: 404, team2 and team1 both ways.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from xuncha.core.files import Upload
from xuncha.fieldwork.actions import interviews as actions
from xuncha.orgs.actions import create_inspector
from xuncha.rounds.actions import add_team_member
from xuncha.rounds.choices import TeamRole
from xuncha.tests.matrix import ALL, NO_OTP, STAFF, Pk, Row, but, confirm, empty_body, form, refused, rule

INTERNAL1 = ("office", "leader", "t1_leader", "t1_member")  # the plan and topics of inspection1
PLANNERS1 = ("t1_leader", "t1_member")
READERS1 = ("office", "t1_leader", "t1_member")  # records, scans, record forms
NOT_PLANNERS1 = ("office", "leader", "liaison1")
INTERNAL2 = ("office", "leader", "t2_member")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _slot(hours: int) -> dict[str, datetime.datetime]:
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=hours)
    return {"starts_at": start, "ends_at": start + datetime.timedelta(hours=1)}


def add_world(w: SimpleNamespace) -> None:
    """Objects this area's routes need, made through the actions, added to the matrix world."""
    member = w.users["t1_member"]
    inspectors1 = [w.inspector_t1_leader, w.inspector_t1_member]
    w.interview1 = actions.add_interview(
        w.inspection1,
        person=w.principal1,
        place="谈话室",
        inspectors=inspectors1,
        topics="提纲",
        by=member,
        **_slot(24),
    )
    w.interview1_done = actions.add_interview(
        w.inspection1, person=w.deputy1, place="谈话室", inspectors=inspectors1, by=member, **_slot(-24)
    )
    actions.record_interview(w.interview1_done, text="谈话记录", by=member)
    actions.add_scans(w.interview1_done, uploads=[Upload("签字页.pdf", PDF)], by=member)
    w.interview1_scan = w.interview1_done.scans.get()
    second = create_inspector(committee=w.city, name="郑强", by=None)
    add_team_member(team=w.team2, inspector=second, role=TeamRole.MEMBER, by=None)
    w.interview2 = actions.add_interview(
        w.inspection2,
        person=w.principal2,
        place="谈话室",
        inspectors=[w.inspector_t2_member, second],
        by=w.users["t2_member"],
        **_slot(48),
    )


def _inspection_rows(name: str, internal: tuple[str, ...], planners: tuple[str, ...]) -> list[Row]:
    base = f"/fieldwork/interviews/inspections/{{w.{name}.pk}}/"
    seen_not_planning = but(internal, *planners) + (("liaison1",) if name == "inspection1" else ())
    return [
        rule(base, ok=internal, forbidden=("liaison1",) if name == "inspection1" else ()),
        *confirm(f"{base}generate/", ok=planners, forbidden=seen_not_planning),
        *form(f"{base}new/", ok=planners, forbidden=seen_not_planning),
    ]


def _interview_rows(
    name: str, seen: tuple[str, ...], internal: tuple[str, ...], planners: tuple[str, ...]
) -> list[Row]:
    base = f"/fieldwork/interviews/{{w.{name}.pk}}/"
    api = f"/api/v1/interviews/{{w.{name}.pk}}"
    not_planning = but(seen, *planners)
    liaisons = but(seen, *internal)
    return [
        rule(base, ok=seen),
        *form(f"{base}edit/", ok=planners, forbidden=not_planning),
        *form(f"{base}cancel/", ok=planners, forbidden=not_planning),
        rule(f"{base}confirm/", ok=STAFF, ok_status=405),  # POST only
        rule(f"{base}confirm/", "POST", ok=liaisons, ok_status=302, forbidden=internal),
        *form(f"{base}conflict/", ok=liaisons, forbidden=internal),
        rule(f"{base}outline/", ok=internal),
        rule(api, ok=seen),
        rule(f"{api}/schedule", ok=but(ALL, NO_OTP), ok_status=405),
        # An empty schedule: the slot is refused (422) for the team.
        refused(f"{api}/schedule", {}, ok=planners, forbidden=not_planning, note=name),
        *[
            rule(f"{api}/{verb}", ok=but(ALL, NO_OTP), ok_status=405)
            for verb in ("cancel", "confirm", "conflict")
        ],
        empty_body(f"{api}/cancel"),
        refused(f"{api}/cancel", {"reason": " "}, ok=planners, forbidden=not_planning, note=name),
        rule(f"{api}/confirm", "POST", ok=liaisons, forbidden=internal),
        empty_body(f"{api}/conflict"),
        refused(f"{api}/conflict", {"note": ""}, ok=liaisons, forbidden=internal, note=name),
    ]


def _record_rows() -> list[Row]:
    base = "/fieldwork/interviews/{w.interview1_done.pk}/"
    api = "/api/v1/interviews/{w.interview1_done.pk}"
    not_planning = NOT_PLANNERS1
    return [
        *form(f"{base}record/", ok=PLANNERS1, forbidden=not_planning),
        *form(f"{base}scans/", ok=PLANNERS1, forbidden=not_planning),
        *form(f"{base}problems/", ok=PLANNERS1, forbidden=not_planning),
        # The liaison gets 404 (the record form is not among what it may see), the leading group 403.
        rule(f"{base}record-form/", ok=READERS1, forbidden=("leader",)),
        rule("/fieldwork/interviews/scans/{w.interview1_scan.pk}/", ok=READERS1),
        rule(f"{api}/record", ok=READERS1, forbidden=("leader", "liaison1")),
        empty_body(f"{api}/record"),
        refused(f"{api}/record", {"text": ""}, ok=PLANNERS1, forbidden=not_planning, note="interview1_done"),
        rule(f"{api}/problems", ok=but(ALL, NO_OTP), ok_status=405),
        empty_body(f"{api}/problems"),
        refused(
            f"{api}/problems",
            {"kind": "clue", "text": ""},
            ok=PLANNERS1,
            forbidden=not_planning,
            note="problem",
        ),
    ]


TEAM1_SEEN = (*INTERNAL1, "liaison1")

ROWS: list[Row] = [
    rule("/fieldwork/interviews/schedule/", ok=STAFF),
    *_inspection_rows("inspection1", INTERNAL1, PLANNERS1),
    *_inspection_rows("inspection2", INTERNAL2, ("t2_member",)),
    *_interview_rows("interview1", TEAM1_SEEN, INTERNAL1, PLANNERS1),
    *_interview_rows("interview2", INTERNAL2, INTERNAL2, ("t2_member",)),
    *_record_rows(),
    rule("/api/v1/interviews/", ok=STAFF),
    empty_body("/api/v1/interviews/"),
    refused(
        "/api/v1/interviews/",
        {"inspection": Pk("inspection1"), "name": ""},
        ok=PLANNERS1,
        forbidden=NOT_PLANNERS1,
        note="inspection1",
    ),
    refused(
        "/api/v1/interviews/",
        {"inspection": Pk("inspection2"), "name": ""},
        ok=("t2_member",),
        forbidden=("office", "leader"),
        note="inspection2",
    ),
    rule("/api/v1/interviews/generate", ok=but(ALL, NO_OTP), ok_status=405),
    empty_body("/api/v1/interviews/generate"),
    rule(
        "/api/v1/interviews/generate",
        "POST",
        ok=PLANNERS1,
        forbidden=NOT_PLANNERS1,
        data={"inspection": Pk("inspection1")},
        note="inspection1",
    ),
]
