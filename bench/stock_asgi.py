"""Django's stock ASGI handler for the project named by DJANGO_SETTINGS_MODULE: no inline hooks."""

from django.core.asgi import get_asgi_application

application = get_asgi_application()
