"""The admin's lists refuse parameters they cannot read the way Django's own lookups do.

Django's ChangeList turns a bad lookup value into IncorrectLookupParameters (the "?e=1"
page) only where it parses the value itself. A value that a list filter passes on and the
database layer fails on later (?year=99999999999999999999: OverflowError when the year's bounds
are computed for the count query) escaped as a 500. GuardedChangeList catches those errors
where the list is built and counted, so every list answers them like any other bad filter.
"""

from __future__ import annotations

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError

# What parsing or preparing a lookup value raises; a query that fails for another reason
# (a broken database, a bug) still reaches the error log.
BAD_VALUE_ERRORS = (ValueError, OverflowError, ValidationError)


class GuardedChangeList(ChangeList):
    """A ChangeList whose filtering and counting report a bad value as a bad parameter."""

    def get_queryset(self, request, exclude_parameters=None):
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


class GuardedListMixin:
    """For every ModelAdmin of ours: lists built with GuardedChangeList."""

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList
