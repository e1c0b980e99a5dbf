import base64, json
import pytest
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

def cur(*parts):
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")

def test_probe(api):
    make_customer(name="A", email="a@example.com")
    out = []
    cases = [
        ("joined", cur("joined", "abc", 1)), ("joined", cur("joined", 5, 1)), ("joined", cur("joined", {"dt": "x"}, 1)),
        ("joined", cur("joined", {"dt": "2020-01-01"}, 10**30)), ("name", cur("name", 5, 1)), ("name", cur("name", None, 1)),
        ("newest", cur("newest", None, 10**30)), ("newest", cur("newest", None, -10**30)), ("name", cur("name", "a", 10**30)),
        ("name", cur("name", "a\u0000", 1)), ("name", cur("name", "\ud800", 1)), ("joined", cur("joined", None, 1)),
        ("name", cur("name", "x" * 300, 1)), ("joined", cur("joined", {"dt": "2020-01-01T00:00:00+99:00"}, 1)),
        ("phone", cur("phone", 10**30, 1)), ("joined", cur("joined", True, 1)), ("name", cur("name", "a", True)),
        ("newest", cur("newest", None, 1.5)), ("tags", cur("tags", [], 1)),
    ]
    for sort, c in cases:
        try:
            from kartei.api.customers import _signed
            r = api.get("/customers", sort=sort, cursor=_signed(c) if sort != "x" else c)
            out.append(f"{r.status_code} {sort} {base64.urlsafe_b64decode(c + '==')[:60]!r} {r.content[:150]!r}")
        except Exception as e:
            out.append(f"EXC {sort} {base64.urlsafe_b64decode(c + '==')[:60]!r} {e!r}"[:300])
    open("/tmp/probe/out3.txt", "w").write("\n".join(out))
