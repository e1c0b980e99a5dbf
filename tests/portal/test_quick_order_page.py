"""A customer opens their personal link without logging in: the catalog at their own prices, in their language
and currency; a cart kept across reloads; pasted lines; order again; the order placed once, priced on the
server, confirmed by e-mail in their language. Wrong links reveal nothing; many wrong links get 429."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from kartei.catalog.models import ExchangeRate, Product
from kartei.catalog.queries import catalog_version
from kartei.catalog.services import prices_change
from kartei.core.formatting import money
from kartei.orders.models import Order, Source
from kartei.portal import views
from kartei.portal.models import QuickOrderLink
from kartei.portal.services import link_create, link_customer, link_revoke, token_hash
from kartei.timeline.models import Event
from tests.catalog.helpers import make_product
from tests.factories import make_customer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("translations")]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def shop():
    ExchangeRate.objects.create(currency="PLN", rate=Decimal("4.30"))
    bread = make_product(sku="BRT-500", name_de="Roggenbrot", name_pl="Chleb żytni", name_en="Rye bread",
                         base_price="3.20", pack_size=6)  # fmt: skip
    coffee = make_product(sku="KAF-1000", name_de="Kaffee", name_pl="Kawa", base_price="18.90",
                          prices={"PLN": "79.00"})  # fmt: skip
    customer = make_customer(name="Sklep Ewa", email="ewa@sklep.example.pl", discount_percent="10",
                             preferred_currency="PLN", preferred_language="pl",
                             addresses=[{"street": "ul. Długa 1", "city": "Gdańsk", "country": "PL"}])  # fmt: skip
    token = link_create(actor=None, customer=customer)
    return {"customer": customer, "bread": bread, "coffee": coffee, "url": f"/quick/{token}/", "token": token}


def test_the_link_opens_the_catalog_at_the_customers_prices_in_their_language(shop):
    page = Client().get(shop["url"])

    assert page.status_code == 200 and page["Content-Language"] == "pl"
    text = page.content.decode()
    assert "Chleb żytni" in text and "13,76\xa0zł" in text and "12,38\xa0zł" in text  # list price struck, theirs
    assert "71,10\xa0zł" in text and "Sklep Ewa" in text
    assert page["X-Robots-Tag"] == "noindex, nofollow" and page["Referrer-Policy"] == "same-origin"


def test_only_a_hash_of_the_token_is_stored_and_it_has_256_random_bits(shop):
    link = QuickOrderLink.objects.get()
    assert link.token_hash == token_hash(shop["token"]) and shop["token"] not in link.token_hash
    assert len(shop["token"]) >= 43


def test_opening_the_link_with_get_or_head_changes_nothing(shop):
    before = (Event.objects.count(), QuickOrderLink.objects.get().last_used_at)
    client = Client()
    assert client.head(shop["url"]).status_code == 200
    assert client.get(shop["url"]).status_code == 200
    assert client.get(shop["url"] + "orders/1/").status_code == 302
    assert (Event.objects.count(), QuickOrderLink.objects.get().last_used_at) == before
    assert not Order.objects.exists()


def test_a_customer_fills_the_cart_pastes_lines_and_orders_once(shop):
    client = Client()
    client.post(shop["url"] + "cart/", {"product": shop["bread"].pk, "quantity": "6", "add": "1"})
    pasted = client.post(shop["url"] + "paste/", {"lines": "KAF-1000 2\nNOPE 1\nkawa"}, headers={"HX-Request": "true"})
    assert pasted.status_code == 422
    assert "NOPE" in pasted.content.decode() and "Wiersz 3" in pasted.content.decode()

    reloaded = client.get(shop["url"]).content.decode()  # the cart survives a reload
    assert "216,48\xa0zł" in reloaded  # 6 × 12.38 + 2 × 71.10
    page = client.get(shop["url"]).content.decode()
    submission = page.split('name="submission" value="')[1].split('"')[0]
    order_form = {"submission": submission, "address": "0", "comment": "Proszę dzwonić", "delivery_date": ""}
    first = client.post(shop["url"] + "order/", order_form)
    again = client.post(shop["url"] + "order/", order_form)  # a double click or a reload

    order = Order.objects.get()
    assert first["Location"] == again["Location"] == f"{shop['url']}orders/{order.pk}/"
    assert (order.total, order.source, order.currency, order.comment) == (Decimal("216.48"), Source.QUICK_ORDER,
                                                                          "PLN", "Proszę dzwonić")  # fmt: skip
    assert order.delivery_address["city"] == "Gdańsk"
    confirmation = client.get(first["Location"]).content.decode()
    assert order.number in confirmation and "Dziękujemy" in confirmation
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ewa@sklep.example.pl"]
    assert order.number in mail.outbox[0].subject and "Zamówienie" in mail.outbox[0].subject
    assert "216,48\xa0zł" in mail.outbox[0].body
    event = Event.objects.get(kind="order.placed")
    assert event.actor_type == "customer" and event.text().startswith("The customer placed order")
    assert QuickOrderLink.objects.get().last_used_at is not None
    assert "Twój koszyk jest pusty" in client.get(shop["url"]).content.decode()


def test_prices_are_computed_on_the_server_whatever_the_browser_sends(shop):
    client = Client()
    client.post(shop["url"] + "cart/", {"product": shop["coffee"].pk, "quantity": "1", "price": "0.01"})
    client.post(shop["url"] + "order/", {"submission": "x", "total": "0.01"})

    assert Order.objects.get().total == Decimal("71.10")


def test_a_product_retired_meanwhile_is_named_and_the_rest_of_the_cart_stays(shop):
    client = Client()
    client.post(shop["url"] + "cart/", {"product": shop["bread"].pk, "quantity": "6"})
    client.post(shop["url"] + "cart/", {"product": shop["coffee"].pk, "quantity": "1"})
    shop["coffee"].is_active = False
    shop["coffee"].save()

    refused = client.post(shop["url"] + "order/", {"submission": "y"})

    assert refused.status_code == 422 and "KAF-1000 nie jest już w ofercie." in refused.content.decode()
    assert not Order.objects.exists()
    assert "Chleb żytni" in client.get(shop["url"]).content.decode()


def test_order_again_fills_the_cart_at_todays_prices(shop):
    client = Client()
    client.post(shop["url"] + "cart/", {"product": shop["bread"].pk, "quantity": "12"})
    client.post(shop["url"] + "order/", {"submission": "z"})
    first = Order.objects.get()
    shop["bread"].base_price = Decimal("4.00")
    shop["bread"].save()

    cart = client.post(shop["url"] + f"again/{first.pk}/", headers={"HX-Request": "true"}).content.decode()

    assert "185,76\xa0zł" in cart  # 12 × (4.00 × 4.30 less 10 %)


def test_the_page_asks_where_to_deliver_once_the_cart_holds_something_and_lists_the_last_orders(shop):
    client = Client()
    catalog_version()  # named once, when the first page is shown
    with CaptureQueriesContext(connection) as first_look:
        page = client.get(shop["url"]).content.decode()
    assert 'id="portal-address"' not in page and "ostatnie zamówienia" not in page
    read = [q["sql"] for q in first_look.captured_queries]
    assert not any("customers_address" in sql for sql in read), "an empty cart asks for no address"
    assert sum("kartei_cache" in sql for sql in read) == 1, "the wrong links and the catalog's version at once"
    mine = [sql for sql in read if "kartei_cache" not in sql and "catalog_" not in sql]  # the catalog is shared
    assert len(mine) == 1, "one query for the customer: their link's, with their last orders"

    client.post(shop["url"] + "cart/", {"product": shop["bread"].pk, "quantity": "6"})
    page = client.get(shop["url"]).content.decode()
    assert 'id="portal-address"' in page and "ul. Długa 1" in page

    client.post(shop["url"] + "order/", {"submission": "a"})
    page = client.get(shop["url"]).content.decode()
    assert "ostatnie zamówienia" in page and Order.objects.get().number in page

    with CaptureQueriesContext(connection) as first_look_again:
        page = Client().get(shop["url"]).content.decode()
    order = Order.objects.get()
    with translation.override("pl"):
        shown = [order.number, date_format(timezone.localtime(order.created_at), "SHORT_DATE_FORMAT"),
                 money(order.total, order.currency), f"/again/{order.pk}/"]  # fmt: skip
    assert "ostatnie zamówienia" in page and all(part in page for part in shown), shown
    assert len(first_look_again.captured_queries) == 2, "the cache's and the link's, with the last orders"


@pytest.mark.parametrize("cart", ["empty", "filled", "refused"])
def test_each_of_the_last_orders_can_be_ordered_again_from_the_page(shop, cart):
    client = Client()
    for submission in ("first", "second"):
        client.post(shop["url"] + "cart/", {"product": shop["bread"].pk, "quantity": "6"})
        client.post(shop["url"] + "order/", {"submission": submission})
    if cart != "empty":
        client.post(shop["url"] + "cart/", {"product": shop["coffee"].pk, "quantity": "1"})
    if cart == "refused":  # the page again, with what was wrong with the order
        Product.objects.filter(pk=shop["coffee"].pk).update(is_active=False)
        response = client.post(shop["url"] + "order/", {"submission": "third", "delivery_date": "gestern"})
        assert response.status_code == 422
    else:
        response = client.get(shop["url"])

    page = response.content.decode()
    newest, older = Order.objects.order_by("-created_at", "-id")
    forms = re.findall(r'<form method="post" action="([^"]+)" hx-post="([^"]+)"[^>]*><input type="hidden" '
                       r'name="csrfmiddlewaretoken" value="([^"]+)"', page)  # fmt: skip
    again = [(action, token) for action, htmx, token in forms if "/again/" in action and action == htmx]
    assert [action for action, _token in again] == [f"{shop['url']}again/{o.pk}/" for o in (newest, older)]
    assert page.index(newest.number) < page.index(older.number)
    marks = [views._TOKEN_MARK, views._CSRF_MARK, views._PREVIOUS_MARK, *views._ORDER_MARKS.values()]
    assert not any(mark in page for mark in marks) and all(len(token) == 64 for _action, token in again)
    posted = client.post(again[1][0], {"csrfmiddlewaretoken": again[1][1]}, headers={"HX-Request": "true"})
    assert posted.status_code == 200 and "Chleb żytni" in posted.content.decode()


def test_the_page_lists_the_five_newest_orders(shop):
    from kartei.orders.services import order_place
    from kartei.timeline.actors import CUSTOMER

    placed = [order_place(actor=CUSTOMER, customer=shop["customer"], wanted=[(shop["bread"], 6 * n)])
              for n in range(1, 7)]  # fmt: skip

    page = Client().get(shop["url"]).content.decode()

    listed = re.findall(r"/again/(\d+)/", page)[::2]  # each order's form names its link twice
    assert listed == [str(order.pk) for order in reversed(placed[1:])]


def test_the_customer_can_switch_the_language(shop):
    client = Client()
    client.post(shop["url"] + "language/", {"language": "de"})

    page = client.get(shop["url"])
    assert page["Content-Language"] == "de" and "Roggenbrot" in page.content.decode()


@pytest.mark.parametrize("case", ["unknown", "revoked", "replaced", "expired", "deactivated", "deleted", "huge"])
def test_a_link_that_does_not_work_gets_the_same_page_revealing_nothing(shop, case):
    from kartei.customers.services import customer_delete, customer_set_active

    url = shop["url"]
    customer = shop["customer"]
    if case == "unknown":
        url = "/quick/" + "A" * 43 + "/"
    elif case == "revoked":
        link_revoke(actor=None, customer=customer)
    elif case == "replaced":
        link_create(actor=None, customer=customer)
    elif case == "expired":
        QuickOrderLink.objects.update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    elif case == "deactivated":
        customer_set_active(customer=customer, actor=None, active=False)
    elif case == "deleted":
        customer_delete(customer=customer, actor=None)
    elif case == "huge":
        url = "/quick/" + "A" * 5000 + "/"

    response = Client().get(url, headers={"Accept-Language": "de"})

    assert response.status_code == 404
    text = response.content.decode()
    assert "Dieser Link funktioniert nicht" in text and "Sklep Ewa" not in text and "Chleb" not in text
    assert Client().post(url + "order/", {"submission": "q"}).status_code == 404
    assert not Order.objects.exists()


def test_more_than_twenty_wrong_links_a_minute_from_one_address_get_429(shop):
    client = Client()
    for n in range(20):
        assert client.get(f"/quick/wrong-{n}/").status_code == 404
    assert client.get("/quick/wrong-21/").status_code == 429
    assert client.get(shop["url"]).status_code == 429  # even a right one, for the minute
    assert Client(REMOTE_ADDR="10.0.0.9").get(shop["url"]).status_code == 200


def test_the_link_resolves_only_its_customer(shop):
    assert link_customer(shop["token"]) == shop["customer"]
    assert link_customer(shop["token"][:-1]) is None
    assert link_customer("") is None


def test_a_link_works_until_its_expiry(shop):
    QuickOrderLink.objects.update(expires_at=timezone.now() + timezone.timedelta(minutes=1))
    assert Client().get(shop["url"]).status_code == 200

    QuickOrderLink.objects.update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert Client().get(shop["url"]).status_code == 404


def test_product_images_show_on_the_page_without_a_login_and_customer_pictures_do_not(shop, staff):
    from kartei.catalog.services import product_update
    from kartei.customers.services import customer_update
    from tests.customers.test_customer_picture import image_file

    bread = product_update(actor=None, product=shop["bread"], data={"image": image_file("brot.png")})
    customer = customer_update(customer=shop["customer"], actor=staff, data={"picture": image_file("ewa.png")})

    page = Client().get(shop["url"]).content.decode()
    assert bread.image.url in page
    assert Client().get(bread.image.url).status_code == 200
    assert Client().get(customer.picture.url).status_code == 302  # to the login


def test_staff_and_the_customers_link_show_exactly_the_same_prices(shop, staff_client):
    """One pricing function: the order staff check for the customer and the customer's own page agree."""
    customer = shop["customer"]
    staff_page = staff_client.post(f"/orders/new/{customer.pk}/", {"lines": "BRT-500 6\nKAF-1000 1",
                                                                    "action": "check"}).content.decode()  # fmt: skip
    shop_page = Client().get(shop["url"], headers={"Accept-Language": "en"}).content.decode()

    for amount in ("12.38", "71.10"):  # staff read English, the customer's page is in Polish
        assert f"PLN{amount}" in staff_page
        with translation.override("pl"):
            assert money(Decimal(amount), "PLN") in shop_page


