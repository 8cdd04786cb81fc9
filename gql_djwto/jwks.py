"""``/.well-known/jwks.json``: the public keys that verify our tokens, for other services.

Another service verifies gql_djwto's tokens with any JOSE library from this
JSON Web Key Set, and finds a new key here when keys rotate. Only public
members are published (``gql_djwto.keys.PUBLIC_MEMBERS``); HMAC secrets
never are, so with an HS* algorithm there is nothing to serve.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .keys import jwks_json
from .refusals import json_refusal, misconfigured

# Seconds a client may keep the key set. A verifier meeting an unknown kid
# fetches it again sooner (jose and PyJWT's PyJWKClient both do).
JWKS_MAX_AGE = 300

NO_PUBLIC_KEYS = 'DJWTO_ALGORITHM is an HMAC algorithm: there is no public key to publish.'


@require_safe
def jwks(request: HttpRequest) -> HttpResponse:
    try:
        body = jwks_json()
    except ImproperlyConfigured as error:  # its message names the setting, never the key
        return json_refusal(misconfigured(error, 'serve the JWKS'))
    if body is None:
        return JsonResponse({'error': NO_PUBLIC_KEYS}, status=404)
    response = HttpResponse(body, content_type='application/json')
    patch_cache_control(response, public=True, max_age=JWKS_MAX_AGE)
    return response
