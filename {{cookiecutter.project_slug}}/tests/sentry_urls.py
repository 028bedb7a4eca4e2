"""The project's URLs, and /fail/, whose view raises an error that nothing handles."""

from django.urls import include, path


class Failure(Exception):
    pass


def fail(request):
    raise Failure("a view failed, and Sentry should hear of it")


urlpatterns = [
    path("fail/", fail),
    path("", include("{{ cookiecutter.project_slug }}.urls")),
]
