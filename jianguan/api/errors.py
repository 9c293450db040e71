"""One error format for every API failure:

{"error": {"code": "not_found", "message": "…", "details": [...]}}
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jianguan.core.errors import DomainError


def error_body(code: str, message: str, details=None) -> dict:
    body = {"code": code, "message": message}
    if details:
        body["details"] = details
    return {"error": body}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors
        ]
        return api.create_response(request, error_body("validation_failed", "请求参数有误", details), status=422)

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return api.create_response(request, error_body("unauthorized", "需要有效的 API 令牌或登录"), status=401)

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return api.create_response(request, error_body("forbidden", str(exc) or "无权执行此操作"), status=403)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return api.create_response(request, error_body("not_found", "对象不存在"), status=404)

    @api.exception_handler(DomainError)
    def _domain(request, exc: DomainError):
        details = exc.details if exc.details else ([{"field": exc.field}] if exc.field else None)
        return api.create_response(request, error_body(exc.code, exc.message, details), status=exc.status)

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        codes = {
            400: "bad_request",
            401: "unauthorized",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            429: "rate_limited",
        }
        return api.create_response(
            request, error_body(codes.get(exc.status_code, "error"), str(exc)), status=exc.status_code
        )

    @api.exception_handler(OverflowError)
    def _overflow(request, exc):
        return api.create_response(request, error_body("bad_request", "请求中的数值超出范围"), status=400)

    @api.exception_handler(DataError)
    def _data_error(request, exc):
        return api.create_response(request, error_body("bad_request", "请求中的数值或文本超出数据库允许的范围"),
                                   status=400)

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        import logging

        logging.getLogger("jianguan.api").exception("unhandled API error")
        return api.create_response(request, error_body("server_error", "服务器内部错误"), status=500)
