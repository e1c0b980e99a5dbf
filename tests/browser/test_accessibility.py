"""Every page for everyone: axe-core (the npm package, as in the review) finds no serious or critical WCAG 2 A/AA
violation on any page, with its dialogs open, in English, German and Polish, on a desktop and a phone."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kartei.accounts.services import invitation_path
from kartei.catalog.models import Product
from kartei.customers import services
from kartei.customers.models import Customer
from kartei.messaging.services import message_send, reply_add
from kartei.orders.models import Coupon
from kartei.orders.services import order_place, wanted_products
from kartei.portal.services import link_create
from kartei.timeline.services import comment_add
from kartei.transfer import uploads
from kartei.transfer.models import Import
from tests.browser.test_customer_journey import PASSWORD
from tests.factories import UserFactory
from tests.messaging.helpers import deliver

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# A file whose check shows every part of the check page: new customers, columns not read, rejected rows.
CHECKED_FILE = b"Name;E-Mail;Lieblingsfarbe\nKiosk am Markt;kiosk@example.de;blau\n;kaputt;\n"
VIEWPORTS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
PAGES = [
    "/login/",
    "/customers/",
    "/customers/?view=table",
    "/customers/{id}/",
    "/customers/{id}/edit/",
    "/customers/new/",
    "/customers/trash/",
    "/customers/import/",
    "/staff/",
    "/staff/new/",
    "/account/",
    "/account/password/",
    "/staff/{member}/edit/",
    "/mentions/",
    "/messages/",
    "/activity/",
    "/activity/?kind=nothing.registered",
    "/messages/?show=review",
    "/customers/{id}/messages/",
    "/products/",
    "/products/new/",
    "/products/{product}/edit/",
    "/products/rates/",
    "/orders/",
    "/orders/{order}/",
    "/orders/new/{id}/",
    "/orders/coupons/",
]


def dialog_shown(page) -> None:
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_accessible_name(re.compile(r"\w"))  # named by its heading
    # Faded in: while it fades, its colours blend with the page behind it.
    page.wait_for_function("getComputedStyle(document.getElementById('modal')).opacity === '1'")


def violations(page) -> list[str]:
    """The serious and critical WCAG 2 A/AA violations axe-core finds on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """axe.run({runOnly: ['wcag2a', 'wcag2aa']}).then(r => r.violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))"""
    )
    return found


