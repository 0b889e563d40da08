"""The reader's site. portal/urls.py includes these at the root."""

from django.urls import path

from articles import feeds, views

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("districts/<slug:slug>/", views.district_detail, name="district-detail"),
    # Source slugs may be Chinese (厦门日报), which <slug:> rejects.
    path("sources/<str:slug>/", views.source_detail, name="source-detail"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:year>/", views.archive_year, name="archive-year"),
    path("archive/<int:year>/<int:month>/", views.archive_month, name="archive-month"),
    path("feeds/latest/", feeds.LatestArticlesFeed(), name="feed-latest"),
    path("feeds/districts/<slug:slug>/", feeds.DistrictArticlesFeed(), name="feed-district"),
    path("feeds/sources/<str:slug>/", feeds.SourceArticlesFeed(), name="feed-source"),
]
