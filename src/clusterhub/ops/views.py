import asyncio

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from health_check.views import HealthCheckView
from prometheus_client import CONTENT_TYPE_LATEST

from .health import READY_CHECKS
from .metrics import exposition, may_scrape


@never_cache
def health(request):
    """The process is up and answers: nothing else is asked (a load balancer's probe)."""
    return JsonResponse({"status": "ok"})


class Ready(HealthCheckView):
    """Whether this process can serve: every check, in JSON, naming what failed; 503
    when one did, so that a load balancer sends requests elsewhere meanwhile."""

    checks = READY_CHECKS

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        failed = {
            result.check.__class__.__name__.lower(): str(result.error.message)
            for result in self.results
            if result.error
        }
        passed = [r.check.__class__.__name__.lower() for r in self.results if not r.error]
        body = {"status": "failing" if failed else "ok", "failed": failed, "passed": passed}
        return JsonResponse(body, status=503 if failed else 200)


ready = Ready.as_view()


@never_cache
def metrics(request):
    """Prometheus's scrape; a 404 for whoever may not read it."""
    if not may_scrape(request):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
