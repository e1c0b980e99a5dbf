"""Customer pages. Each view parses the request, calls one query or service, and renders."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from kartei.accounts.queries import is_owner
from kartei.catalog.pricing import base_currency
from kartei.core import formatting
from kartei.core.errors import ConflictError
from kartei.core.htmx import htmx_done, render_page
from kartei.core.pagination import BadCursor
from kartei.messaging.queries import conversation_card
from kartei.orders.queries import customer_orders
from kartei.timeline.mentions import PICKS_MAX, Pick
from kartei.timeline.models import Comment
from kartei.timeline.queries import events_page
from kartei.timeline.registry import event_types
from kartei.timeline.services import comment_add
from kartei.timeline.services import comment_delete as comment_remove

from . import queries, services
from .forms import (
    ADDRESS_LABELS,
    AddressFormSet,
    CustomerForm,
    CustomerQuickForm,
    NoteForm,
    addresses_from,
    tag_names_in,
)
from .home import home
from .models import Customer, Note, Status, Temperature

VIEWS = ("cards", "table")
TIMELINE_EVENTS = 20  # the newest, on the customer page


def _view_mode(request) -> str:
    """Cards or table: what the user asked for, remembered for next time."""
    asked = request.GET.get("view")
    remembered = request.session.get("customer_view", "cards")
    if asked in VIEWS and asked != remembered:
        request.session["customer_view"] = asked
    return asked if asked in VIEWS else remembered


@vary_on_headers("HX-Request")
def customer_list(request):
    f = queries.CustomerFilter.from_query(request.GET)
    mode = _view_mode(request)
    cursor = request.GET.get("cursor") or None
    section = request.GET.get("section")
    context = {"filter": f, "mode": mode, "temperatures": Temperature.choices, "statuses": Status.choices,
               "base_currency": base_currency()}  # fmt: skip
    try:
        if cursor:
            # "Show more": the next page of one list, appended below the rows already shown.
            status = _section_status(section)
            rows, next_cursor = queries.customer_page(f, cursor=cursor, status=status, limit=settings.KARTEI_PAGE_SIZE)
            queries.with_card_details(rows)
            context["section"] = {
                "key": section or "all",
                "customers": rows,
                "next_cursor": next_cursor,
                "continued": True,
            }
            return render(request, f"customers/list.html#{'rows' if mode == 'table' else 'cards'}", context)
        context["sections"] = _sections(f, mode)
    except BadCursor:
        return redirect(reverse("customers:list"))
    context["is_empty_file"] = (
        not f.is_narrowed()
        and not any(s["customers"] for s in context["sections"])
        and not Customer.objects.filter(deleted_at__isnull=True).exists()
    )
    context["tags"] = queries.tag_choices(chosen=f.tags)
    # The home page: what needs attention, above the whole list, fetched once the list is shown.
    context["home"] = not f.is_narrowed() and not context["is_empty_file"]
    return render_page(request, "customers/list.html", context, partial="results")


def home_panel(request):
    """What needs attention now (customers/home.py): the panel above the whole list."""
    return render(request, "customers/_home.html", home())


def _sections(f: queries.CustomerFilter, mode: str) -> list[dict]:
    size = settings.KARTEI_PAGE_SIZE
    if mode == "table" or f.status:
        title = dict(Status.choices).get(f.status) if mode == "cards" else None
        rows, next_cursor = queries.customer_page(f, limit=size)
        sections = [_section(f.status or "all", title, rows, next_cursor)]
    else:
        # Both lists on one screen: half a page each, so that the leads are in sight without scrolling far.
        pages = queries.first_pages_by_status(f, [Status.CURRENT, Status.POTENTIAL], limit=size // 2)
        sections = [
            _section(Status.CURRENT, _("Current customers"), *pages[Status.CURRENT]),
            _section(Status.POTENTIAL, _("Potential customers"), *pages[Status.POTENTIAL]),
        ]
        if f.is_narrowed():
            # A search shows the lists it found someone in; finding no one is said once.
            sections = [s for s in sections if s["customers"]] or [_section("all", None, [], None)]
    queries.with_card_details([c for s in sections for c in s["customers"]])
    return sections


def _section_status(key: str | None) -> str | None:
    """The status a list of the customers page shows ("current", "potential"), None for the table's "all"."""
    return key if key in Status.values else None


