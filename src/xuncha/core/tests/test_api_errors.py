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


@pytest.mark.parametrize("query", ["offset=99999999999999999999", "limit=100000", "limit=0"])
def test_pagination_out_of_bounds_is_422(world, client_for, query):
    response = client_for("office").get(f"/api/v1/units/?{query}")
    assert response.status_code == 422


def test_an_id_filter_beyond_the_database_integers_is_not_a_server_error(world, client_for):
    # SQLite cannot even bind such a number (422); PostgreSQL compares it and finds nothing (200).
    response = client_for("office").get("/api/v1/units/?committee=99999999999999999999")
    assert response.status_code in {200, 422}
    assert response.status_code == 422 or response.json()["count"] == 0


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "-1", "abc"])
def test_list_pages_ignore_ids_that_are_not_ids(world, client_for, value):
    response = client_for("office").get("/orgs/units/", {"committee": value})
    assert response.status_code == 200
