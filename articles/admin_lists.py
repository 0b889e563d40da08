"""The admin's lists refuse parameters they cannot read the way Django's own lookups do.

Django's ChangeList turns a bad lookup value into IncorrectLookupParameters (the "?e=1"
page) only where it parses the value itself. A value that a list filter passes on and the
database layer fails on later (?year=99999999999999999999: OverflowError when the year's bounds
are computed for the count query) escaped as a 500. GuardedChangeList catches those errors
where the list is built and counted, so every list answers them like any other bad filter.
GuardedListMixin puts it on every ModelAdmin of the site (ours in articles/admin.py, and
Django's users and groups, registered again there with it).
"""

from __future__ import annotations

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError

# What parsing or preparing a lookup value raises; a query that fails for another reason
# (a broken database, a bug) still reaches the error log.
BAD_VALUE_ERRORS = (ValueError, OverflowError, ValidationError)


class GuardedChangeList(ChangeList):
    """A ChangeList whose filtering and counting report a bad value as a bad parameter."""

    def get_queryset(self, request, exclude_parameters=None):
        # PostgreSQL cannot hold a NUL in text, and says so with a DataError (a 500) only
        # once the value reaches a query: no list parameter may carry one.
        if any("\x00" in key or "\x00" in value for key, value in _parameters(request)):
            raise IncorrectLookupParameters("a parameter holds a NUL character")
        try:
            return super().get_queryset(request, exclude_parameters)
        except BAD_VALUE_ERRORS as exc:
            raise IncorrectLookupParameters(exc) from exc

    def get_results(self, request):
        # The count query is where a value is first turned into SQL.
        try:
            return super().get_results(request)
        except BAD_VALUE_ERRORS as exc:
            raise IncorrectLookupParameters(exc) from exc


def _parameters(request):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value


class GuardedListMixin:
    """For every ModelAdmin of the site: lists built with GuardedChangeList, a search term
    without NUL characters (the article form's pickers search through here too), and a
    _to_field naming a reverse relation refused like any field that may not be referenced."""

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))

    def to_field_allowed(self, request, to_field):
        # Django reads .primary_key of what get_field finds; a reverse relation (?_to_field=
        # articles on the districts) has none, and the AttributeError was a 500.
        try:
            field = self.opts.get_field(to_field)
        except FieldDoesNotExist:
            return False
        if not getattr(field, "concrete", False):
            return False
        return super().to_field_allowed(request, to_field)
