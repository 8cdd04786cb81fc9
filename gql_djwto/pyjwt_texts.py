"""PyJWT's refusals of a token, in PyJWT's English and made translatable.

djwto answers a token PyJWT refuses with PyJWT's text, so gql_djwto does
too, byte for byte in English; in another language the request gets the
catalogue's words for it. A text PyJWT adds later passes as it is.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .errors import Message

PYJWT_TEXTS = {
    text: _(text)
    for text in (
        gettext_noop('Signature has expired'),
        gettext_noop('The token is not yet valid (iat)'),
        gettext_noop('The token is not yet valid (nbf)'),
        gettext_noop('Issued At claim (iat) must be an integer.'),
        gettext_noop('Not Before claim (nbf) must be an integer.'),
        gettext_noop('Expiration Time claim (exp) must be an integer.'),
        gettext_noop('Signature verification failed'),
        gettext_noop('The specified alg value is not allowed'),
        gettext_noop('Algorithm not specified'),
        gettext_noop('Algorithm not supported'),
        gettext_noop('Not enough segments'),
        gettext_noop('Invalid header padding'),
        gettext_noop('Invalid payload padding'),
        gettext_noop('Invalid crypto padding'),
        gettext_noop('Invalid header string: must be a json object'),
        gettext_noop('Invalid payload string: must be a json object'),
        gettext_noop("Payload segment must be empty when 'b64' is false."),
        gettext_noop('Key ID header parameter must be a string'),
        gettext_noop("Invalid 'crit' header: must be a list"),
        gettext_noop("Invalid 'crit' header: must be a non-empty list"),
        gettext_noop("Invalid 'crit' header: values must be strings"),
        gettext_noop('Invalid issuer'),
        gettext_noop('Payload Issuer (iss) must be a string'),
        gettext_noop('Invalid audience'),
        gettext_noop('Invalid audience (strict)'),
        gettext_noop("Audience doesn't match"),
        gettext_noop("Audience doesn't match (strict)"),
        gettext_noop('Invalid claim format in token'),
        gettext_noop('Invalid claim format in token (strict)'),
        gettext_noop('Subject must be a string'),
        gettext_noop('JWT ID must be a string'),
    )
}
# PyJWT's texts with a part of their own: the pattern, and our words for it.
PYJWT_PATTERNS = (
    (re.compile(r'Token is missing the "(?P<claim>[^"]*)" claim'), _('Token is missing the "{claim}" claim')),
    # Translators: {detail} is Python's JSON error, in English.
    (re.compile(r'Invalid header string: (?P<detail>.*)', re.DOTALL), _('Invalid header string: {detail}')),
    # Translators: {detail} is Python's JSON error, in English.
    (re.compile(r'Invalid payload string: (?P<detail>.*)', re.DOTALL), _('Invalid payload string: {detail}')),
    (
        re.compile(r'Unsupported critical extension: (?P<extension>.*)', re.DOTALL),
        _('Unsupported critical extension: {extension}'),
    ),
)


def pyjwt_message(text: str) -> Message:
    """Return PyJWT's ``text`` as our message: the same English, in the request's language."""
    known = PYJWT_TEXTS.get(text)
    if known is not None:
        return known
    for pattern, message in PYJWT_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return message.format(**match.groupdict())
    return text
