"""WSGI entry point for servers such as granian or gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
application = get_wsgi_application()

# Import every view now, then move everything loaded so far out of the garbage collector's
# reach. Otherwise each full collection walks the whole framework and pauses a worker with
# its queued requests for tens of milliseconds (90 ms measured against the tracker API);
# frozen, the collector only walks what requests leave behind.
get_resolver().url_patterns  # noqa: B018 (imports the URLconf and the views)
gc.collect()
gc.freeze()
