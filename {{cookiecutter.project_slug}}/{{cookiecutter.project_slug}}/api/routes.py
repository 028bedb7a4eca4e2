"""The API, mounted at /api/ by the project's urls.py: its endpoints, errors and docs.

Every endpoint is ``async def`` and awaits the async ORM: on daphne it holds no
thread while the database answers. One that must call sync code says so and
hops once, with ``sync_to_async``.

How to add an endpoint: the project's README, "API".
See https://django-ninja.dev/
"""

from typing import Annotated, Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import aget_object_or_404
from ninja import NinjaAPI, Path, Query, Router, Status
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import django_auth
from ninja.throttling import BaseThrottle

from ..users.models import User
from .models import Note
from .schemas import Error, Me, MeChange, NoteChange, NoteIn, NoteOut, NotePage
from .security import AddressThrottle, TokenAuth, UserThrottle

# The statuses every endpoint can answer besides its own; an unsafe method adds 403,
# which is what a session request without its CSRF token gets, and one with a body
# 400, for a body that is no JSON at all.
ERRORS: dict[int, type[Error]] = {401: Error, 422: Error, 429: Error}
UNSAFE_ERRORS: dict[int, type[Error]] = {**ERRORS, 403: Error}
BODY_ERRORS: dict[int, type[Error]] = {**UNSAFE_ERRORS, 400: Error}
# The largest id the databases store (a bigint): a larger one answers 404, not a 500.
NoteId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def throttles() -> list[BaseThrottle]:
    rate = settings.API_THROTTLE_RATE
    return [UserThrottle(rate), AddressThrottle(rate)]


api = NinjaAPI(
    title=settings.API_TITLE,
    version="1",
    auth=[TokenAuth(), django_auth],
    throttle=throttles(),
    # From ninja's own static files (ninja is an installed app): no CDN. Its page runs
    # no inline script (its settings are a JSON data block), so the site's CSP holds there.
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    """An answer in the schemas' Error shape, whatever went wrong."""
    body = {"detail": detail, "errors": errors or []}
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": list(item.get("loc", [])), "msg": str(item.get("msg", "")), "type": item["type"]}
        for item in exc.errors
    ]
    return error(request, 422, "The request is not valid.", errors=errors)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error(request, 401, "Sign in, or send Authorization: Bearer <token>.")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = error(request, 429, "Too many requests; try again later.")
    if exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, exc.message)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same answer for another user's object as for none: nothing leaks.
    return error(request, 404, "Not found.")


def current_user(request: HttpRequest) -> User:
    """Whom the token or the session belongs to: what the API's auth found."""
    user = request.auth  # type: ignore[attr-defined]
    # The API's auth lets no anonymous request through.
    assert isinstance(user, User)
    return user


me = Router(tags=["me"])


@me.get("", response={200: Me, **ERRORS}, summary="Your profile")
async def read_me(request: HttpRequest) -> User:
    return current_user(request)


@me.patch("", response={200: Me, **BODY_ERRORS}, summary="Change your profile")
async def change_me(request: HttpRequest, change: MeChange) -> User:
    user = current_user(request)
    fields = change.model_dump(exclude_unset=True, exclude_none=True)
    for name, value in fields.items():
        setattr(user, name, value)
    if fields:
        await user.asave(update_fields=list(fields))
    return user


notes = Router(tags=["notes"])
WITH_404 = {**ERRORS, 404: Error}
UNSAFE_WITH_404 = {**UNSAFE_ERRORS, 404: Error}
BODY_WITH_404 = {**BODY_ERRORS, 404: Error}


@notes.get("", response={200: NotePage, **ERRORS}, summary="Your notes, newest first")
async def list_notes(
    request: HttpRequest,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    owned = Note.objects.filter(owner=current_user(request))
    items = [note async for note in owned[offset : offset + limit]]
    return {"count": await owned.acount(), "items": items}


@notes.post("", response={201: NoteOut, **BODY_ERRORS}, summary="Make a note")
async def create_note(request: HttpRequest, note: NoteIn) -> Status[Note]:
    created = await Note.objects.acreate(owner=current_user(request), **note.model_dump())
    return Status(201, created)


async def own_note(request: HttpRequest, note_id: int) -> Note:
    return await aget_object_or_404(Note, pk=note_id, owner=current_user(request))


@notes.get("/{note_id}", response={200: NoteOut, **WITH_404}, summary="One of your notes")
async def read_note(request: HttpRequest, note_id: NoteId) -> Note:
    return await own_note(request, note_id)


@notes.patch("/{note_id}", response={200: NoteOut, **BODY_WITH_404}, summary="Change a note")
async def change_note(request: HttpRequest, note_id: NoteId, change: NoteChange) -> Note:
    note = await own_note(request, note_id)
    fields = change.model_dump(exclude_unset=True, exclude_none=True)
    for name, value in fields.items():
        setattr(note, name, value)
    if fields:
        await note.asave(update_fields=[*fields, "updated"])
    return note


@notes.delete("/{note_id}", response={204: None, **UNSAFE_WITH_404}, summary="Delete a note")
async def delete_note(request: HttpRequest, note_id: NoteId) -> Status[None]:
    note = await own_note(request, note_id)
    await note.adelete()
    return Status(204, None)


api.add_router("/me", me)
api.add_router("/notes", notes)