def test_the_page_shows_the_business_name_and_logo(shop, settings):
    settings.KARTEI_BUSINESS_NAME = "Hurtownia Nowak"
    settings.KARTEI_BUSINESS_LOGO = "/media/products/logo.png"

    page = Client().get(shop["url"]).content.decode()

    assert "Hurtownia Nowak" in page and 'src="/media/products/logo.png"' in page


def test_customers_with_the_same_prices_share_the_catalog_but_each_page_carries_its_own_link_and_form_token(shop):
    other = make_customer(name="Sklep Anna", discount_percent="10", preferred_currency="PLN", preferred_language="pl")
    other_token = link_create(actor=None, customer=other)
    first, second = Client(), Client()

    ewa = first.get(shop["url"]).content.decode()
    anna = second.get(f"/quick/{other_token}/").content.decode()

    assert "12,38\xa0zł" in ewa and "12,38\xa0zł" in anna
    assert shop["token"] not in anna and f"/quick/{other_token}/cart/" in anna
    assert other_token not in ewa and f"{shop['url']}cart/" in ewa
    form_token = first.cookies["csrftoken"].value
    response = first.post(f"{shop['url']}cart/", {"product": shop["bread"].pk, "quantity": 6, "add": 1,
                                                  "csrfmiddlewaretoken": _form_token(ewa)})  # fmt: skip
    assert form_token and response.status_code == 302


