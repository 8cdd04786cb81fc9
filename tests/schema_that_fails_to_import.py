"""A project's schema module with a bug: importing it raises (tests/test_schema_check.py)."""

raise RuntimeError('the schema module has a bug')
