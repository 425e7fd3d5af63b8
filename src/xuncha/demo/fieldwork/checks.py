from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..build import World


def build(w: "World") -> None:
    """Filled in by the area's demo data."""
