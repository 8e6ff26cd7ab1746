import json

from django.core.management.base import BaseCommand

from clusterhub.api.main import api


class Command(BaseCommand):
    help = "Print the API's OpenAPI schema (the committed snapshot is tests/api/openapi.json)."
    requires_system_checks = []

    def handle(self, *args, **options):
        schema = api.get_openapi_schema(path_prefix="/api/")
        self.stdout.write(json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False))
