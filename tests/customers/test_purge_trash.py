"""The trash empties itself: customers deleted more than 30 days ago are gone for good (with their notes,
addresses, timeline and picture); anything younger, and anything not in the trash, stays."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from kartei.customers import services
from kartei.customers.models import Address, Customer, Note
from kartei.orders.services import order_place
from kartei.timeline.models import Event
from tests.catalog.helpers import make_product
from tests.factories import make_customer, make_note

pytestmark = pytest.mark.django_db


def delete(customer, staff):
    return services.customer_delete(customer=customer, actor=staff)


def test_it_deletes_for_good_only_customers_in_the_trash_for_more_than_30_days(staff):
    now = timezone.now()
    old = delete(make_customer(staff, name="Long gone"), staff)
    recent = delete(make_customer(staff, name="Recently deleted"), staff)
    make_customer(staff, name="Still a customer")
    Customer.objects.filter(pk=old.pk).update(deleted_at=now - timedelta(days=30, minutes=1))
    Customer.objects.filter(pk=recent.pk).update(deleted_at=now - timedelta(days=29, hours=23))
    assert services.trash_purge(now=now) == 1
    assert set(Customer.objects.values_list("name", flat=True)) == {"Recently deleted", "Still a customer"}


def test_it_keeps_everything_when_nothing_is_old_enough(staff):
    delete(make_customer(staff, name="Deleted today"), staff)
    assert services.trash_purge() == 0
    assert services.trash_purge(now=timezone.now() + timedelta(days=29)) == 0
    assert Customer.objects.count() == 1


def test_it_never_purges_customers_outside_the_trash_however_old(staff):
    customer = make_customer(staff, name="Old customer")
    Customer.objects.filter(pk=customer.pk).update(created_at=timezone.now() - timedelta(days=3000))
    services.customer_set_active(customer=customer, actor=staff, active=False)
    assert services.trash_purge(now=timezone.now() + timedelta(days=365)) == 0
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_it_does_not_purge_a_customer_restored_from_the_trash(staff):
    customer = delete(make_customer(staff, name="Back again"), staff)
    services.customer_restore(customer=customer, actor=staff)
    assert services.trash_purge(now=timezone.now() + timedelta(days=60)) == 0
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_it_removes_notes_addresses_timeline_and_picture_with_the_customer(staff):
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), "red").save(buffer, "PNG")
    customer = make_customer(
        staff,
        name="Long gone",
        addresses=[{"city": "Berlin"}],
        tags=["VIP"],
        picture=SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png"),
    )
    make_note(customer, staff)
    picture = Customer.objects.get(pk=customer.pk).picture
    assert picture.storage.exists(picture.name)
    delete(customer, staff)
    assert services.trash_purge(now=timezone.now() + timedelta(days=31)) == 1
    assert not Customer.objects.exists()
    assert not Note.objects.exists() and not Address.objects.exists() and not Event.objects.exists()
    assert not picture.storage.exists(picture.name)


def test_it_counts_every_customer_it_purged(staff):
    for i in range(5):
        delete(make_customer(staff, name=f"Gone {i}"), staff)
    assert services.trash_purge(now=timezone.now() + timedelta(days=31)) == 5
    assert not Customer.objects.exists()


def test_the_task_worker_purges_the_trash_and_comes_back_the_next_day(staff):
    from django_tasks_db.models import DBTaskResult

    from kartei.customers.tasks import purge_trash_daily, schedule_trash_purge, trash_purge_due

    old = delete(make_customer(staff, name="Long gone"), staff)
    Customer.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    schedule_trash_purge()
    schedule_trash_purge()  # a second start of `kartei serve` queues nothing more
    queued = DBTaskResult.objects.filter(task_path=purge_trash_daily.module_path, status="READY")
    assert queued.count() == 1 and trash_purge_due()
    queued.update(status="SUCCESSFUL")  # as the worker marks it once it has run it

    assert purge_trash_daily.call() == 1

    assert not Customer.objects.exists()
    tomorrow = queued.get()
    assert timedelta(hours=23) < tomorrow.run_after - timezone.now() <= timedelta(days=1)
    assert not trash_purge_due(), "the next one waits for tomorrow"


def test_a_day_the_purge_fails_it_still_comes_back_the_next_day(staff, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from kartei.customers import tasks

    def broken():
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "trash_purge", broken)
    with pytest.raises(RuntimeError):
        tasks.purge_trash_daily.call()
    tomorrow = DBTaskResult.objects.get(task_path=tasks.purge_trash_daily.module_path, status="READY")
    assert timedelta(hours=23) < tomorrow.run_after - timezone.now() <= timedelta(days=1)


def test_the_trash_page_and_the_api_show_the_whole_trash_page_by_page(staff, staff_client, api, settings):
    settings.KARTEI_PAGE_SIZE = 2
    for n in range(5):
        delete(make_customer(staff, name=f"Gelöscht {n}"), staff)

    first = staff_client.get("/customers/trash/").content.decode()
    assert "Gelöscht 4" in first and "Gelöscht 3" in first and "Gelöscht 2" not in first
    more = first.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    second = staff_client.get(more, headers={"HX-Request": "true"}).content.decode()
    assert "Gelöscht 2" in second and "Gelöscht 1" in second and "<html" not in second
    assert staff_client.get("/customers/trash/?cursor=damaged").status_code == 302

    names, cursor = [], ""
    while True:
        page = api.get("/trash", limit=2, **({"cursor": cursor} if cursor else {})).json()
        names += [c["name"] for c in page["items"]]
        assert all(c["deleted_at"] for c in page["items"])
        if not (cursor := page["next_cursor"]):
            break
    assert names == [f"Gelöscht {n}" for n in (4, 3, 2, 1, 0)]
    assert api.get("/trash", cursor="damaged").status_code == 422


def test_a_customer_whose_orders_the_business_keeps_stays_in_the_trash_and_the_others_go(staff):
    bread = make_product(sku="BRT-500", base_price="3.20")
    ordered, other = make_customer(staff, name="Ordered once"), make_customer(staff, name="Never ordered")
    order = order_place(actor=staff, customer=ordered, wanted=[(bread, 1)])
    for customer in (ordered, other):
        delete(customer, staff)
    Customer.objects.update(deleted_at=timezone.now() - timedelta(days=31))

    assert services.trash_purge() == 1

    kept = Customer.objects.get()
    assert kept.name == "Ordered once" and kept.deleted_at is not None and kept.orders.get() == order
