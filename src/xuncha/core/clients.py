"""Who the client is behind the reverse proxy: used by the login lockout and the public pages' throttle."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or when that is a trusted proxy (``XUNCHA_FORWARDED_ALLOW_IPS``,
    addresses or networks) the right-most X-Forwarded-For hop that is not one (the hops left of it are
    whatever the client chose to send). ``*`` trusts any peer, but only for the hop it appended."""
    allowed = [entry.strip() for entry in settings.XUNCHA_FORWARDED_ALLOW_IPS if entry.strip()]
    proxies = [ipaddress.ip_network(entry, strict=False) for entry in allowed if entry != "*"]

    def is_proxy(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in proxies)

    address = str(request.META.get("REMOTE_ADDR", ""))
    if "*" not in allowed and not is_proxy(address):
        return address
    hops = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    while hops:
        hop = hops.pop().strip()
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # nothing a proxy of ours appended: keep the last address it vouched for
        address = hop
        if not is_proxy(hop):
            break
    return address
