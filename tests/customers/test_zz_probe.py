import io, pytest
from kartei.customers import queries, services
from kartei.core.pagination import encode_cursor
from tests.factories import make_customer
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
pytestmark = pytest.mark.django_db
def ids(q): return [c.name for c in queries.customers_matching(queries.CustomerFilter.from_params(q=q))]
def test_probe():
    make_customer(name="Acme", vat_id="DE136695976", phone="+491712345678")
    for q in ["DE 136 695 976", "DE136695976", "136695976", "+49 (0)171 2345", "0049 171 2345", "+49-171-2345678"]:
        print(repr(q), ids(q))
    for cur in [encode_cursor("joined", "yesterday", 5), encode_cursor("joined", 5, 5), encode_cursor("name", 5, 5), encode_cursor("newest", None, 10**30), encode_cursor("name", "a", 10**30)]:
        s = "joined" if "joined" in str(__import__("base64").urlsafe_b64decode(cur+"==")) else None
        for sort in ["joined","name","newest"]:
            try:
                queries.customer_page(queries.CustomerFilter(sort=sort), cursor=cur)
                print(sort, "ok")
            except Exception as e:
                print(sort, type(e).__name__, e)
    c = make_customer(name="T", tags=["Ärzte"])
    print("tag", ids("") , [x.name for x in queries.customers_matching(queries.CustomerFilter.from_params(tags=["ärzte"]))])
    print(services.tags_for_names(["ärzte"]))
    from kartei.customers.models import Tag; print(list(Tag.objects.all()))
    for field in ["name", "contact_person"]:
        try:
            services.customer_create(actor=None, data={"name": "x", field: "a\x00b"}); print(field, "NUL stored")
        except Exception as e: print(field, type(e).__name__, e)
    try:
        services.customer_create(actor=None, data={"name": "x\ud800"}); print("surrogate stored")
    except Exception as e: print("surr", type(e).__name__, e)
    img = Image.new("RGB", (100, 50), "red"); img2 = Image.new("RGB", (100, 50), "blue")
    b = io.BytesIO(); img.save(b, "MPO", save_all=True, append_images=[img2])
    try:
        services.customer_create(actor=None, data={"name": "mpo", "picture": SimpleUploadedFile("p.jpg", b.getvalue())}); print("MPO ok")
    except Exception as e: print("MPO", type(e).__name__, e)
    exif = Image.Exif(); exif[0x0112] = 6
    b = io.BytesIO(); img.save(b, "JPEG", exif=exif)
    c = services.customer_create(actor=None, data={"name": "exif", "picture": SimpleUploadedFile("p.jpg", b.getvalue())})
    print("exif size", Image.open(c.picture).size)