def _section(key: str, title: str | None, rows: list, next_cursor: str | None) -> dict:
    # A list that fits on its first page is counted already; a longer one is counted by customer_count, which
    # the page asks for once it shows the customers (counting can take longer than finding the first page).
    count = None if next_cursor else len(rows)
    return {"key": key, "title": title, "customers": rows, "next_cursor": next_cursor, "count": count, "more": False}


def customer_count(request):
    """How many customers one list of the customers page holds, counted up to a bound."""
    section = request.GET.get("section")
    count, more = queries.bounded_count(queries.CustomerFilter.from_query(request.GET), status=_section_status(section))
    return render(request, "customers/_count.html", {"section": {"count": count, "more": more}})


def _customer_or_404(pk: int) -> Customer:
    try:
        return queries.customer_detail(pk)
    except Customer.DoesNotExist:
        raise Http404 from None


@vary_on_headers("HX-Request")
def customer_detail(request, pk: int):
    customer = _customer_or_404(pk)
    kind = request.GET.get("kind") or ""
    kind = kind if event_types.is_filter(kind) else ""
    cursor = request.GET.get("cursor") or None
    if request.htmx and ("kind" in request.GET or cursor):
        # The timeline narrowed to a kind, or its next page as the user scrolls down to it.
        try:
            events, next_cursor = events_page(customer.pk, kind=kind, cursor=cursor, limit=TIMELINE_EVENTS)
        except BadCursor:
            events, next_cursor = events_page(customer.pk, kind=kind, limit=TIMELINE_EVENTS)
        context = {"customer": customer, "events": events, "next_cursor": next_cursor, "kind": kind}
        return render(request, "customers/detail.html#timeline-events", context)
    try:
        context = _detail_context(customer, kind=kind, cursor=cursor)
    except BadCursor:
        return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/detail.html", context)


def _detail_context(customer: Customer, note_form: NoteForm | None = None, kind: str = "", cursor=None) -> dict:
    events, next_cursor = events_page(customer.pk, kind=kind, cursor=cursor, limit=TIMELINE_EVENTS)
    return {
        "customer": customer,
        "notes": queries.notes_in_order(customer),
        "note_form": note_form or NoteForm(),
        "events": events,
        "next_cursor": next_cursor,
        "kind": kind,
        "event_families": event_types.families(),
        "orders": customer_orders(customer),
        "attachment_max": settings.KARTEI_ATTACHMENT_MAX_BYTES,
        **conversation_card(customer),
    }


def _form_context(form, formset, **extra) -> dict:
    duplicate = None
    for error in form.errors.as_data().get("email", []):
        if error.code == "duplicate_email":
            duplicate = {"id": error.params["customer_id"], "name": error.params["name"]}
    return {
        "form": form,
        "addresses": formset,
        "address_labels": ADDRESS_LABELS,
        "duplicate": duplicate,
        "tags": queries.tag_choices(),
        "currencies": ("EUR", "PLN", "GBP", "CHF", "USD", "CZK", "SEK", "DKK", "NOK", "HUF"),
        **extra,
    }


def _apply_errors(form, formset, error: ValidationError) -> None:
    """Put a service's errors next to the fields they concern, keeping everything typed."""
    for field, errors in error.error_dict.items():
        if field == "addresses":
            formset._non_form_errors = formset.error_class(sum((e.messages for e in errors), []))
        elif field == "tags":
            form.add_error(None, errors)
        elif field in form.fields:
            form.add_error(field, errors)
        else:
            form.add_error(None, errors)


# What the quick-add dialog carries over to the full form ("All fields"): kept in the session, not in the
# address, where a long note would not fit and contact details would end up in the browser's history and logs.
NO_ADDRESSES = {"addresses-TOTAL_FORMS": "0", "addresses-INITIAL_FORMS": "0"}
CARRIED_TO_ALL_FIELDS = ("kind", "name", "email", "phone", "status", "temperature", "tags", "tags_new", "note")
DRAFT = "customer_draft"


def customer_create(request):
    quick = request.htmx and request.GET.get("quick") == "1"
    form_class = CustomerQuickForm if quick else CustomerForm
    formset = AddressFormSet(prefix="addresses")
    if request.method == "POST" and quick and "all_fields" in request.POST:
        # "All fields": the full form, with what was typed so far.
        request.session[DRAFT] = {f: request.POST.getlist(f) for f in CARRIED_TO_ALL_FIELDS if request.POST.get(f)}
        return htmx_done(redirect=f"{reverse('customers:create')}?draft=1")
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if not quick:
            # The quick-add dialog's fields, posted before the page's scripts ran, carry no addresses.
            posted = request.POST if "addresses-TOTAL_FORMS" in request.POST else NO_ADDRESSES
            formset = AddressFormSet(posted, prefix="addresses")
        if form.is_valid() and (quick or formset.is_valid()):
            data = form.service_data()
            if not quick:
                data["addresses"] = addresses_from(formset)
            try:
                customer = services.customer_create(actor=request.user, data=data)
            except ValidationError as error:
                _apply_errors(form, formset, error)
            else:
                message = _("%(name)s was added.") % {"name": customer.name}
                if quick:
                    return htmx_done(events={"customers-changed": None, "kartei:toast": message})
                messages.success(request, message)
                return redirect("customers:detail", pk=customer.pk)
    else:
        draft = MultiValueDict(request.session.pop(DRAFT, {}) if request.GET.get("draft") else {})
        wanted_status = draft.get("status") or request.GET.get("status")
        form = form_class(
            initial={
                "preferred_currency": settings.KARTEI_DEFAULT_CURRENCY,
                **{f: draft[f] for f in CARRIED_TO_ALL_FIELDS if draft.get(f) and "tags" not in f},
                "status": wanted_status if wanted_status in Status.values else Status.POTENTIAL,
            }
        )
    template = "customers/form.html#quick-form" if quick else "customers/form.html"
    status = 422 if form.errors or (formset.is_bound and formset.total_error_count()) else 200
    if form.is_bound:
        chosen = _chosen_tags(form, None)
    else:  # carried over from the quick-add dialog
        chosen = list(dict.fromkeys(tag_names_in(draft)))[:20]
    context = _form_context(form, formset, quick=quick, chosen_tags=chosen)
    return render(request, template, context, status=status)


def customer_edit(request, pk: int):
    customer = _customer_or_404(pk)
    if request.method == "POST":
        form = CustomerForm(request.POST, request.FILES, editing=True)
        formset = AddressFormSet(request.POST, prefix="addresses")
        if form.is_valid() and formset.is_valid():
            data = form.service_data()
            data["addresses"] = addresses_from(formset)
            try:
                services.customer_update(
                    customer=customer, actor=request.user, data=data, version=form.cleaned_data.get("version")
                )
            except ValidationError as error:
                _apply_errors(form, formset, error)
            except ConflictError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Changes to %(name)s were saved.") % {"name": data["name"]})
                return redirect("customers:detail", pk=customer.pk)
    else:
        form = CustomerForm(initial=_initial(customer), editing=True)
        formset = AddressFormSet(
            prefix="addresses",
            initial=[
                {"label": a.label, "street": a.street, "postal_code": a.postal_code, "city": a.city,
                 "country": a.country.code, "is_default": a.is_default}
                for a in customer.address_list
            ],
        )  # fmt: skip
    status = 422 if form.errors or formset.total_error_count() else 200
    context = _form_context(form, formset, customer=customer, chosen_tags=_chosen_tags(form, customer))
    return render(request, "customers/form.html", context, status=status)


