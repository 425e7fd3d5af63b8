"""Triage suggestions at intake (replaced by the rules, roster and learned suggesters)."""

from .models import Petition, Suggestion


def suggest(petition: Petition) -> list[Suggestion]:
    return []
