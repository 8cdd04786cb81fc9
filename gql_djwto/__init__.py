"""djwto's JWT authentication for Django, served through GraphQL."""

__version__ = '0.1.0'
