"""The blacklist's notion of time: one pair of helpers to write and to purge expiries.

The ``expires`` column holds aware UTC when ``USE_TZ`` is on and naive UTC
when it is off, whatever ``TIME_ZONE`` says: a naive local time would be
ambiguous in the hour a clock is turned back. Revoking writes with
:func:`expiry_from_epoch` and ``delete_tokens`` compares with
:func:`stored_now`, so both always speak the same time.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

from django.conf import settings

# The latest expiry stored, a day short of datetime.max so that no time zone
# conversion overflows.
LAST_EXPIRY = datetime(9999, 12, 30, tzinfo=timezone.utc)


def _as_stored(moment: datetime) -> datetime:
    return moment if settings.USE_TZ else moment.replace(tzinfo=None)


def stored_now() -> datetime:
    """Return the current time as the blacklist stores times."""
    return _as_stored(datetime.fromtimestamp(time.time(), tz=timezone.utc))


def expiry_from_epoch(seconds: object) -> datetime:
    """Return an ``exp`` claim (epoch seconds) as the blacklist stores it.

    Anything not a finite number, or past what a datetime holds, is stored as
    LAST_EXPIRY: the row is kept for good rather than purged too soon.
    """
    try:
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise TypeError(seconds)
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError, TypeError):
        moment = LAST_EXPIRY
    return _as_stored(moment)


def epoch_from_stored(moment: datetime | None) -> int | None:
    """Return a stored time as epoch seconds (the inverse of :func:`expiry_from_epoch`)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())
