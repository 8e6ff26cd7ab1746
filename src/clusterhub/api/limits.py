"""API limits (docs/operations.md): requests per token and per address, on django-ninja's
throttles, counted in the site's cache (shared by the workers; Redis for several
machines). A request past a limit gets 429 with Retry-After. The rates are settings,
read at each request (an empty one turns its limit off)."""

import hashlib
import threading

from django.conf import settings
from ninja.throttling import SimpleRateThrottle


class _Limit(SimpleRateThrottle):
    """A throttle whose rate is a setting, and whose per-request state is the thread's:
    ninja keeps one throttle for every request, and gunicorn's threads share it."""

    setting = ""

    def __init__(self):  # the rate is read at each request, not once
        self._mine = threading.local()

    def __getattr__(self, name):  # history, now, key, num_requests, duration
        try:
            return getattr(self.__dict__["_mine"], name)
        except AttributeError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        if name == "_mine":
            super().__setattr__(name, value)
        else:
            setattr(self._mine, name, value)

    def allow_request(self, request) -> bool:
        rate = getattr(settings, self.setting)
        if not rate:
            return True
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


def _bearer(request) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else ""


class PerToken(_Limit):
    """Requests made with one API key (CLUSTERHUB_API_RATE_PER_TOKEN)."""

    scope, setting = "token", "CLUSTERHUB_API_RATE_PER_TOKEN"

    def get_cache_key(self, request):
        if not (token := _bearer(request)):
            return None
        ident = hashlib.sha256(token.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PerAddress(_Limit):
    """Requests without a key, from one address (CLUSTERHUB_API_RATE_PER_ADDRESS);
    behind a proxy, NINJA_NUM_PROXIES says how many to see through."""

    scope, setting = "address", "CLUSTERHUB_API_RATE_PER_ADDRESS"

    def get_cache_key(self, request):
        if _bearer(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
