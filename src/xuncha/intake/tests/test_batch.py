"""Batch actions on the petition list: 办结 and 存查 of the selected petitions, all or nothing, on the
page and in the API."""

import json

from django.urls import reverse

from xuncha.core.audit import action_scope, record
from xuncha.core.models import AuditEvent
from xuncha.intake.choices import Decision, Status
from xuncha.intake.models import Petition

from .conftest import letter

CONCLUDE = reverse("intake:petition-batch-conclude")
FILE = reverse("intake:petition-batch-file")
API = "/api/v1/petitions/batch"


def _accept(*petitions: Petition) -> None:
    with action_scope("test.set"):
        Petition.objects.filter(pk__in=[p.pk for p in petitions]).update(status=Status.ACCEPTED)
        record("test.set", None, by=None)


def test_the_list_offers_the_batch_actions_to_the_team_and_the_office(world, client_for):
    petition = letter(world, "反映问题")
    page = client_for("t1_member").get(reverse("intake:petition-list")).content.decode()
    assert f'name="ids" value="{petition.pk}"' in page
    assert CONCLUDE in page and FILE in page and "data-print" in page


def test_the_confirmation_lists_the_selected_petitions_in_scope_only(world, client_for):
    mine = letter(world, "反映问题一")
    page = client_for("t1_leader").get(CONCLUDE, {"ids": [str(mine.pk), "not-an-id"]})
    assert page.status_code == 200
    assert f"信访件{mine.number}" in page.content.decode()
    # Another team's member sees none of them: nothing to do, and no number shown.
    other = client_for("t2_member").get(CONCLUDE, {"ids": [str(mine.pk)]}).content.decode()
    assert mine.number not in other and "未选择任何可办理的项" in other


def test_concluding_a_batch_concludes_every_petition(world, client_for):
    first, second = letter(world, "反映问题一"), letter(world, "反映问题二")
    _accept(first, second)
    ids = [str(first.pk), str(second.pk)]
    response = client_for("t1_leader").post(CONCLUDE, {"ids": ids, "conclusion": "经核实，已责令整改"})
    assert response.status_code == 302
    assert set(Petition.objects.values_list("status", flat=True)) == {Status.CONCLUDED}
    assert AuditEvent.objects.filter(action="petition.concluded").count() == 2


def test_one_refused_petition_changes_nothing_and_is_named(world, client_for):
    accepted, new = letter(world, "反映问题一"), letter(world, "反映问题二")
    _accept(accepted)
    response = client_for("t1_leader").post(
        CONCLUDE, {"ids": [str(accepted.pk), str(new.pk)], "conclusion": "已核实"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"信访件{new.number}：只有已受理的信访件可以办结" in page
    assert "所选各项均未作更改" in page
    assert Petition.objects.get(pk=accepted.pk).status == Status.ACCEPTED
    assert not AuditEvent.objects.filter(action="petition.concluded").exists()


def test_a_member_may_not_conclude_so_the_batch_is_refused(world, client_for):
    petition = letter(world, "反映问题")
    _accept(petition)
    response = client_for("t1_member").post(CONCLUDE, {"ids": [str(petition.pk)], "conclusion": "已核实"})
    assert response.status_code == 200 and "办结信访件" in response.content.decode()
    assert Petition.objects.get(pk=petition.pk).status == Status.ACCEPTED


def test_filing_a_batch_records_the_reason_on_each(world, client_for):
    first, second = letter(world, "个人诉求一"), letter(world, "个人诉求二")
    data = {
        "ids": [str(first.pk), str(second.pk)],
        "scope_reason": "personal_claim",
        "note": "个人诉求，已告知渠道",
    }
    assert client_for("t1_member").post(FILE, data).status_code == 302
    for petition in Petition.objects.all():
        assert petition.status == Status.FILED and petition.decision == Decision.FILE
        assert petition.scope_reason == "personal_claim"


def test_the_api_runs_the_same_batch(world, client_for):
    first, second = letter(world, "反映问题一"), letter(world, "反映问题二")
    _accept(first)
    client = client_for("t1_leader")
    body = {"ids": [str(first.pk), str(second.pk)], "action": "conclude", "conclusion": "已核实"}
    refused = client.post(API, json.dumps(body), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["message"].startswith(f"信访件{second.number}：")
    assert Petition.objects.get(pk=first.pk).status == Status.ACCEPTED

    _accept(second)
    done = client.post(API, json.dumps(body), content_type="application/json")
    assert done.status_code == 200 and done.json() == {"count": 2}
    # Out of scope is a 404, as a missing id.
    other = client_for("t2_member").post(API, json.dumps(body), content_type="application/json")
    assert other.status_code == 404
