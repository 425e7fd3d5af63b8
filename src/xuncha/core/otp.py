"""Which accounts must use TOTP (django-otp).

Office, custodian and sysadmin always must (outside demo mode). Beyond that a committee can require it
per role (CommitteeSettings.totp_roles); the apps that know which committee a scope belongs to register
a policy here at start-up, since core does not import them.
"""

from collections.abc import Callable

from django.conf import settings

from .choices import ALWAYS_TOTP_ROLES
from .models import User

OtpPolicy = Callable[[User], bool]
_policies: list[OtpPolicy] = []


def register_policy(policy: OtpPolicy) -> None:
    if policy not in _policies:
        _policies.append(policy)


def otp_required_for(user: User) -> bool:
    if settings.XUNCHA_DEMO:
        return False
    if user.scopes.roles & ALWAYS_TOTP_ROLES:
        return True
    return any(policy(user) for policy in _policies)
