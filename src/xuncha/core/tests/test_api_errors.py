"""The API's error shapes: 422 names the field as the request named it, 403 carries a Chinese reason."""

import json

import pytest

pytestmark = pytest.mark.django_db


def _post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_schema_errors_name_the_body_field(world, client_for):
    response = _post(
        client_for("office"), "/api/v1/units/", {"committee": world.city.pk, "unit_type": "organ"}
    )
    assert response.status_code == 422
    assert response.json() == {"detail": [{"field": "name", "message": "此项为必填项"}]}


def test_role_refusal_is_a_json_403_with_a_chinese_reason(world, client_for):
    body = {"committee": world.city.pk, "name": "市审计局", "unit_type": "organ"}
    response = _post(client_for("leader"), "/api/v1/units/", body)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "巡察办" in response.json()["detail"]
    assert "巡察办".encode() in response.content  # UTF-8, not \u escapes
