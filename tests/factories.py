"""Test data, made through the services so every customer has what the app itself would give it
(search document, derived fields, timeline events)."""

import itertools

import factory
from django.contrib.auth import get_user_model

from kartei.customers import services

_numbers = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        """UserFactory(role="owner"); staff unless said otherwise (the first user would otherwise become an
        owner, as in the app)."""
        if create:
            from kartei.accounts.services import profile_of

            profile = profile_of(user)
            profile.role = extracted or "staff"
            profile.save()
            user.staff_profile = profile


def make_customer(actor=None, **data):
    """A customer created the way staff create one; `data` as the service takes it."""
    data.setdefault("name", f"Customer {next(_numbers)}")
    return services.customer_create(actor=actor, data=data)


def make_note(customer, actor=None, text="Called, wants a quote.", priority="none"):
    return services.note_create(customer=customer, actor=actor, text=text, priority=priority)


def make_customers_in_bulk(specs, actor=None, source="import"):
    """Customers inserted the way demo data and imports insert them (customers_bulk_insert), in order.

    Each spec: Customer fields (name, email, phone, created_at, ...; ids for all or none) plus optional "city"
    and "country" (one default address), "tags" (names) and "notes" [(text, priority)]."""
    from kartei.customers.models import Customer

    rows = []
    for spec in specs:
        spec = dict(spec)
        city, country = spec.pop("city", ""), spec.pop("country", "")
        tags = services.tags_for_names(spec.pop("tags", []))
        notes = spec.pop("notes", [])
        spec.setdefault("name", f"Customer {next(_numbers)}")
        address = {"label": "", "street": "", "postal_code": "", "city": city, "country": country, "is_default": True}
        addresses = [address] if city or country else []
        rows.append({"customer": spec, "addresses": addresses, "tags": tags, "notes": notes})
    ids = services.customers_bulk_insert(actor=actor, rows=rows, source=source)
    customers = Customer.objects.in_bulk(ids)
    return [customers[pk] for pk in ids]
