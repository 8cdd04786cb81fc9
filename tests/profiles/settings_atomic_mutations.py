"""Profile 3: the startproject profile with graphene-django running each mutation document atomically."""

from .settings_startproject import *  # noqa: F403

GRAPHENE = {**GRAPHENE, 'ATOMIC_MUTATIONS': True}  # noqa: F405
