from xuncha.rounds.models import Inspection


def test_each_persona_sees_only_its_scope(world):
    u = world.users
    assert set(Inspection.objects.visible_to(u["office"])) == {world.inspection1, world.inspection2}
    assert set(Inspection.objects.visible_to(u["t1_member"])) == {world.inspection1}
    assert set(Inspection.objects.visible_to(u["t2_member"])) == {world.inspection2}
    assert set(Inspection.objects.visible_to(u["liaison1"])) == {world.inspection1}
    for persona in ("sysadmin", "auditor", "custodian", "jiwei", "county_office", "outsider"):
        assert not Inspection.objects.visible_to(u[persona]).exists(), persona
