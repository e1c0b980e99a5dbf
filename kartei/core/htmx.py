"""Helpers for views that answer htmx requests with a partial of the same template."""

import json

from django.http import HttpResponse
from django.shortcuts import render


def render_page(request, template: str, context: dict, *, partial: str | None = None, status: int = 200):
    """The whole page, or for an htmx request the named partial of the same template."""
    name = f"{template}#{partial}" if partial and request.htmx and not request.htmx.boosted else template
    return render(request, name, context, status=status)


def htmx_done(*, events: dict | None = None, redirect: str | None = None) -> HttpResponse:
    """An empty answer to an htmx request that tells the page what happened (close the dialog, refresh)."""
    response = HttpResponse(status=204 if not redirect else 200)
    if events:
        response["HX-Trigger"] = json.dumps(events)
    if redirect:
        response["HX-Redirect"] = redirect
    return response
