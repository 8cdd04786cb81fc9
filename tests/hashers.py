from django.contrib.auth.hashers import MD5PasswordHasher


class CountingHasher(MD5PasswordHasher):
    """MD5, counting every password it checks."""

    algorithm = 'md5'
    checks = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded)


class RetiredHasher(MD5PasswordHasher):
    """MD5 under another name: a hasher a project has moved away from, so logins re-hash."""

    algorithm = 'retired_md5'
