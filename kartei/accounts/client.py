"""Who is on the other end of a request, for the login lock-out."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The visitor's address. Behind `TRUSTED_PROXIES` proxies (a TLS proxy in front of `kartei serve`), the
    entry of X-Forwarded-For that the outermost of them added; otherwise the connection's address. A header the
    visitor wrote is never read: with no trusted proxy it is ignored, and each trusted proxy appends to it."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < proxies:
        return remote
    candidate = entries[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
