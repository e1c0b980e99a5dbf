import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A form answered with 422 (errors shown at the fields) is expected, and so is a request the browser drops
    # because the user went to another page (htmx logs it as sendAbort); anything else is a defect.
    expected = ("422", "htmx:sendAbort", "htmx:afterRequest")
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not m.text.startswith(expected)
            and "422" not in m.text else None)  # fmt: skip
    yield page
    context.close()
    assert not errors, f"The browser reported errors: {errors}"


@pytest.fixture
def screenshot(request):
    """Save a screenshot under docs/screenshots/ when pytest runs with --screenshots."""

    def take(page, name: str, full_page: bool = False):
        if request.config.getoption("--screenshots"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page, caret="initial")

    return take
