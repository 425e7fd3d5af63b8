"""The published OpenAPI document describes the schemas the routes really use.

Ninja names a component after the class alone and lets the last class of a name win, so two apps' classes
of one name would document one route with the other's schema. Every class a route uses (its body, its
answers, the enums of its parameters) must own its component name, and every component must be that
class's schema; choice fields are published as enums."""

import enum
import typing
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pydantic
import pytest
from ninja.params.models import ParamModel
from pydantic import WithJsonSchema

from xuncha.api import api

pytestmark = pytest.mark.django_db


def _types(annotation: Any) -> Iterator[Any]:
    """The classes an annotation names, except those published in place (``inline_enum``)."""
    if typing.get_origin(annotation) is typing.Annotated:
        if any(isinstance(extra, WithJsonSchema) for extra in annotation.__metadata__):
            return
        yield from _types(typing.get_args(annotation)[0])
        return
    if isinstance(annotation, type):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _types(arg)


def _classes_used_by_routes() -> dict[str, set[type]]:
    by_name: dict[str, set[type]] = defaultdict(set)
    seen: set[type] = set()
    pending = [
        model
        for router in api._get_bound_routers()
        for view in router.path_operations.values()
        for operation in view.operations
        for model in [*operation.models, *operation.response_models.values()]
    ]
    while pending:
        for cls in _types(pending.pop()):
            if cls in seen:
                continue
            seen.add(cls)
            if issubclass(cls, enum.Enum):
                by_name[cls.__name__].add(cls)
            elif issubclass(cls, pydantic.BaseModel):
                if not issubclass(cls, ParamModel):  # ninja's wrappers of a route's parameters
                    by_name[cls.__name__].add(cls)
                pending.extend(
                    field.annotation
                    for field in cls.model_fields.values()
                    # pydantic keeps a field's own Annotated extras apart from its type
                    if not any(isinstance(extra, WithJsonSchema) for extra in field.metadata)
                )
    return by_name


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@pytest.fixture
def document(client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_component_belongs_to_one_class_and_is_its_schema(document):
    components = document["components"]["schemas"]
    classes = _classes_used_by_routes()
    shared = {name: sorted(c.__module__ for c in found) for name, found in classes.items() if len(found) > 1}
    assert not {name: modules for name, modules in shared.items() if name in components}
    for name, schema in components.items():
        if name not in classes:
            continue  # the error bodies added to every operation (core.api) and ninja's own
        (cls,) = classes[name]
        if issubclass(cls, enum.Enum):
            assert schema["enum"] == [member.value for member in cls], name
        else:
            assert issubclass(cls, pydantic.BaseModel)
            fields = cls.model_fields
            published = set(schema.get("properties", {}))
            assert published in ({*fields}, {f.alias or n for n, f in fields.items()}), name


def test_every_ref_resolves(document):
    components = document["components"]["schemas"]
    prefix = "#/components/schemas/"
    refs = set(_refs(document))
    assert refs
    assert all(ref.startswith(prefix) and ref.removeprefix(prefix) in components for ref in refs)


def test_the_two_transfers_are_documented_with_their_own_bodies(document):
    def body(path: str) -> str:
        operation = document["paths"][path]["post"]
        return operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]

    assert body("/api/v1/petitions/{petition_id}/transfer").endswith("/PetitionTransferIn")
    assert body("/api/v1/clues/{clue_id}/transfer").endswith("/TransferIn")


def test_choice_fields_are_enums(document):
    components = document["components"]["schemas"]
    petition = components["PetitionOut"]["properties"]
    assert components[petition["status"]["$ref"].rsplit("/", 1)[1]]["enum"] == [
        "new",
        "accepted",
        "transferred",
        "filed",
        "concluded",
    ]
    # Fieldwork's and rectification's ItemStatus share a class name: the fieldwork one is written in place.
    assert components["RequestItemOut"]["properties"]["status"]["enum"] == [
        "pending",
        "provided",
        "accepted",
        "returned",
        "missing",
    ]
    assert components["ItemStatus"]["enum"] == ["open", "submitted", "returned", "closed"]


def test_every_operation_documents_its_error_answers(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            documented = set(operation["responses"])
            if operation.get("security"):
                assert {"401", "403"} <= documented, (method, path)
            if "{" in path:
                assert "404" in documented, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in documented, (method, path)
    public = document["paths"]["/api/v1/public/petitions"]["post"]["responses"]
    assert public["429"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    invalid = document["components"]["schemas"]["InvalidOut"]
    assert invalid["properties"]["detail"]["type"] == "array"
