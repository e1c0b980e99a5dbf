import json
import pytest
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

CASES = [
    ("post", "/customers", {"name": 5}),
    ("post", "/customers", {"name": ["a"]}),
    ("post", "/customers", {"name": {"a": 1}}),
    ("post", "/customers", {"name": "A", "tags": "vip"}),
    ("post", "/customers", {"name": "A", "tags": [1, 2]}),
    ("post", "/customers", {"name": "A", "tags": [{"a": 1}]}),
    ("post", "/customers", {"name": "A", "discount_percent": "abc"}),
    ("post", "/customers", '{"name": "A", "discount_percent": NaN}'),
    ("post", "/customers", '{"name": "A", "discount_percent": Infinity}'),
    ("post", "/customers", '{"name": "A", "discount_percent": 1e400}'),
    ("post", "/customers", {"name": "A", "discount_percent": "NaN"}),
    ("post", "/customers", {"name": "A", "discount_percent": "1e400"}),
    ("post", "/customers", {"name": "A", "discount_percent": "1e999999999"}),
    ("post", "/customers", {"name": "A", "discount_percent": -1}),
    ("post", "/customers", {"name": "A", "discount_percent": 101}),
    ("post", "/customers", {"name": "A", "addresses": "x"}),
    ("post", "/customers", {"name": "A", "addresses": ["x"]}),
    ("post", "/customers", {"name": "A", "addresses": [{"country": "XX", "city": "a"}]}),
    ("post", "/customers", {"name": "A", "addresses": [{"country": 5, "city": "a"}]}),
    ("post", "/customers", {"name": "x" * 1_000_000}),
    ("post", "/customers", {"name": "A", "tags": ["t"] * 10000}),
    ("post", "/customers", {"name": "A", "addresses": [{"city": "a"}] * 10000}),
    ("post", "/customers", ""),
    ("post", "/customers", "{"),
    ("post", "/customers", "[]"),
    ("post", "/customers", '"x"'),
    ("post", "/customers", "null"),
    ("post", "/customers", "5"),
    ("post", "/customers", {}),
    ("post", "/customers", {"name": "A", "bogus": 1}),
    ("post", "/customers", {"name": "A\u0000B"}),
    ("post", "/customers", {"name": "A\ud800B"}),
    ("post", "/customers", '{"name": "A\\ud800B"}'),
    ("post", "/customers", '{"name": "A\\u0000B", "email": "a\\u0000@b.de"}'),
    ("post", "/customers", {"name": "A", "email": "a\u0000@b.de"}),
    ("post", "/customers", {"name": "A", "phone": "\u0000"}),
    ("post", "/customers", {"name": "A", "vat_id": "\u0000"}),
    ("post", "/customers", {"name": "A", "tags": ["a\u0000"]}),
    ("post", "/customers", {"name": "A", "addresses": [{"city": "a\u0000"}]}),
    ("post", "/customers", {"name": "A", "note": "a\u0000"}),
    ("post", "/customers", {"name": "A", "kind": 5}),
    ("post", "/customers", {"name": "A", "version": "x"}),
    ("post", "/customers", {"name": "A", "version": 10**30}),
    ("post", "/customers", {"name": "A", "is_active": "maybe"}),
    ("post", "/customers", {"name": "A", "phone": "+" + "9" * 39}),
    ("post", "/customers", {"name": "A", "vat_id": "ZZ123"}),
    ("post", "/customers", {"name": "A", "vat_id": "123", "addresses": [{"country": "AQ", "city": "a"}]}),
    ("post", "/customers", {"name": "A", "preferred_currency": "\u0000"}),
    ("get", "/customers/99999999999999999999999", None),
    ("get", "/customers/9223372036854775808", None),
    ("get", "/customers/9223372036854775807", None),
    ("get", "/customers/-1", None),
    ("get", "/customers/abc", None),
    ("patch", "/customers/99999999999999999999999", {"name": "x"}),
    ("delete", "/customers/99999999999999999999999", None),
    ("post", "/customers/99999999999999999999999/restore", None),
    ("get", "/customers/99999999999999999999999/notes", None),
    ("patch", "/notes/99999999999999999999999", {"text": "x"}),
    ("delete", "/notes/99999999999999999999999", None),
    ("patch", "/notes/9223372036854775808", {"text": "x"}),
    ("get", "/customers/1.5", None),
    ("post", "/customers", {"name": "A", "discount_percent": "1e999999999999999999999"}),
    ("post", "/customers", {"name": "A", "discount_percent": "1e-999999999999999999999"}),
    ("post", "/customers", {"name": "A", "discount_percent": True}),
    ("post", "/customers", {"name": "A", "discount_percent": 12.5}),
    ("post", "/customers", {"name": "A", "vat_id": "\u00c4\u00d6123"}),
    ("post", "/customers", {"name": "A", "vat_id": "x\u0301123"}),
    ("post", "/customers", {"name": "A", "vat_id": "\u00aa\u00ba123"}),
    ("post", "/customers", {"name": "A", "email": "a@\u00e4" + "b" * 70 + ".de"}),
    ("post", "/customers", {"name": "A", "is_active": None}),
    ("post", "/customers", {"name": "A", "version": 1}),
    ("post", "/customers", "name=A"),
    ("post", "/customers", "[" * 100000),
    ("post", "/customers", '{"name": ' + "1" * 5000 + "}"),
    ("post", "/customers", b'{"name": "\xff"}'),
    ("post", "/customers", {"name": "y" * 3_000_000}),
    ("post", "/customers/1/notes", {"text": "a", "priority": "urgent"}),
    ("post", "/customers/1/notes", {"text": ""}),
    ("post", "/customers/1/notes", {}),
    ("get", "/nope", None),
    ("get", "/customers/", None),
    ("put", "/customers/1", {"name": "x"}),
]
QUERIES = [
    {"status": "lost"}, {"temperature": "x"}, {"sort": "bogus"}, {"limit": 0}, {"limit": 1000}, {"limit": "abc"},
    {"cursor": "garbage!!"}, {"cursor": "W10"}, {"cursor": "x" * 600}, {"q": "x" * 10000}, {"active": "maybe"},
    {"q": "\u0000"}, {"q": "a\u0000b"}, {"tag": "\u0000"}, {"q": "' OR 1=1 --"}, {"q": '"'}, {"q": "*"}, {"q": "a*"},
    {"q": "NEAR(a b)"}, {"q": "\ud800"}, {"limit": 10**30}, {"cursor": "WyJuZXdlc3QiLG51bGwsMTAwMDAwMDAwMDAwMDAwMDAwMDAwMF0"},
    {"tag": "x" * 10000}, {"sort": "\u0000"}, {"tag": ["a"] * 11}, {"temperature": ["hot"] * 11},
    {"tag": "a\u0000"}, {"cursor": "\u0000"},
]

