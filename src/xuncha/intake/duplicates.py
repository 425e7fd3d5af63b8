"""Near-duplicate detection at intake (MinHash LSH; replaced by the full implementation)."""

from .models import DuplicateCandidate, Petition


def index(petition: Petition) -> list[DuplicateCandidate]:
    return []
