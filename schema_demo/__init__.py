"""A runnable Django project that uses gql_djwto exactly as the README says."""
