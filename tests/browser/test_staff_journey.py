"""The owner adds a colleague in a real browser (Debian's chromium); the colleague logs in, sees the staff list
but cannot manage it, and sets their language and password on their own Account page."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

OWNER_PASSWORD = "correct horse battery staple"
FIRST_PASSWORD = "Wiosna-w-Krakowie-2026"
# An element whose opening animation (Bootstrap's modal and collapse) has finished.
SETTLED = """selector => {
  const element = document.querySelector(selector);
  return element && element.getAnimations({subtree: true}).length === 0
    && getComputedStyle(element).transform === "none" && !document.querySelector(".collapsing");
}"""


def log_in(page, live_server, username, password):
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/customers/$"))


def log_out(page):
    page.locator("#account-menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def test_the_owner_adds_a_colleague_who_logs_in_without_staff_management(page, live_server, screenshot):
    UserFactory(username="olga", first_name="Olga Nowak", role="owner")
    UserFactory(username="piotr", first_name="Piotr Wiśniewski", email="piotr@example.com", role="staff")
    log_in(page, live_server, "olga", OWNER_PASSWORD)

    # The owner opens Staff from the navbar and adds Jan with a first password.
    page.get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", name="Staff")).to_be_visible()
    page.get_by_role("link", name="Add a colleague").click()
    page.fill("#id_name", "Jan Kowalski")
    page.fill("#id_username", "jan")
    page.fill("#id_email", "jan@example.com")
    expect(page.locator("#id_password")).to_be_hidden()  # an invitation is the default
    page.get_by_label("Set a first password now and tell them").check()
    page.fill("#id_password", FIRST_PASSWORD)
    page.fill("#id_password2", "a typo")
    screenshot(page, "staff-form", full_page=True)
    page.get_by_role("button", name="Add colleague").click()

    # A typo in the repeated password is shown next to the field; nothing typed is lost.
    expect(page.locator("#id_password2-errors")).to_contain_text("The two passwords differ.")
    expect(page.locator("#id_name")).to_have_value("Jan Kowalski")
    expect(page.locator("#id_password2")).to_be_focused()
    page.fill("#id_password", FIRST_PASSWORD)
    page.fill("#id_password2", FIRST_PASSWORD)
    page.get_by_role("button", name="Add colleague").click()

    expect(page.get_by_role("alert")).to_contain_text("Jan Kowalski can now log in as jan.")
    row = page.locator("tr", has_text="Jan Kowalski")
    expect(row).to_contain_text("Staff")
    expect(row).to_contain_text("Active")
    screenshot(page, "staff-list")

    # Deactivating asks first, in a dialog.
    page.get_by_role("link", name="Deactivate Piotr Wiśniewski").click()
    dialog = page.locator("#modal")
    expect(dialog.get_by_role("heading", name="Deactivate Piotr Wiśniewski?")).to_be_visible()
    page.wait_for_function(SETTLED, arg="#modal .modal-dialog")
    screenshot(page, "staff-deactivate")
    dialog.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("alert")).to_contain_text("Piotr Wiśniewski is deactivated")
    expect(page.locator("tr", has_text="Piotr Wiśniewski")).to_contain_text("Deactivated")
    log_out(page)

    # Jan logs in: he sees who works here, but cannot add or change anyone.
    log_in(page, live_server, "jan", FIRST_PASSWORD)
    page.get_by_role("link", name="Staff").click()
    expect(page.locator("tr", has_text="Olga Nowak")).to_contain_text("Owner")
    expect(page.get_by_role("link", name="Add a colleague")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    assert page.request.get(live_server.url + "/staff/new/").status == 403

    # On his Account page he chooses Polish; every page follows.
    page.locator("#account-menu").click()
    page.get_by_role("link", name="Account").click()
    page.get_by_label("Language of Kartei's pages").select_option("pl")
    page.get_by_role("button", name="Save language").click()
    expect(page.get_by_role("heading", name="Twoje konto")).to_be_visible()
    screenshot(page, "staff-account-pl")
    page.get_by_role("link", name="Pracownicy").click()
    expect(page.get_by_role("heading", name="Pracownicy")).to_be_visible()


def test_the_staff_pages_fit_a_phone(browser, live_server, screenshot):
    UserFactory(username="olga", first_name="Olga Nowak", email="olga.nowak@kowalczyk-wspolnicy.example.com",
                role="owner")  # fmt: skip
    UserFactory(username="jan.kowalski", first_name="Jan Kowalski", role="staff")
    UserFactory(username="gone", first_name="Anna Schmidt", role="staff", is_active=False)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server, "olga", OWNER_PASSWORD)

    page.goto(live_server.url + "/staff/")
    expect(page.locator("tr", has_text="Jan Kowalski")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing sticks out sideways"
    screenshot(page, "staff-phone")
    page.get_by_role("link", name="Edit Jan Kowalski").click()
    expect(page.get_by_role("heading", name="Edit Jan Kowalski")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "staff-edit-phone", full_page=True)

    # The account menu opens from the collapsed navbar.
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
    page.locator("#account-menu").click()
    expect(page.get_by_role("link", name="Account")).to_be_visible()
    screenshot(page, "staff-menu-phone")
    context.close()