def _chosen_tags(form, customer: Customer | None) -> list[str]:
    if form.is_bound:
        return form.tag_names()
    return [t.name for t in customer.tag_list] if customer else []


def _initial(customer: Customer) -> dict:
    fields = ("kind", "name", "contact_person", "vat_id", "email", "phone", "status", "temperature",
              "discount_percent", "preferred_currency", "preferred_language", "marketing_consent",
              "system_notifications", "version")  # fmt: skip
    initial = {f: getattr(customer, f) for f in fields}
    initial["phone"] = formatting.phone(customer.phone)
    return initial


@require_POST
def customer_set_active(request, pk: int):
    customer = _customer_or_404(pk)
    active = request.POST.get("active") == "1"
    services.customer_set_active(customer=customer, actor=request.user, active=active)
    if active:
        messages.success(request, _("%(name)s is active again.") % {"name": customer.name})
    else:
        # Named as the filter names it, in every language.
        listed_under = pgettext("customers filter", "Inactive")
        messages.success(
            request,
            _("%(name)s is now inactive and only listed under “%(filter)s”.")
            % {"name": customer.name, "filter": listed_under},
        )
    return redirect("customers:detail", pk=pk)


def customer_delete(request, pk: int):
    customer = _customer_or_404(pk)
    if request.method == "POST":
        services.customer_delete(customer=customer, actor=request.user)
        messages.success(
            request,
            ngettext(
                "%(name)s was moved to the trash. You can restore it there for %(days)d day.",
                "%(name)s was moved to the trash. You can restore it there for %(days)d days.",
                settings.KARTEI_TRASH_DAYS,
            )
            % {"name": customer.name, "days": settings.KARTEI_TRASH_DAYS},
            extra_tags=f"undo:{customer.pk}",
        )
        return redirect("customers:list")
    context = {"customer": customer, "days": settings.KARTEI_TRASH_DAYS}
    return render_page(request, "customers/confirm_delete.html", context, partial="dialog")


def trash(request):
    cursor = request.GET.get("cursor") or None
    try:
        customers, next_cursor = queries.trash_page(cursor=cursor, limit=settings.KARTEI_PAGE_SIZE)
    except BadCursor:
        return redirect(reverse("customers:trash"))
    context = {"customers": customers, "next_cursor": next_cursor, "days": settings.KARTEI_TRASH_DAYS}
    if cursor:  # "Show more": the next page, appended below the rows already shown
        return render(request, "customers/trash.html#rows", {**context, "continued": True})
    if is_owner(request.user):
        context["unused_tags"] = queries.unused_tags().count()
    return render(request, "customers/trash.html", context)


def tag_options(request):
    """The tags a menu offers for what was typed: the filter's checkboxes (the chosen tags kept), or with
    `for=form` the suggestions of a customer form's tag field (the part after the last comma)."""
    if request.GET.get("for") == "form":
        typed = request.GET.get("tags_new", "").rsplit(",", 1)[-1].strip()
        return render(request, "customers/_tags.html#options", {"tags": queries.tag_choices(typed[:50])})
    chosen = request.GET.getlist("tag")[:10]
    typed = request.GET.get("tag_search", "").strip()[:50]
    return render(request, "customers/list.html#tag-options", {"tags": queries.tag_choices(typed, chosen=chosen),
                                                               "filter": {"tags": chosen}})  # fmt: skip


@require_POST
def tags_unused_delete(request):
    count = services.tags_unused_delete(actor=request.user)
    messages.success(
        request, ngettext("Removed %(count)d tag no customer had.", "Removed %(count)d tags no customer had.", count)
        % {"count": count}
    )  # fmt: skip
    if request.htmx:
        return htmx_done(redirect=reverse("customers:trash"))
    return redirect("customers:trash")


