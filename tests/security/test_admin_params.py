"""Issue 20, point 4: no admin list parameter can make a 500.

Every changelist of the admin (ours, simple-history's page of versions, Django's users and
groups) is asked with every parameter it reads (list filters, search, ordering, page, show-all,
facets, _to_field) set to hostile values: huge integers, a year past datetime's range, month 13,
non-ASCII digits, NUL bytes, lone surrogates, long strings, and values hypothesis makes up.
Each answer must be 200, 400 or Django's "?e=1" redirect (302).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importing.batch import articles_import_batch
from articles.importing.readers import RawItem
from articles.models import Article, District, ImportJob, Source

pytestmark = pytest.mark.django_db

COMMON = ["o", "p", "all", "_facets", "_to_field"]  # every changelist reads these
# The parameters each changelist reads, written out: test_every_admin_list_is_fuzzed checks
# this against the admin registry, so a new admin or filter cannot be left out silently.
LIST_PARAMS = {
    "articles.article": [
        "district__id__exact",
        "district__isnull",
        "source__id__exact",
        "source__isnull",
        "year",
        "needs_review__exact",
        "needs_review__isnull",
        "status__exact",
        "status__isnull",
        "q",
        "import_batch__id__exact",  # ImportBatchAdmin links here with it
        *COMMON,
    ],
    "articles.source": ["q", *COMMON],
    "articles.district": ["q", *COMMON],
    "articles.importbatch": ["interrupted__exact", "interrupted__isnull", *COMMON],
    "articles.importjob": ["state__exact", "state__isnull", *COMMON],
    "auth.group": ["q", *COMMON],
    "auth.user": [
        "is_staff__exact",
        "is_staff__isnull",
        "is_superuser__exact",
        "is_superuser__isnull",
        "is_active__exact",
        "is_active__isnull",
        "groups__id__exact",
        "groups__isnull",
        "q",
        *COMMON,
    ],
}
CASES = [(model, name) for model, names in LIST_PARAMS.items() for name in names]

NASTY = [
    "",
    "0",
    "-1",
    "1",
    "13",
    "32",
    "99999999999999999999",
    "-99999999999999999999",
    "9" * 400,
    "10000",
    "1e400",
    "1.5",
    "NaN",
    "inf",
    "²",  # str.isdigit() says yes, int() says no
    "٢٠٢١",  # Arabic-Indic 2021: int() accepts it
    "２０２１",  # full-width 2021
    " 2021",
    "2021\n",
    "\x00",
    "2021\x00",
    "\ud800",  # a lone surrogate: posted as its UTF-8-ish bytes
    "\udfff2021",
    "x" * 3000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%",
    "_",
    "-.",
    "0.-0.1",
    "none",
    "True",
    "湖里区",
    "🀄",
    # Reverse relations: Django's to_field_allowed read .primary_key on them (AttributeError).
    "articles",
    "user",
    "logentry",
    "import_batch",
]
HYPOTHESIS_EXAMPLES = 10  # per parameter, on top of NASTY


def query_string(name: str, value: str) -> str:
    """name=value percent-encoded as a browser might send it, lone surrogates included."""
    return f"{quote(name)}={quote(value, safe='', errors='surrogatepass')}"


def changelist_url(model: str) -> str:
    app_label, model_name = model.split(".")
    return f"/admin/{app_label}/{model_name}/"


def assert_answered(client: Client, path: str, qs: str) -> None:
    response = client.get(f"{path}?{qs}")
    assert response.status_code in (200, 302, 400), (qs[:200], response.status_code)
    if response.status_code == 302:  # Django's "invalid parameters" page, not a login
        assert response["Location"] == f"{path}?e=1", (qs[:200], response["Location"])


@pytest.fixture
def admin_client(db, django_user_model) -> Client:
    user = django_user_model.objects.create_superuser("root", password="pw-root-123")
    user.groups.add(Group.objects.create(name="编辑组"))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def articles(db) -> list[Article]:
    raw = "标题{n}\n2021-11-13 09:11:07    来源:厦门日报\n湖里区第{n}条正文，内容各不相同。\n"
    items = [RawItem(name=f"{n}.txt", raw=raw.format(n=n).encode()) for n in range(3)]
    report = articles_import_batch(items=items, default_year=None)
    found = list(Article.objects.order_by("pk"))
    assert len(found) == report.imported == 3
    Article.objects.filter(pk=found[0].pk).update(district=District.objects.first())
    ImportJob.objects.create(files=[{"name": "a.zip", "size": 1}])
    assert Source.objects.count() == 1
    return found


def test_every_admin_list_is_fuzzed(admin_client, articles, django_user_model):
    request = RequestFactory().get("/admin/")
    request.user = django_user_model.objects.get(username="root")
    found = {}
    for model, model_admin in admin.site._registry.items():
        changelist = model_admin.get_changelist_instance(request)
        names = [n for spec in changelist.filter_specs for n in spec.expected_parameters()]
        if model_admin.date_hierarchy:
            names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
        if model_admin.get_search_fields(request):
            names.append("q")
        found[model._meta.label_lower] = names
    expected = {
        model: [n for n in names if n not in (*COMMON, "import_batch__id__exact")]
        for model, names in LIST_PARAMS.items()
    }
    assert found == expected


def test_year_beyond_datetime_is_not_a_server_error(admin_client, articles):
    response = admin_client.get("/admin/articles/article/?year=99999999999999999999")
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/article/?e=1"
    assert admin_client.get("/admin/articles/article/?e=1").status_code == 200


@pytest.mark.parametrize("value", ["²", "٢٠٢١", "２０２１", "99999999999999999999", "10000"])
def test_year_filter_refuses_what_is_not_a_year(admin_client, articles, value):
    response = admin_client.get("/admin/articles/article/?" + query_string("year", value))
    assert (response.status_code, response["Location"]) == (302, "/admin/articles/article/?e=1")


def test_year_filter_still_filters(admin_client, articles):
    Article.objects.filter(pk=articles[0].pk).update(published_date="2020-05-01")
    response = admin_client.get("/admin/articles/article/?year=2020")
    assert response.status_code == 200
    assert [a.pk for a in response.context["cl"].result_list] == [articles[0].pk]


@pytest.mark.slow
@pytest.mark.parametrize(("model", "name"), CASES, ids=[f"{m}-{n}" for m, n in CASES])
def test_nasty_values(admin_client, articles, model, name):
    path = changelist_url(model)
    for value in NASTY:
        assert_answered(admin_client, path, query_string(name, value))


@pytest.mark.slow
@pytest.mark.parametrize(("model", "name"), CASES, ids=[f"{m}-{n}" for m, n in CASES])
def test_fuzzed_values(admin_client, articles, model, name):
    path = changelist_url(model)
    values = st.one_of(
        st.text(max_size=40),
        st.integers().map(str),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.from_regex(r"-?[0-9.]{1,25}", fullmatch=True),
    )

    @settings(
        max_examples=HYPOTHESIS_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(value=values, second=values)
    def check(value: str, second: str) -> None:
        assert_answered(admin_client, path, query_string(name, value))
        # The same parameter twice: the admin reads the last one, a filter may read all
        both = f"{query_string(name, value)}&{query_string(name, second)}"
        assert_answered(admin_client, path, both)

    check()


def test_history_list_pages(admin_client, articles):
    path = f"/admin/articles/article/{articles[0].pk}/history/"
    for value in NASTY:
        response = admin_client.get(f"{path}?{query_string('p', value)}")
        assert response.status_code == 200, value


def test_a_value_the_database_layer_fails_on_is_a_bad_parameter(
    admin_client, articles, monkeypatch
):
    """The list itself, not only the year filter: whatever a filter lets through to the count
    query and fails there (OverflowError, ValueError) is answered like a bad filter value."""
    from articles.admin import YearFilter

    monkeypatch.setattr(YearFilter, "year", staticmethod(lambda value: 10**20))
    response = admin_client.get("/admin/articles/article/?year=2021")
    assert (response.status_code, response["Location"]) == (302, "/admin/articles/article/?e=1")


@pytest.mark.parametrize("field", ["source", "site"])
def test_autocomplete_term_and_page(admin_client, articles, field):
    """The article form's pickers (autocomplete_fields) search the sources the same way."""
    path = f"/admin/autocomplete/?app_label=articles&model_name=article&field_name={field}"
    for value in NASTY:
        response = admin_client.get(f"{path}&{query_string('term', value)}")
        assert response.status_code == 200, value
        response = admin_client.get(f"{path}&{query_string('page', value)}")
        # Django's ListView: a page that is not a number or not there is a 404.
        assert response.status_code in (200, 404), value


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/district/?_to_field=articles",
        "/admin/articles/source/?_to_field=articles",
        "/admin/auth/user/?_to_field=logentry",
        "/admin/auth/group/?_to_field=user",
        "/admin/articles/district/1/change/?_to_field=articles",
    ],
)
def test_to_field_naming_a_reverse_relation_is_refused(admin_client, articles, url):
    """Found by the fuzzing: Django's to_field_allowed raised AttributeError (a 500) here."""
    assert admin_client.get(url).status_code == 400
