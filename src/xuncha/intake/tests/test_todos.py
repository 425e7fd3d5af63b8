"""Intake's to-dos on the 待办 list: new petitions for the team to triage, reveals for the custodian."""

from xuncha.core.todos import todos_for

from .conftest import letter


def test_new_petitions_wait_for_the_team_to_triage(world, client_for):
    petition = letter(world, "反映问题")
    found = [t for t in todos_for(world.users["t1_member"]) if t.group == "待分拣的信访件"]
    assert [(t.title, t.subject) for t in found] == [(f"信访件{petition.number}", "第一巡察组巡察市财政局")]
    assert f"信访件{petition.number}" in client_for("t1_leader").get("/todo/").content.decode()
    for persona in ("t2_member", "liaison1", "leader"):
        assert f"信访件{petition.number}" not in client_for(persona).get("/todo/").content.decode()
