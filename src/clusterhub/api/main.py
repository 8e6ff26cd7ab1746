"""The API: one NinjaAPI, its routers, and the one handler of refusals.

Services raise `DomainError`s; the handler answers each with its status and
`{"detail", "field"}` (a stale version with the current document and version as well),
so no endpoint has its own try/except.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from ninja import NinjaAPI

from clusterhub import __version__
from clusterhub.core.errors import DomainError
from clusterhub.profiles.writing import StaleVersion

from .calls import router as calls
from .clusters import router as clusters
from .events import router as events
from .limits import PerAddress, PerToken
from .news import router as news
from .opportunities import router as opportunities
from .statistics import map_router
from .statistics import router as statistics

api = NinjaAPI(
    title="Clusterhub API",
    version=__version__,
    description=(
        "Cluster organisation profiles as canonical JSON documents; partnership "
        "opportunities, funding calls and news."
    ),
    urls_namespace="api",
    throttle=[PerToken(), PerAddress()],
)
api.add_router("/clusters", clusters)
api.add_router("/opportunities", opportunities)
api.add_router("/calls", calls)
api.add_router("/news", news)
api.add_router("/events", events)
api.add_router("/statistics", statistics)
api.add_router("/map", map_router)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc: RequestDataTooBig):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = {"detail": f"the request body is larger than {limit} bytes", "field": None}
    return api.create_response(request, body, status=413)


@api.exception_handler(DomainError)
def refused(request, exc: DomainError):
    body = {"detail": str(exc.message), "field": exc.field}
    if isinstance(exc, StaleVersion):
        body |= {
            "current_version": exc.current_version,
            "current": exc.current.model_dump(mode="json"),
        }
    return api.create_response(request, body, status=exc.status)
