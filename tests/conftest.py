import pytest
from django.test import Client
from django.utils import translation

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are made for almost every test; the production hasher would cost ~0.4 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_unless_asked():
    """Each test starts in the default language: a request in another language leaves it active in its thread."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def staff(db):
    return UserFactory(username="anna")


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def owner(db):
    return UserFactory(username="olga", first_name="Olga Nowak", role="owner")


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KARTEI_ATTACHMENTS_ROOT = tmp_path / "attachments"


@pytest.fixture
def api_token(staff) -> str:
    from kartei.accounts.services import api_token_create

    return api_token_create(user=staff)


@pytest.fixture
def api(client, api_token):
    """A client that talks JSON to the API with a valid token: api.get("/customers"), api.post(...)."""
    return api_client(client, api_token)


@pytest.fixture
def owner_api(owner):
    """Like `api`, with the token of an owner (who may manage staff)."""
    from kartei.accounts.services import api_token_create

    return api_client(Client(), api_token_create(user=owner))


def api_client(client, token):
    class Api:
        def __init__(self, token):
            self.headers = {"Authorization": f"Bearer {token}"}
            self.client = client  # for a multipart body: api.client.post(..., headers=api.headers)

        def _call(self, method, path, data=None, **headers):
            kwargs = {"headers": {**self.headers, **headers}}
            if data is not None:
                kwargs["data"] = data if isinstance(data, (str, bytes)) else __import__("json").dumps(data)
                kwargs["content_type"] = "application/json"
            return getattr(client, method)("/api/v1" + path, **kwargs)

        def get(self, path, **params):
            return client.get("/api/v1" + path, params, headers=self.headers)

        def post(self, path, data=None, **headers):
            return self._call("post", path, data, **headers)

        def patch(self, path, data=None, **headers):
            return self._call("patch", path, data, **headers)

        def put(self, path, data=None, **headers):
            return self._call("put", path, data, **headers)

        def delete(self, path, **headers):
            return self._call("delete", path, **headers)

    return Api(token)


def pytest_addoption(parser):
    parser.addoption("--screenshots", action="store_true", help="Save browser screenshots under docs/screenshots/.")


@pytest.fixture(scope="session")
def _fresh_locale_dir(tmp_path_factory):
    """The committed .po files compiled once per test run into a directory of their own."""
    import shutil
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from django.conf import settings

    locale = tmp_path_factory.mktemp("locale")
    shutil.copytree(Path(settings.LOCALE_PATHS[0]), locale, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.mo"))
    for po_path in locale.glob("*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
    return locale


@pytest.fixture
def translations(settings, _fresh_locale_dir):
    """German and Polish as the .po files say now (not a .mo compiled before they changed)."""
    settings.LOCALE_PATHS = [_fresh_locale_dir]
