"""The customers page: cards in two sections, the table, search as you type, filters in the URL."""

import html
import re

import pytest

from kartei.customers import services
from tests.factories import make_customer, make_customers_in_bulk, make_note

pytestmark = pytest.mark.django_db


def test_it_sends_a_visitor_to_the_login_page(client):
    response = client.get("/customers/?q=x")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/customers/")


def test_it_shows_a_welcome_on_a_new_install(staff_client):
    page = staff_client.get("/customers/").content.decode()
    assert "No customers yet" in page
    assert 'href="/customers/new/"' in page


def test_it_shows_current_customers_above_potential_ones_with_their_card_facts(staff_client, staff):
    lead = make_customer(name="Lead GmbH", status="potential", temperature="hot")
    current = make_customer(
        name="Stammkunde AG",
        status="current",
        email="einkauf@stammkunde.example.com",
        phone="+49 30 12345678",
        discount_percent="12.5",
        addresses=[{"street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin", "country": "DE"}],
    )
    make_note(current, text="Unimportant", priority="none")
    make_note(current, text="Call back urgently", priority="high")
    page = staff_client.get("/customers/").content.decode()
    assert page.index("Current customers") < page.index("Stammkunde AG") < page.index("Potential customers")
    assert page.index("Potential customers") < page.index("Lead GmbH")
    assert "einkauf@stammkunde.example.com" in page
    assert "+49 30 12345678" in page
    assert "Hauptstraße 1, 10115 Berlin" in page
    assert "Call back urgently" in page and "Unimportant" not in page
    assert "12.5%" in page
    assert current.pk and lead.pk


def test_it_answers_htmx_with_just_the_results(staff_client):
    make_customer(name="Müller Metallbau")
    make_customer(name="Schmidt Holzbau")
    response = staff_client.get("/customers/", {"q": "mull"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Müller Metallbau" in html and "Schmidt Holzbau" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_it_keeps_filters_in_the_url_and_combines_them(staff_client):
    make_customer(name="Hot Lead", status="potential", temperature="hot", tags=["VIP"])
    make_customer(name="Cold Lead", status="potential", temperature="cold", tags=["VIP"])
    make_customer(name="Hot Current", status="current", temperature="hot")
    page = staff_client.get("/customers/?status=potential&temperature=hot&tag=VIP").content.decode()
    assert "Hot Lead" in page
    assert "Cold Lead" not in page and "Hot Current" not in page
    assert 'value="potential" selected' in page


def test_it_lists_inactive_customers_only_under_the_inactive_filter(staff_client, staff):
    gone = make_customer(name="Sleeping Beauty GmbH")
    services.customer_set_active(customer=gone, actor=staff, active=False)
    assert "Sleeping Beauty" not in staff_client.get("/customers/").content.decode()
    assert "Sleeping Beauty" in staff_client.get("/customers/?active=false").content.decode()


def test_it_remembers_the_table_view_and_sorts_by_a_column(staff_client):
    make_customer(name="Zeta", addresses=[{"city": "Aachen", "country": "DE"}])
    make_customer(name="Alpha", addresses=[{"city": "Zwickau", "country": "DE"}])
    page = staff_client.get("/customers/?view=table&sort=name").content.decode()
    assert "<table" in page and page.index(">Alpha<") < page.index(">Zeta<")
    page = staff_client.get("/customers/?sort=city").content.decode()
    assert "<table" in page, "the table view is remembered"
    assert page.index(">Zeta<") < page.index(">Alpha<")
    assert "<table" not in staff_client.get("/customers/?view=cards").content.decode()


def test_it_shows_more_customers_page_by_page(staff_client, settings):
    settings.KARTEI_PAGE_SIZE = 2
    for n in range(5):
        make_customer(name=f"Kunde {n}", status="current")
    first = staff_client.get("/customers/?status=current").content.decode()
    assert "Kunde 4" in first and "Kunde 3" in first and "Kunde 2" not in first
    assert "Show more" in first
    cursor = first.split("cursor=")[1].split("&")[0].split('"')[0]
    more = staff_client.get(
        f"/customers/?status=current&cursor={cursor}&section=current", headers={"HX-Request": "true"}
    )
    html = more.content.decode()
    assert "Kunde 2" in html and "Kunde 1" in html and "Kunde 4" not in html


def test_the_overview_shows_half_a_page_of_each_list_so_the_leads_stay_in_sight(staff_client, settings):
    settings.KARTEI_PAGE_SIZE = 4
    for n in range(3):
        make_customer(name=f"Kunde {n}", status="current")
        make_customer(name=f"Lead {n}", status="potential")
    page = staff_client.get("/customers/?view=cards").content.decode()
    assert "Kunde 2" in page and "Kunde 1" in page and "Kunde 0" not in page
    assert "Lead 2" in page and "Lead 1" in page and "Lead 0" not in page
    cursor = page.split("cursor=")[1].split("&")[0]
    more = staff_client.get(f"/customers/?cursor={cursor}&section=current", headers={"HX-Request": "true"})
    assert "Kunde 0" in more.content.decode()


def test_it_counts_a_long_list_after_showing_it_and_a_short_one_at_once(staff_client, settings):
    settings.KARTEI_PAGE_SIZE = 4
    for n in range(5):
        make_customer(name=f"Kunde Müller {n}", status="current")
    make_customer(name="Lead Müller", status="potential")
    page = staff_client.get("/customers/?q=mul&view=cards").content.decode()
    assert "1 customer<" in page, "the leads fit on their first page"
    count_url = html.unescape(re.search(r'hx-get="(/customers/count/[^"]*)"', page).group(1))
    assert "section=current" in count_url and "q=mul" in count_url
    assert staff_client.get(count_url).content.decode().strip() == "5 customers"
    make_customers_in_bulk({"name": f"Kunde {n}", "status": "current"} for n in range(1001))
    counted = staff_client.get("/customers/count/?section=current", headers={"HX-Request": "true"})
    assert counted.content.decode().strip() == "more than 1,000"
    table = staff_client.get("/customers/count/?q=mul&view=table").content.decode()
    assert table.strip() == "6 customers", "the table counts both lists"


@pytest.mark.parametrize(
    "query", ["?section=lost", "?q=" + "x" * 5000, "?tag=nope&section=current", "?q=%00", "?temperature=boiling"]
)
def test_it_counts_whatever_an_odd_link_asks(staff_client, query):
    make_customer(name="Anything")
    response = staff_client.get("/customers/count/" + query)
    assert response.status_code == 200 and "customer" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?cursor=garbage",
        "?status=lost&temperature=boiling&tag=",
        "?sort=password",
        "?q=" + "x" * 5000,
        "?q=%22%2A%28",
        "?active=maybe",
        "?q=%00",
    ],  # fmt: skip
)
def test_it_survives_odd_links(staff_client, query):
    make_customer(name="Anything")
    response = staff_client.get("/customers/" + query, follow=True)
    assert response.status_code == 200


def test_the_back_button_gets_the_whole_page(staff_client):
    make_customer(name="Zurück GmbH")
    response = staff_client.get(
        "/customers/?q=zur", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" in html and "Zurück GmbH" in html
