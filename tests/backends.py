from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in with the e-mail address; remembers the request it was given."""

    last_request_path = None

    def authenticate(self, request, username=None, password=None, **kwargs):
        EmailBackend.last_request_path = getattr(request, 'path', None)
        user = get_user_model().objects.filter(email=username).first()
        if user and user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
