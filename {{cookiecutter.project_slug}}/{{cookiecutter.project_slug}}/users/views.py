"""Queue a welcome email from a request: the response does not wait for the mail server.

``POST /welcome/`` with ``address=<email>``, as a signed-in staff member and with
the CSRF token like any form, queues ``send_welcome_email`` and answers 202 with
the task's id; the worker sends it. The view is ``async def``: it awaits the
database (``aenqueue``) and renders no template.

See https://docs.djangoproject.com/en/6.1/topics/tasks/#enqueueing-tasks
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from .tasks import send_welcome_email


@require_POST
async def welcome(request: HttpRequest) -> JsonResponse:
    user = await request.auser()
    if not user.is_staff:
        return JsonResponse({"error": "staff only"}, status=403)
    address = request.POST.get("address", "")
    try:
        validate_email(address)
    except ValidationError:
        return JsonResponse({"error": "address must be an email address"}, status=400)
    result = await send_welcome_email.aenqueue(address)
    return JsonResponse({"task": result.id}, status=202)
