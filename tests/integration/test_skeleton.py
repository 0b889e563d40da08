import pytest

from articles.models import District


@pytest.mark.django_db
def test_six_districts_are_seeded_in_order():
    assert list(District.objects.values_list("name", flat=True)) == [
        "思明区",
        "湖里区",
        "集美区",
        "海沧区",
        "同安区",
        "翔安区",
    ]
