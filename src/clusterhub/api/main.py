from ninja import NinjaAPI

from clusterhub import __version__

from .clusters import router as clusters

api = NinjaAPI(
    title="Clusterhub API",
    version=__version__,
    description="Cluster organisation profiles as canonical JSON documents.",
    urls_namespace="api",
)
api.add_router("/clusters", clusters)
