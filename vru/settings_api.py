"""The API's settings: REST framework, the OpenAPI schema, the rate limit and token lifetime.
Part of vru.settings (imported by it, after it has read the environment and .env)."""

import environ

env = environ.Env()
__all__ = ["REST_FRAMEWORK", "SPECTACULAR_SETTINGS", "VRU_API_RATE", "VRU_API_TOKEN_DAYS"]

REST_FRAMEWORK = {
    # Tokens first: a request without credentials, or with a bad token, is a 401 with
    # WWW-Authenticate (the first class's header). The browser's session still signs in,
    # with CSRF checked on writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "vru.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        # a partner's token (sharing.models.PartnerToken) reads only doors that record it
        "sharing.api_permissions.PartnerTokensAtDisclosureDoorsOnly",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "vru.api.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "vru.api.FilterBackend",
        "vru.api.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "vru.api.api_exception_handler",
    # Bursts get 429 with Retry-After, counted per user or, signed out, per address.
    "DEFAULT_THROTTLE_CLASSES": ["vru.api.UserRateThrottle"],
}
VRU_API_RATE = env.str("VRU_API_RATE", default="600/minute")
# Personal API tokens (vru.models.ApiToken): how long a new one lasts unless its owner says.
VRU_API_TOKEN_DAYS = env.int("VRU_API_TOKEN_DAYS", default=90)
SPECTACULAR_SETTINGS = {
    "TITLE": "VRU platform API",
    "DESCRIPTION": "Priority neighbourhoods, strategic needs assessments and success "
    "measures of a Violence Reduction Unit. Every list is scoped to the caller's "
    "partnership; anything outside it is a 404.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # a choice set used by several fields gets one name (the kinds of personal data, and the
    # Schedule 1 conditions of an information-sharing agreement)
    "ENUM_NAME_OVERRIDES": {
        "DataKindEnum": "vru.data_kinds.DataKind.choices",
        "Schedule1ConditionEnum": "sharing.models.Schedule1Condition.choices",
        # the names the API had before the correction bodies used the same choices
        "OutcomeInputKindEnum": "programmes.api_corrections.OUTCOME_KINDS",
        "SessionKindEnum": "programmes.api_corrections.SESSION_KINDS",
    },
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "vru.api.document_error_responses",
    ],
}
