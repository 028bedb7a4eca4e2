"""What the API reads and answers, as pydantic models: its OpenAPI schema comes from these.

Text fields refuse NUL characters, which PostgreSQL cannot store, so that a client
gets a 422 for one and never a 500. What a client sends is a plain pydantic model
that takes a JSON object alone and no unknown field; ninja's ``Schema``, made to
read attributes off model instances, is for what the API answers.

See https://django-ninja.dev/guides/response/
"""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, StringConstraints

NO_NUL = r"^[^\x00]*$"
Title = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]
Body = Annotated[str, StringConstraints(max_length=10_000, pattern=NO_NUL)]
Name = Annotated[str, StringConstraints(max_length=150, pattern=NO_NUL)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Error(Schema):
    """The one shape of every error the API answers; ``errors`` lists a 422's fields."""

    detail: str
    errors: list[FieldError] = Field(default_factory=list)


class Me(Schema):
    email: str
    first_name: str
    last_name: str


class MeChange(Input):
    first_name: Name | None = None
    last_name: Name | None = None


class NoteIn(Input):
    title: Title
    body: Body = ""


class NoteChange(Input):
    title: Title | None = None
    body: Body | None = None


class NoteOut(Schema):
    id: int
    title: str
    body: str
    created: datetime
    updated: datetime


class NotePage(Schema):
    count: int
    items: list[NoteOut]
