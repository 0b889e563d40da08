"""The JSON API, /api/search: the same parameters as /search/; hits, total, page and facet
counts as JSON."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt

from search import query
from search.engine.types import FACETS
from search.forms import SearchForm, form_errors, params_from_form
from search.query import Hit, SearchPage

CACHE_SECONDS = 60
JSON_OPTIONS = {"ensure_ascii": False}


def hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "title": hit.title,
        "url": hit.url,
        "published": hit.published,
        "source": hit.source,
        "district": hit.district,
        "snippet": hit.snippet,
    }


def page_json(page: SearchPage) -> dict[str, Any]:
    """SearchPage → the response body; every facet key is present, empty or not."""
    return {
        "total": page.total,
        "page": page.params.page,
        "page_size": page.params.page_size,
        "results": [hit_json(hit) for hit in page.hits],
        "facets": {
            name: [{"value": fv.value, "count": fv.count} for fv in page.facets.get(name) or []]
            for name in FACETS
        },
    }


def error_response(status: int, message: str, fields: dict[str, str] | None = None) -> JsonResponse:
    body: dict[str, Any] = {"error": message}
    if fields is not None:
        body["fields"] = fields
    response = JsonResponse(body, status=status, json_dumps_params=JSON_OPTIONS)
    patch_cache_control(response, no_store=True)
    return response


@csrf_exempt  # read-only; lets a POST get the JSON 405 instead of a CSRF page
def search_api(request: HttpRequest) -> JsonResponse:
    """GET /api/search?q=…: 200 with results and facets, 400 naming each bad parameter."""
    if request.method not in ("GET", "HEAD"):
        response = error_response(405, "只支持 GET 请求")
        response["Allow"] = "GET, HEAD"
        return response
    form = SearchForm(request.GET)
    if not form.is_valid():
        return error_response(400, "参数有误", form_errors(form))
    page = query.search_articles(params_from_form(form))
    response = JsonResponse(page_json(page), json_dumps_params=JSON_OPTIONS)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response
