"""The GraphQL view: graphene-django's, plus cookies, CSRF and a document cache."""

from __future__ import annotations

import inspect
import json
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig, TooManyFieldsSent
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseForbidden
from django.http.response import HttpResponseBadRequest, HttpResponseNotAllowed
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    ExecutionResult,
    OperationType,
    execute,
    get_operation_ast,
    specified_rules,
    validate_schema,
)

from .authentication import set_request_user
from .csrf import check_csrf, is_session_authenticated
from .documents import documents
from .errors import (
    PARAMETER_NOT_A_STRING,
    VARIABLES_NOT_AN_OBJECT,
    InvalidToken,
    JWTError,
    Reason,
    extensions,
)
from .graphiql import with_local_files
from .limits import limit_rule
from .refusals import misconfigured
from .service import apply_cookies
from .settings import djwto_settings
from .state import request_state
from .transactions import RootFields, execute_in_transactions, refusal, root_fields

# The reasons of refusals of the request as a whole that do not name their own
# (graphene-django's, for a body or method it cannot serve).
REQUEST_REASONS = {400: Reason.MALFORMED_REQUEST, 405: Reason.METHOD_NOT_ALLOWED}


class RequestRefused(HttpError):
    """A refusal of the whole request, before any field runs, with its reason."""

    def __init__(
        self, response: HttpResponseBase, message: str | None = None, reason: str = Reason.MALFORMED_REQUEST
    ) -> None:
        super().__init__(response, message)
        self.reason = reason


class _SendCsrfCookie(CsrfViewMiddleware):
    """Django's ensure_csrf_cookie, less the work whose result it throws away.

    graphene-django wraps its dispatch in ensure_csrf_cookie, which runs the
    whole CSRF check only to ignore the verdict (ours is
    ``DjwtoGraphQLView.enforce_csrf``) and masks a new token that nobody
    reads. This sends the same cookie: the request's CSRF secret again,
    renewing its expiry, or a new one.
    """

    def process_request(self, request: HttpRequest) -> None:
        if 'CSRF_COOKIE' not in request.META:  # else CsrfViewMiddleware has read it
            super().process_request(request)

    def process_view(
        self, request: HttpRequest, callback: Any, callback_args: Any, callback_kwargs: Any
    ) -> None:
        if 'CSRF_COOKIE' in request.META:
            request.META['CSRF_COOKIE_NEEDS_UPDATE'] = True
        else:
            get_token(request)


# graphene-django's dispatch without its ensure_csrf_cookie (see _SendCsrfCookie).
graphene_dispatch = inspect.unwrap(GraphQLView.dispatch)


@decorator_from_middleware(_SendCsrfCookie)
def dispatch_with_csrf_cookie(
    request: HttpRequest, view: GraphQLView, *args: Any, **kwargs: Any
) -> HttpResponseBase:
    """Run graphene-django's dispatch for ``view``, then send the CSRF cookie.

    Decorated once here rather than per request with ``method_decorator``,
    which builds the decorator (and a middleware) again for every call.
    """
    response: HttpResponseBase = graphene_dispatch(view, request, *args, **kwargs)
    return response


def _accepts_html(request: HttpRequest) -> bool:
    return 'text/html' in request.META.get('HTTP_ACCEPT', '')


def _answers_need_csrf_cookie(request: HttpRequest) -> bool:
    return _accepts_html(request) or djwto_settings.is_cookie_mode


