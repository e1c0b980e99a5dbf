"""What the pages look like: nothing cut, broken or repeated where a user reads it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_customer_journey import log_in
from tests.factories import make_customer, make_customers_in_bulk

pytestmark = pytest.mark.django_db(transaction=True)

# Where the browser wrapped a text: the text before each line break.
LINE_ENDS = """element => {
  const text = element.textContent, ends = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let top = null, seen = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (rect && top !== null && rect.top > top + 2) ends.push(seen);
      if (rect) top = rect.top;
      seen += node.data[i];
    }
  }
  return ends;
}"""


def test_the_table_wraps_an_email_address_only_at_its_at_sign_or_dots(page, live_server):
    email = "anna.kowalska-wisniewska@przedsiebiorstwo-handlowe-kowalscy.example.pl"
    address = {"city": "Łódź", "country": "PL"}
    make_customer(name="Przedsiębiorstwo Handlowe Kowalscy", email=email, addresses=[address], tags=["Hurt", "Stały"])
    log_in(page, live_server)
    page.goto(f"{live_server.url}/customers/?view=table")
    cell = page.get_by_role("cell", name=email)
    ends = cell.evaluate(LINE_ENDS)
    assert ends, "the address is too long for one line of its column"
    for end in ends:
        assert email[len(end)] in "@." or end.endswith("@"), f"broke after {end!r}"


def test_the_table_header_stays_in_sight_while_scrolling(page, live_server):
    make_customers_in_bulk([{"name": f"Kunde {n:02}"} for n in range(60)])
    log_in(page, live_server)
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(f"{live_server.url}/customers/?view=table")
    page.get_by_role("cell", name="Kunde 40", exact=True).scroll_into_view_if_needed()
    header = page.get_by_role("columnheader", name="Email").bounding_box()
    navbar = page.locator("nav.navbar").bounding_box()
    assert navbar["y"] + navbar["height"] - 1 <= header["y"] <= navbar["y"] + navbar["height"] + 2


@pytest.mark.parametrize("view", ["cards", "table"])
def test_show_more_sits_in_the_middle_under_the_list(page, live_server, view):
    make_customers_in_bulk([{"name": f"Kunde {n:02}", "status": "current"} for n in range(40)])
    log_in(page, live_server)
    page.goto(f"{live_server.url}/customers/?status=current&view={view}")
    button = page.get_by_role("link", name="Show more").bounding_box()
    results = page.locator("#results").bounding_box()
    middle = results["x"] + results["width"] / 2
    assert abs(button["x"] + button["width"] / 2 - middle) < 20


def test_a_search_shows_only_the_lists_that_have_a_match(page, live_server):
    make_customer(name="Kowalski Bau", status="potential")
    make_customer(name="Nowak Meble", status="current")
    log_in(page, live_server)
    page.locator("#q").fill("kowalski")
    expect(page.locator(".customer-card")).to_have_count(1)
    expect(page.get_by_role("heading", name="Potential customers")).to_be_visible()
    expect(page.get_by_role("heading", name="Current customers")).to_have_count(0)
    page.locator("#q").fill("zzz")
    expect(page.locator("#results").get_by_text("No customers match.")).to_have_count(1)
    expect(page.get_by_role("heading", level=2)).to_have_count(0)


def test_the_form_names_each_box_once_and_keeps_headings_clear_of_the_fields(page, live_server):
    customer = make_customer(
        name="Bäckerei Sonne", addresses=[{"label": "Laden", "street": "Hauptstr. 1", "city": "Bonn", "country": "DE"}]
    )
    log_in(page, live_server)
    for path in ("/customers/new/", f"/customers/{customer.pk}/edit/"):
        page.goto(live_server.url + path)
        for box in page.locator("fieldset").all():
            heading = box.locator("legend").first
            name = heading.inner_text().strip().lower()
            shown = box.locator("label:not(.visually-hidden):visible")
            labels = [label.strip().lower() for label in shown.all_inner_texts()]
            assert name not in labels, f"{name!r} is said twice"
            below = heading.bounding_box()
            first = box.locator(":scope .address-row, :scope .mb-3, :scope .form-check, :scope .row").first
            if first.count():
                assert first.bounding_box()["y"] >= below["y"] + below["height"] - 1, f"{name!r} overlaps its fields"


def test_the_filters_leave_a_phone_screen_to_the_customers(browser, live_server):
    make_customer(name="Kowalczyk i Wspólnicy Sp.j.", status="current")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        log_in(page, live_server)
        assert page.locator("#filters").bounding_box()["height"] < 844 / 6
        expect(page.get_by_label("Status")).to_be_hidden()
        page.get_by_role("button", name="Filters").click()
        page.get_by_label("Status").select_option("current")
        expect(page).to_have_url(re.compile(r"status=current"))
        page.reload()
        expect(page.get_by_role("button", name="Filters")).to_contain_text("1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