@pytest.mark.parametrize("lang", ["en", "de", "pl"])
@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
def test_no_page_has_a_serious_accessibility_violation(browser, live_server, owner, lang, viewport):
    call_command("demo", "--customers", "40", "--no-login", stdout=io.StringIO())
    gone = Customer.objects.order_by("id").first()
    services.customer_delete(customer=gone, actor=owner)
    customer = Customer.objects.filter(deleted_at=None).order_by("id").first()
    product = Product.objects.get(sku="KAF-1000")  # of the demo catalog: a fixed price in złoty, rates for others
    wanted, _unknown = wanted_products([("KAF-1000", 2), ("BRT-500", 6)])
    Coupon.objects.create(code="ZEHN", percent=10)
    order = order_place(actor=owner, customer=customer, wanted=wanted, coupon_code="ZEHN", comment="Hintereingang")
    token = link_create(actor=owner, customer=customer)
    piotr = UserFactory(username="piotr")  # staff, not an owner
    comment_add(actor=piotr, customer=customer, text="@olga, the samples: @KAF-1000")
    reply_token = deliver(message_send(actor=owner, customer=customer, subject="Angebot", body="Guten Tag"))
    reply_add(customer=customer, text="Danke, passt.")
    reply_add(customer=customer, text="Ich auch", channel="email", sender="someone@else.example")
    message_send(actor=owner, customer=customer, subject="Noch eins", body="Hallo")  # queued: "Sending"
    # The test's own script is injected, so the page's Content-Security-Policy is set aside for it.
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    try:
        found = {}
        page.goto(live_server.url + "/login/")
        found["/login/"] = violations(page)
        page.fill("#id_username", "olga")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        expect(page).to_have_url(live_server.url + "/customers/")
        for path in PAGES[1:]:
            page.goto(
                live_server.url + path.format(id=customer.pk, product=product.pk, order=order.pk, member=piotr.pk)
            )
            page.wait_for_load_state("networkidle")
            found[path] = violations(page)

        page.goto(live_server.url + f"/staff/{piotr.pk}/edit/")
        page.locator("[hx-get$='/active/'][data-opens-modal]").click()  # deactivating a colleague
        dialog_shown(page)
        found["deactivate colleague dialog"] = violations(page)
        page.goto(live_server.url + "/customers/")
        page.locator("[data-opens-modal]").first.click()  # the quick-add dialog
        dialog_shown(page)
        found["quick-add dialog"] = violations(page)
        page.goto(live_server.url + f"/customers/{customer.pk}/")
        page.locator("[hx-get$='/delete/'][data-opens-modal]").click()
        dialog_shown(page)
        found["delete dialog"] = violations(page)
        page.goto(live_server.url + f"/customers/{customer.pk}/")
        page.locator("#customer-messages [data-opens-modal]").click()  # the message dialog
        dialog_shown(page)
        page.locator("#modal button[type=submit]").click()  # sent empty: the problems next to the fields
        expect(page.locator("#id_subject-errors")).to_be_visible()
        found["message dialog with problems"] = violations(page)
        page.goto(live_server.url + f"/customers/{customer.pk}/")
        page.locator("#comment-text").press_sequentially("@p")  # colleagues, customers and products to mention
        expect(page.get_by_role("listbox")).to_be_visible()
        found["mention list"] = violations(page)
        page.goto(live_server.url + "/products/")
        page.locator("a[href^='/products/prices/'][data-opens-modal]").click()  # the price change dialog
        dialog_shown(page)
        found["price change dialog"] = violations(page)
        page.goto(live_server.url + f"/orders/{order.pk}/")
        page.locator("a[href$='?to=cancelled'][data-opens-modal]").click()
        dialog_shown(page)
        found["cancel order dialog"] = violations(page)
        page.goto(live_server.url + f"/orders/new/{customer.pk}/")
        page.fill("#order-lines", "KAF-1000 1\nNOPE 2")
        page.fill("#order-coupon", "FAKE")
        page.locator("button[value=check]").click()
        expect(page.locator("#order-lines-errors")).to_be_visible()
        found["order form with problems"] = violations(page)
        page.goto(live_server.url + f"/quick/{token}/")
        page.locator("#offers form button[type=submit]").first.click()
        expect(page.locator("#cart form").first).to_be_visible()
        found["quick-order page"] = violations(page)
        page.goto(live_server.url + f"/quick/{token}/orders/{order.pk}/")
        found["quick-order confirmation"] = violations(page)
        page.goto(live_server.url + "/quick/no-such-link/")
        found["wrong quick-order link"] = violations(page)
        page.goto(live_server.url + f"/m/{reply_token}/")
        found["reply page"] = violations(page)
        page.locator("main button[type=submit]").click()  # an empty reply
        expect(page.locator("#reply-errors")).to_be_visible()
        found["reply page with a problem"] = violations(page)
        page.goto(live_server.url + "/m/no-such-link/")
        found["wrong reply link"] = violations(page)
        page.goto(live_server.url + "/customers/import/")
        page.locator("#import-file").set_input_files(
            files=[{"name": "k.csv", "mimeType": "text/csv", "buffer": CHECKED_FILE}]
        )
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".import-counts")).to_be_visible()
        found["import check"] = violations(page)
        queued = Import.objects.create(file_name="k.csv", state="queued", rows_total=100_000)
        page.goto(live_server.url + f"/customers/import/{queued.pk}/")
        found["import progress"] = violations(page)
        checking = uploads.keep_rows("k.csv", ["Name"], [["Kiosk"]] * 10)
        uploads.note(checking, checking={"started": None, "done": 4, "total": 10})
        page.goto(live_server.url + f"/customers/import/{checking}/check/")
        found["import checking"] = violations(page)

        # Logged out: an invitation link; then a colleague who is not an owner, adding staff.
        context.clear_cookies()
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        page.goto(live_server.url + invitation_path(UserFactory(username="neu")))
        expect(page.locator("main form")).to_be_visible()
        found["invitation"] = violations(page)
        page.goto(live_server.url + "/login/")
        page.fill("#id_username", "piotr")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        expect(page).to_have_url(live_server.url + "/customers/")
        assert page.goto(live_server.url + "/staff/new/").status == 403
        found["not allowed (403)"] = violations(page)
    finally:
        context.close()

    assert {where: v for where, v in found.items() if v} == {}
