"""Side-by-side benchmark of gql_djwto, djwto and django-graphql-jwt: ``python -m bench``."""
