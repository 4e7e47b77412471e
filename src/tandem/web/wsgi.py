"""WSGI entry point, for gunicorn or granian: ``gunicorn tandem.web.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.web.settings")
application = get_wsgi_application()
