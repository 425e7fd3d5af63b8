"""Fieldwork in the demo: what the first team of this year's round has planned and done in its unit, one
module per area, each built through the fieldwork actions as the people would."""

from typing import TYPE_CHECKING

from . import activities, checks, documents, interviews, surveys

if TYPE_CHECKING:
    from ..build import World


def build_fieldwork(w: "World") -> None:
    for area in (interviews, documents, surveys, checks, activities):
        area.build(w)
