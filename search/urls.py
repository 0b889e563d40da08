from django.urls import path

from search.api import search_api
from search.views import search_view

urlpatterns = [
    path("search/", search_view, name="search"),
    path("api/search", search_api, name="api-search"),
]
