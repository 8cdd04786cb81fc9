"""A JSON answer holding the current CSRF token, for pages served from another origin.

A page on ``app.example.com`` cannot read the ``csrftoken`` cookie that
``api.example.com`` set (cookies are per host), yet must send its value in
``X-CSRFToken``. It asks this view instead, with credentials, after loading
and after each login (which rotates the token).

The answer is safe to give: a page of another origin reads it only if the
server's CORS policy names that origin with credentials allowed; any other
page gets an opaque failure, and cannot run the JSON as a script either (a
JSON object is not a valid script, and it is served as ``application/json``).
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe


@require_safe
@never_cache
@ensure_csrf_cookie
def csrf_token(request: HttpRequest) -> JsonResponse:
    """Answer ``{"csrfToken": ...}`` and set (or renew) the ``csrftoken`` cookie it matches."""
    return JsonResponse({'csrfToken': get_token(request)})