def test_customers_with_the_same_prices_share_the_page_each_with_their_own_name_and_last_orders(shop):
    anna = make_customer(name='Sklep <b>"Anna" & Co</b>', discount_percent="10", preferred_currency="PLN",
                         preferred_language="pl")  # fmt: skip
    anna_url = f"/quick/{link_create(actor=None, customer=anna)}/"
    ewa = Client()
    ewa.post(f"{shop['url']}cart/", {"product": shop["bread"].pk, "quantity": 6})
    ewa.post(f"{shop['url']}order/", {"submission": "a"})
    order = Order.objects.get()

    anna_page = Client().get(anna_url).content.decode()
    ewa_page = Client().get(shop["url"]).content.decode()

    assert "Sklep &lt;b&gt;&quot;Anna&quot; &amp; Co&lt;/b&gt;" in anna_page and "<b>" not in anna_page
    assert "Sklep Ewa" not in anna_page and "ostatnie zamówienia" not in anna_page and order.number not in anna_page
    assert "Zamówienie dla Sklep Ewa" in ewa_page and "Anna" not in ewa_page
    assert "ostatnie zamówienia" in ewa_page and f'hx-post="{shop["url"]}again/{order.pk}/"' in ewa_page
    tokens = ewa_page.split('name="csrfmiddlewaretoken" value="')[1:]
    assert len({t.split('"', 1)[0] for t in tokens}) == 1 and len(tokens[-1].split('"', 1)[0]) == 64


