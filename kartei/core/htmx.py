"""Helpers for views that answer htmx requests with a partial of the same template."""

import json

from django.http import HttpResponse
from django.shortcuts import render


def render_page(request, template: str, context: dict, *, partial: str | None = None, status: int = 200):
    """The whole page, or for an htmx request the named partial of the same template."""
    wants_partial = request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    name = f"{template}#{partial}" if partial and wants_partial else template
    return render(request, name, context, status=status)


def htmx_done(*, events: dict | None = None, redirect: str | None = None) -> HttpResponse:
    """An empty answer to an htmx request that tells the page what happened (close the dialog, refresh)."""
    response = HttpResponse(status=204 if not redirect else 200)
    if events:
        response["HX-Trigger"] = json.dumps(events)
    if redirect:
        response["HX-Redirect"] = redirect
    return response