@require_POST
def customer_restore(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk, deleted_at__isnull=False)
    try:
        services.customer_restore(customer=customer, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("customers:trash")
    messages.success(request, _("%(name)s was restored.") % {"name": customer.name})
    return redirect("customers:detail", pk=pk)


# Notes: every action answers with the notes section of the customer page, so htmx swaps it in place.


def _notes_section(request, customer: Customer, note_form: NoteForm | None = None, status: int = 200, focus=None):
    """The notes, after a change: `focus` is where the user goes on ("new-note", or the id of the note edited)."""
    context = {**_detail_context(customer, note_form), "focus": focus}
    if request.htmx:
        return render(request, "customers/detail.html#notes", context, status=status)
    return render(request, "customers/detail.html", context, status=status)


@require_POST
def note_create(request, pk: int):
    customer = _customer_or_404(pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            files = request.FILES.getlist("files")
            services.note_create(customer=customer, actor=request.user, text=data["text"], priority=data["priority"],
                                 files=files)  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
            return _notes_section(request, customer, form, status=422)
        if not request.htmx:
            return redirect("customers:detail", pk=pk)
        return _notes_section(request, customer, focus="new-note")
    return _notes_section(request, customer, form, status=422)


@require_POST
def comment_create(request, pk: int):
    """A comment on the customer's timeline; with an error, the timeline again with the text kept."""
    customer = _customer_or_404(pk)
    text = request.POST.get("text", "")
    picked = request.POST.getlist("mentions")[: PICKS_MAX + 1]
    try:
        picks = [Pick.parse(value) for value in picked]
        comment_add(actor=request.user, customer=customer, text=text, picks=picks,
                    files=request.FILES.getlist("files"), base_url=request.build_absolute_uri("/"))  # fmt: skip
    except ValidationError as error:
        context = {**_detail_context(customer), "comment_text": text, "comment_errors": error.messages,
                   "comment_picks": picked}  # fmt: skip
        return render(request, "customers/detail.html#timeline", context, status=422)
    if not request.htmx:
        return redirect(reverse("customers:detail", args=[pk]) + "#timeline-body")
    return render(request, "customers/detail.html#timeline", {**_detail_context(customer), "focus": "comment"})


@require_POST
def comment_delete(request, pk: int, comment_id: int):
    """Delete one's own comment; the timeline again, the focus in the comment box."""
    customer = _customer_or_404(pk)
    comment_remove(actor=request.user, comment=get_object_or_404(Comment, pk=comment_id, customer=customer))
    if not request.htmx:
        return redirect(reverse("customers:detail", args=[pk]) + "#timeline-body")
    return render(request, "customers/detail.html#timeline", {**_detail_context(customer), "focus": "comment"})


def _note_or_404(pk: int, note_id: int) -> Note:
    return get_object_or_404(Note.objects.select_related("customer"), pk=note_id, customer_id=pk,
                             customer__deleted_at__isnull=True)  # fmt: skip


def note_edit(request, pk: int, note_id: int):
    note = _note_or_404(pk, note_id)
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                services.note_update(
                    note=note,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    priority=form.cleaned_data["priority"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if not request.htmx:
                    return redirect("customers:detail", pk=pk)
                return _notes_section(request, note.customer, focus=note.pk)
        return render(request, "customers/detail.html#note-edit", {"note": note, "form": form}, status=422)
    form = NoteForm(initial={"text": note.text, "priority": note.priority})
    return render(request, "customers/detail.html#note-edit", {"note": note, "form": form})


def note_shown(request, pk: int, note_id: int):
    """One note as the customer page shows it: where "Cancel" on its edit form goes back to."""
    note = _note_or_404(pk, note_id)
    if not request.htmx:
        return redirect("customers:detail", pk=pk)
    return render(request, "customers/_note.html", {"note": note, "focus": note.pk})


@require_POST
def note_delete(request, pk: int, note_id: int):
    note = _note_or_404(pk, note_id)
    customer = note.customer
    services.note_delete(note=note, actor=request.user)
    if not request.htmx:
        return redirect("customers:detail", pk=pk)
    return _notes_section(request, customer, focus="new-note")
