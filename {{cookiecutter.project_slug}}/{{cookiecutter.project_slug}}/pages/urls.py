"""The pages' routes, included at the site's root by the project's urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("components/", views.components, name="components"),
]
