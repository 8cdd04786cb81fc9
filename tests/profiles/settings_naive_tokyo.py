"""Profile 4: naive datetimes in a zone east of UTC (UTC+9, no daylight saving)."""

from .settings_startproject import *  # noqa: F403

USE_TZ = False
TIME_ZONE = 'Asia/Tokyo'