class DjwtoGraphQLView(GraphQLView):
    """graphene-django's GraphQLView for gql_djwto's mutations.

    It puts on the response the cookies the mutations asked for, checks CSRF
    in cookie modes (every POST but a login-only one needs the token, as
    djwto's views do), and keeps parsed and validated documents in a cache.
    """

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        view = super().as_view(**initkwargs)
        # Our views check CSRF themselves, per operation. They opt out of
        # ATOMIC_REQUESTS and open graphene-django's transactions themselves,
        # per operation (see transactions.py): a revoke reported as done
        # must never be rolled back.
        for alias in connections:
            view = transaction.non_atomic_requests(using=alias)(view)
        return csrf_exempt(view)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        set_request_user(request)  # lazy: read only if a resolver touches it
        try:
            if _answers_need_csrf_cookie(request):
                response = dispatch_with_csrf_cookie(request, self, *args, **kwargs)
            else:
                # JSON mode checks no CSRF token, so its API answers send none
                # (GraphiQL's page still gets the cookie, for a project's own use).
                response = graphene_dispatch(self, request, *args, **kwargs)
        except ImproperlyConfigured as error:
            # A setting the view itself reads (the mode, CSRF, the document
            # limits and cache, GraphiQL's): the whole request is refused.
            response = self.refused(request, misconfigured(error))
        if request_state(request).issued:
            # Tokens in the body or in cookies: no cache may keep them.
            patch_cache_control(response, no_store=True)
        return apply_cookies(request, response)

    def refused(self, request: HttpRequest, error: JWTError) -> HttpResponse:
        """Answer ``error`` for the whole request, as graphene-django answers its own refusals."""
        response = HttpResponse(status=error.status, content_type='application/json')
        refusal = RequestRefused(response, error.message, error.reason)
        response.content = self.json_encode(request, {'errors': [self.format_error(refusal)]})
        return response

    @classmethod
    def can_display_graphiql(cls, request: HttpRequest, data: Any) -> bool:
        if not _accepts_html(request):
            # graphene-django only serves GraphiQL to a request accepting
            # text/html; most requests are answered here, unparsed.
            return False
        return bool(djwto_settings.GRAPHIQL and super().can_display_graphiql(request, data))

    def render_graphiql(self, request: HttpRequest, **data: Any) -> HttpResponseBase:
        """Serve graphene-django's GraphiQL with a fetch that reads the current CSRF token.

        Each page keeps its editor state in its own localStorage keys
        (graphiql_storage.html, run once the head's scripts have loaded
        GraphiQL). Its CDN files come from gql_djwto's static files unless
        DJWTO_GRAPHIQL_ASSETS is 'cdn' (see graphiql.py).
        """
        response: HttpResponse = super().render_graphiql(request, **data)
        csrf_fetch = render_to_string(
            'gql_djwto/csrf_fetch.html',
            {
                'csrf_cookie_name_json': json.dumps(settings.CSRF_COOKIE_NAME),
            },
        )
        page = response.content.replace(b'<head>', b'<head>' + csrf_fetch.encode(), 1)
        page_storage = render_to_string('gql_djwto/graphiql_storage.html')
        page = page.replace(b'<body>', b'<body>' + page_storage.encode(), 1)
        if djwto_settings.GRAPHIQL_ASSETS == 'static':
            page = with_local_files(page)
        response.content = page
        return response

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return super().parse_body(request)
        except (RequestDataTooBig, TooManyFieldsSent) as error:
            # Django's DATA_UPLOAD_MAX_* limits, met reading a GraphQL or form body.
            raise RequestRefused(HttpResponseBadRequest(str(error)), reason=Reason.BODY_TOO_LARGE) from None
        except HttpError as error:
            if isinstance(error.__context__, RequestDataTooBig):  # met reading a JSON body
                raise RequestRefused(error.response, error.message, Reason.BODY_TOO_LARGE) from None
            raise
        except RecursionError:
            # JSON nested deeper than the interpreter recurses.
            raise RequestRefused(HttpResponseBadRequest('POST body sent invalid JSON.')) from None

    @staticmethod
    def get_graphql_params(request: HttpRequest, data: Any) -> tuple[Any, Any, Any, Any]:
        """graphene-django's reading of the request, refusing parameters of the wrong JSON type."""
        query, variables, operation_name, id_ = GraphQLView.get_graphql_params(request, data)
        for name, value in (('query', query), ('operationName', operation_name)):
            if value is not None and not isinstance(value, str):
                raise RequestRefused(HttpResponseBadRequest(PARAMETER_NOT_A_STRING.format(name=name)))
        if variables is not None and not isinstance(variables, dict):
            raise RequestRefused(HttpResponseBadRequest(str(VARIABLES_NOT_AN_OBJECT)))
        return query, variables, operation_name, id_

    def format_error(self, error: Exception) -> dict[str, Any]:
        formatted: dict[str, Any] = super().format_error(error)
        original = getattr(error, 'original_error', None)
        if isinstance(original, JWTError):  # e.g. request.user refused in a resolver
            formatted['extensions'] = original.extensions
        if isinstance(error, HttpError):
            status = error.response.status_code
            reason = getattr(error, 'reason', None) or REQUEST_REASONS.get(status, Reason.MALFORMED_REQUEST)
            formatted['extensions'] = extensions(status, reason)
        return formatted

    def get_validation_rules(self) -> tuple[Any, ...]:
        """Return graphql-core's rules (or the view's own) plus our document limits."""
        return (
            *(self.validation_rules or specified_rules),
            limit_rule(djwto_settings.MAX_QUERY_DEPTH, djwto_settings.MAX_ALIASES),
        )

    def enforce_csrf(self, request: HttpRequest, fields: RootFields) -> None:
        """Refuse a POST that needs Django's CSRF check and fails it.

        It is needed by a request that a session (or other ambient
        credentials) authenticates, whatever the mode and the document, as
        behind Django's CsrfViewMiddleware; and in cookie modes by every
        document but a login-only one, as in djwto.
        """
        if request.method != 'POST':
            return
        enforced = djwto_settings.csrf_enforced  # a bad setting refuses the request (dispatch)
        # The session is read last, only when the cookie-mode rule lets the request through.
        if (not enforced or fields.login_only) and not is_session_authenticated(request):
            return
        try:
            check_csrf(request)
        except InvalidToken as error:
            raise RequestRefused(HttpResponseForbidden(), error.message, error.reason) from None

    def execute_graphql_request(
        self,
        request: HttpRequest,
        data: Any,
        query: str | None,
        variables: Any,
        operation_name: str | None,
        show_graphiql: bool = False,
    ) -> ExecutionResult | None:
        """graphene-django's ``execute_graphql_request``, copied and changed where marked.

        Copied from graphene-django 3.2.0 to 3.2.3 (the same text in each;
        ``tests/test_view.py`` holds its hash and fails when an installed
        graphene-django changes it). It differs in this:

        1. The document is parsed and validated through :data:`documents`, a
           per-process cache, with our limits among the rules
           (:meth:`get_validation_rules`); graphene-django parses and
           validates every request. Hence a parse error comes back as
           ``data: null`` with the error, and validation comes before the
           GET check, not after it.
        2. A request it cannot serve raises :class:`RequestRefused` (an
           ``HttpError`` with our ``reason``) instead of ``HttpError``: no
           query (400, MALFORMED_REQUEST), a mutation by GET (405,
           METHOD_NOT_ALLOWED).
        3. Added: the CSRF check (:meth:`enforce_csrf`, which needs the root
           fields) and the refusal of a document mixing our writes with the
           project's fields in one transaction (400, MIXED_TRANSACTION).
        4. No middleware is passed as ``None``, not as an empty list.
        5. Execution goes through ``transactions.execute_in_transactions``,
           which applies ATOMIC_MUTATIONS (and ATOMIC_REQUESTS, from which
           the view opts out) per operation, with graphene-django's rollback
           on ``MUTATION_ERRORS_FLAG`` and its exceptions-as-errors.
        """
        if not query:
            if show_graphiql:
                return None
            raise RequestRefused(HttpResponseBadRequest('Must provide query string.'))
        schema = self.schema.graphql_schema
        schema_errors = validate_schema(schema)
        if schema_errors:
            return ExecutionResult(data=None, errors=schema_errors)
        document, errors = documents.get(
            schema,
            query,
            self.get_validation_rules(),
            graphene_settings.MAX_VALIDATION_ERRORS,
        )
        if errors or document is None:
            return ExecutionResult(data=None, errors=errors)
        operation = get_operation_ast(document, operation_name)
        if request.method == 'GET' and operation is not None and operation.operation != OperationType.QUERY:
            if show_graphiql:
                return None
            raise RequestRefused(
                HttpResponseNotAllowed(
                    ['POST'],
                    f'Can only perform a {operation.operation.value} operation from a POST request.',
                ),
                reason=Reason.METHOD_NOT_ALLOWED,
            )
        fields = root_fields(schema, document, operation)
        self.enforce_csrf(request, fields)
        refused = refusal(fields, operation)
        if refused:
            raise RequestRefused(HttpResponseBadRequest(), refused, Reason.MIXED_TRANSACTION)
        options: dict[str, Any] = {
            'root_value': self.get_root_value(request),
            'context_value': self.get_context(request),
            'variable_values': variables,
            'operation_name': operation_name,
            # No middleware at all spares graphql-core a manager per request.
            'middleware': self.get_middleware(request) or None,
        }
        if self.execution_context_class:
            options['execution_context_class'] = self.execution_context_class
        return execute_in_transactions(
            request,
            fields,
            operation,
            # graphene-django's view runs a synchronous schema: its answer is never awaitable.
            lambda: cast(ExecutionResult, execute(schema, document, **options)),
        )
