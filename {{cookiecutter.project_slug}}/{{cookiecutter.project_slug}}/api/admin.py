"""The API's models in the admin: notes, and tokens that staff can see and revoke, never read.

See https://docs.djangoproject.com/en/6.1/ref/contrib/admin/
"""

from django.contrib import admin
from django.http import HttpRequest

from .models import Note, Token


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "created")
    search_fields = ("title",)
    raw_id_fields = ("owner",)


@admin.register(Token)
class TokenAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "created", "expires", "last_used", "revoked")
    # The digest is not editable: a token's secret is made by Token.issue alone.
    readonly_fields = ("owner", "created", "last_used")
    fields = ("owner", "name", "expires", "revoked", "created", "last_used")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