def test_probe(api, client):
    out = []
    c = make_customer(name="Existing")
    for method, path, data in CASES:
        try:
            if method == "put":
                r = client.put("/api/v1" + path, data=json.dumps(data), content_type="application/json", headers=api.headers)
            elif method in ("get", "delete"):
                r = getattr(api, method)(path)
            else:
                r = getattr(api, method)(path, data)
            body = r.content[:300]
            out.append(f"{r.status_code} {method} {path} {str(data)[:80]!r} -> {body!r}")
        except Exception as e:
            out.append(f"EXC {method} {path} {str(data)[:80]!r} -> {e!r}"[:400])
    for q in QUERIES:
        try:
            r = api.get("/customers", **q)
            out.append(f"{r.status_code} GET {str(q)[:80]} -> {r.content[:300]!r}")
        except Exception as e:
            out.append(f"EXC GET {str(q)[:80]} -> {e!r}"[:400])
    open("/tmp/probe/out.txt", "w").write("\n".join(out))


def test_probe_raw(api, client):
    out = []
    for qs in ["tag=" + "&tag=".join(["a"] * 2000), "q=%ED%A0%80", "q=%00", "tag=%00", "q=%FF%FE"]:
        try:
            r = client.get("/api/v1/customers?" + qs, headers=api.headers)
            out.append(f"{r.status_code} {qs[:40]} {r.content[:200]!r}")
        except Exception as e:
            out.append(f"EXC {qs[:40]} {e!r}"[:300])
    open("/tmp/probe/out2.txt", "w").write("\n".join(out))
