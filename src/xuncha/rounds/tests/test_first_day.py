"""The rounds forms on a first day: the next round number is proposed, and adding an inspector who is
already on a stationed or fieldwork team is warned about (page and API), never refused."""

import json

from django.urls import reverse

from xuncha.conftest import _grant
from xuncha.core.choices import Role
from xuncha.rounds.choices import TeamRole
from xuncha.rounds.models import TeamMember


def test_the_round_form_proposes_the_committees_next_number(world, client_for):
    page = client_for("office").get(reverse("rounds:round-create")).content.decode()
    assert 'name="number" value="2"' in page  # the world's city has its round 1
    assert f'<option value="{world.city.pk}" selected>' in page
    county = client_for("county_office").get(reverse("rounds:round-create")).content.decode()
    assert 'name="number" value="1"' in county
    _grant(world.users["office"], Role.OFFICE, world.county_a)
    both = client_for("office").get(reverse("rounds:round-create")).content.decode()
    assert "各党委的下一序号：市委第2轮；江东市东安县委第1轮" in both


def test_adding_a_member_of_a_team_in_fieldwork_warns_and_adds(world, client_for):
    url = reverse("rounds:team-member-add", args=[world.team2.pk])
    form = client_for("office").get(url).content.decode()
    assert "刘振华、周敏已在其他巡察组的进驻或了解阶段，仍可选派" in form  # team 1's, before choosing
    data = {"inspector": world.inspector_t1_member.pk, "role": TeamRole.MEMBER}
    page = client_for("office").post(url, data, follow=True).content.decode()
    assert TeamMember.objects.filter(team=world.team2, inspector=world.inspector_t1_member).exists()
    assert "周敏已在市委第一轮巡察第一巡察组（巡察市财政局，了解阶段）" in page
    assert "alert-warning" in page


def test_the_api_answers_warnings_with_the_added_member(world, client_for):
    office = client_for("office")

    def add(inspector: int) -> dict[str, object]:
        body = json.dumps({"inspector": inspector, "role": TeamRole.MEMBER})
        response = office.post(
            f"/api/v1/teams/{world.team2.pk}/members", body, content_type="application/json"
        )
        assert response.status_code == 201
        return response.json()

    busy = add(world.inspector_t1_member.pk)
    assert busy["warnings"] == [
        "周敏已在市委第一轮巡察第一巡察组（巡察市财政局，了解阶段），请确认能兼顾两项工作。"
    ]
    assert busy["inspector_name"] == "周敏"
    free = add(world.inspector_conflicted.pk)  # 孙立: on no team (and no 回避 with 市交通运输局)
    assert free["warnings"] == []
