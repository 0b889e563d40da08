"""Request lines longer than the site serves get 414, in the reader's language.

Three limits, from the outside in (docs/production.md, "Limits on the request line"):
nginx's large_client_header_buffers (8k) and gunicorn's limit_request_line (8190, the same
size) refuse a line no browser sends, each with its own bare 414 page before Django runs.
Below those, REQUEST_LINE_LIMIT (4096 bytes of path and query string) is the site's own limit:
no page or API call needs more, and a search repeated with a 4 KB query is only load.
Over it: JSON {"error": …} under /api/, the HTML page 414.html elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path

DEFAULT_LIMIT = 4096
API_PREFIX = "/api/"


def request_line_limit() -> int:
    return int(getattr(settings, "REQUEST_LINE_LIMIT", DEFAULT_LIMIT))


def too_long_message(limit: int) -> str:
    """4096 → "请求的网址过长：路径和查询参数合计不能超过 4096 字节，请缩短搜索词或减少筛选条件。" """
    return f"请求的网址过长：路径和查询参数合计不能超过 {limit} 字节，请缩短搜索词或减少筛选条件。"


def target_length(request: HttpRequest) -> int:
    """Bytes of path and query string as on the request line: the path percent-encoded (the
    server decoded it), the query string as received. /search/?q=%E5%8E%A6 → 19."""
    query = request.META.get("QUERY_STRING", "")
    # WSGI passes the query's raw bytes as latin-1 text: one character per byte.
    size = len(query.encode("latin-1", "replace")) + 1 if query else 0
    return len(escape_uri_path(request.path)) + size


class RequestLineLimitMiddleware:
    """414 for a path plus query string over REQUEST_LINE_LIMIT bytes, before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = request_line_limit()
        if target_length(request) <= limit:
            return self.get_response(request)
        message = too_long_message(limit)
        if request.path.startswith(API_PREFIX):
            response: HttpResponse = JsonResponse(
                {"error": message}, status=414, json_dumps_params={"ensure_ascii": False}
            )
        else:
            response = render(request, "414.html", {"message": message}, status=414)
        patch_cache_control(response, no_store=True)
        return response
