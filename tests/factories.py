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

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")


def make_customer(actor=None, **data):
    """A customer created the way staff create one; `data` as the service takes it."""
    data.setdefault("name", f"Customer {next(_numbers)}")
    return services.customer_create(actor=actor, data=data)


def make_note(customer, actor=None, text="Called, wants a quote.", priority="none"):
    return services.note_create(customer=customer, actor=actor, text=text, priority=priority)