def _form_token(page: str) -> str:
    return page.split('name="csrfmiddlewaretoken" value="', 2)[2].split('"', 1)[0]  # one in a product's form


def test_a_price_changed_by_staff_shows_on_the_next_page_view(shop, django_capture_on_commit_callbacks):
    assert "12,38\xa0zł" in Client().get(shop["url"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        prices_change(actor=None, products=Product.objects.filter(pk=shop["bread"].pk), percent=Decimal("10"))

    assert "13,63\xa0zł" in Client().get(shop["url"]).content.decode()  # 3.52 € × 4.30 = 15.14 zł, less 10 %


def test_each_view_of_the_page_gets_its_own_submission_so_two_orders_are_two(shop):
    client = Client()

    def submission(page):
        return page.split('name="submission" value="', 1)[1].split('"', 1)[0] if "submission" in page else None

    client.post(f"{shop['url']}cart/", {"product": shop["bread"].pk, "quantity": 6, "add": 1})
    first, second = client.get(shop["url"]).content.decode(), client.get(shop["url"]).content.decode()
    assert submission(first) and submission(second) and submission(first) != submission(second)
    assert "12,38\xa0zł" in second and "74,28\xa0zł" in second  # the cart: 6 × 12.38 zł


def test_a_damaged_more_products_link_goes_back_to_the_catalog(shop):
    response = Client().get(shop["url"], {"cursor": "not-a-cursor"})

    assert response.status_code == 302 and response["Location"] == shop["url"]
