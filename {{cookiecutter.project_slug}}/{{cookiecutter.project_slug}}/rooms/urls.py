"""HTTP routes of the rooms."""

from django.urls import path

from . import views

app_name = "rooms"
urlpatterns = [
    path("<slug:room>/", views.room, name="room"),
]
