"""Information requests (了解情况函 / 提请协助函) of an inspection to the committee's departments, each
department's answer slot (``Recipient``), its answers with sealed files, and the leads the team draws from
them.

Who sees what: the office and leading group of the inspection's committee and the inspection's team see the
request, every slot, every answer and the leads. A department's receiver sees the requests addressed to its
department and its own slot and answers only — never another department's answer, never a lead. The unit's
liaison sees none of it (it is about the unit). Answer text and leads may name people: encrypted.
"""

from .requests import InformationAnswer, InformationAnswerFile, InformationRequest, Lead, Recipient

__all__ = ["InformationAnswer", "InformationAnswerFile", "InformationRequest", "Lead", "Recipient"]
