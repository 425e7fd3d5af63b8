"""Batch actions on lists: an existing single-row action run for each selected row, all or nothing.

The list posts the chosen rows' ids (``ids``, repeated) to a batch page; the page lists the rows that will
change and the form of what changes (GET), and runs the action for every row in one transaction (POST).
If any row is refused, nothing changes and each refusal is listed, named by its row. The API's batch
routes run the same ``run_batch`` and answer 422 with one entry per refused row.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import Refused
from .permissions import NotAllowed

M = TypeVar("M", bound=Model)
MAX_ROWS = 200  # a page of a list at most; more would be a bulk import, not a batch
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Refusal:
    row: str  # the row's number or name, as the list shows it
    message: str


class BatchRefused(Refused):
    """Some rows were refused; nothing changed."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__(f"有 {len(refusals)} 项不能办理，全部未作更改。", field="ids")
        self.refusals = refusals


def selected(ids: Sequence[Any], queryset: QuerySet[M]) -> list[M]:
    """The rows of ``queryset`` among ``ids``: an id that is not one, or names a row outside the queryset
    (out of the user's scope), is left out, as a missing row would be."""
    field = queryset.model._meta.pk
    wanted = []
    for value in list(ids)[:MAX_ROWS]:
        try:
            pk = field.to_python(value)
        except ValidationError:
            continue
        if not isinstance(pk, int) or 0 < pk <= MAX_ID:
            wanted.append(pk)
    return list(queryset.filter(pk__in=wanted))


def run_batch(rows: Sequence[M], step: Callable[[M], object], name: Callable[[M], str]) -> int:
    """Run ``step`` (a single-row action, through ``scoping.perform``) for every row in one transaction;
    how many rows. If any is refused, every change is rolled back and ``BatchRefused`` lists them all."""
    if not rows:
        raise Refused("请至少选择一项。", field="ids")
    refusals: list[Refusal] = []
    with transaction.atomic():
        for row in rows:
            try:
                with transaction.atomic():
                    step(row)
            except (Refused, NotAllowed) as error:
                refusals.append(Refusal(name(row), error.message))
        if refusals:
            transaction.set_rollback(True)
    if refusals:
        raise BatchRefused(refusals)
    return len(rows)


def batch_page(
    request: HttpRequest,
    rows: Sequence[M],
    form: forms.Form,
    step_for: Callable[..., Callable[[M], object]],
    *,
    name: Callable[[M], str],
    title: str,
    back: str,
    done: str,
) -> HttpResponse:
    """The confirmation page of a batch: the rows and the form (GET); on a valid POST the batch, each row's
    step ``step_for(**form.cleaned_data)``, then back to the list with ``done`` (formatted with ``count``),
    or the page again with the refusals."""
    refusals: list[Refusal] = []
    if request.method == "POST" and form.is_valid() and rows:
        try:
            count = run_batch(rows, step_for(**form.cleaned_data), name)
        except BatchRefused as refused:
            refusals = refused.refusals
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, done.format(count=count))
            return redirect(back)
    context = {
        "title": title,
        "rows": [(row.pk, name(row)) for row in rows],
        "form": form,
        "refusals": refusals,
        "back_url": back,
    }
    return render(request, "core/batch.html", context)
