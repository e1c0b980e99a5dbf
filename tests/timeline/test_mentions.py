"""@mentions in comments: a colleague, customer or product picked from the list (or a colleague's username or a
product's SKU typed) becomes a link wherever the text names it, and a colleague finds the comment in their
Mentions inbox. Text never mentions anyone it does not name, and a name is shown exactly as typed."""

import html
import re
import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kartei.catalog.models import Product
from kartei.customers import services
from kartei.timeline.mentions import Pick, mentions_in, with_mentions
from kartei.timeline.models import Comment, Event, Mention
from kartei.timeline.services import comment_add
from tests.factories import UserFactory, make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def bea(db):
    return UserFactory(username="bea", first_name="Beata", last_name="Kowalska")


@pytest.fixture
def lamp(db):
    return Product.objects.create(sku="LMP-001", name_de="Tischleuchte Aurora", name_pl="Lampka Aurora",
                                  base_price="49.00")  # fmt: skip


def named(text, mentions):
    return [(m["type"], m["id"], text[m["start"] : m["end"]]) for m in mentions]


def test_picked_names_are_mentions_wherever_the_text_says_them(staff, bea, lamp):
    bakery = make_customer(name="Łódź Bakery")
    text = "@Beata Kowalska: @Łódź Bakery wants @Tischleuchte Aurora again. Thanks, @Beata Kowalska!"
    picks = [Pick("staff", bea.pk), Pick("customer", bakery.pk), Pick("product", lamp.pk)]

    comment = comment_add(actor=staff, customer=make_customer(), text=text, picks=picks)

    assert named(text, comment.mentions) == [
        ("staff", bea.pk, "@Beata Kowalska"),
        ("customer", bakery.pk, "@Łódź Bakery"),
        ("product", lamp.pk, "@Tischleuchte Aurora"),
        ("staff", bea.pk, "@Beata Kowalska"),
    ]
    assert list(Mention.objects.values_list("user__username", "read_at")) == [("bea", None)]  # one inbox entry
    event = Event.objects.get(kind="comment.added")
    assert event.data == {"text": text, "mentions": comment.mentions}


def test_a_colleagues_username_and_a_products_sku_need_no_pick(staff, bea, lamp):
    text = "@BEA, see @lmp-001. Mail bea@example.com or @beatrice, not @nobody; ask @bea."

    assert named(text, mentions_in(text)) == [
        ("staff", bea.pk, "@BEA"),
        ("product", lamp.pk, "@lmp-001"),
        ("staff", bea.pk, "@bea"),
    ]


def test_a_pick_the_text_no_longer_names_is_no_mention(bea):
    assert mentions_in("@Beata Kowal", [Pick("staff", bea.pk)]) == []
    assert mentions_in("@Beata Kowalskaja", [Pick("staff", bea.pk)]) == []


def test_the_longest_name_wins_where_names_overlap(staff, bea):
    beata = UserFactory(username="beata")
    text = "@Beata Kowalska"

    assert named(text, mentions_in(text, [Pick("staff", bea.pk)])) == [("staff", bea.pk, "@Beata Kowalska")]
    assert named(text, mentions_in(text)) == [("staff", beata.pk, "@Beata")]  # typed: the username "beata"


@pytest.mark.parametrize("pick", [Pick("staff", 999), Pick("customer", 999), Pick("product", 999)])
def test_picking_what_is_not_there_is_refused_and_nothing_is_saved(staff, pick):
    with pytest.raises(ValidationError, match="no longer there"):
        comment_add(actor=staff, customer=make_customer(), text="@Someone", picks=[pick])
    assert not Comment.objects.exists() and not Event.objects.filter(kind="comment.added").exists()


def test_a_colleague_who_left_or_a_customer_in_the_trash_cannot_be_picked(staff, bea):
    gone = services.customer_delete(customer=make_customer(name="Kiosk"), actor=staff)
    bea.is_active = False
    bea.save()

    for pick in (Pick("staff", bea.pk), Pick("customer", gone.pk)):
        with pytest.raises(ValidationError):
            mentions_in("@Beata Kowalska @Kiosk", [pick])
    assert mentions_in("@bea") == []  # typed: not a colleague any more


@pytest.mark.parametrize("value", ["staff", "staff:", "staff:x", "user:1", "staff:-1", "staff:1" + "0" * 30, "", "٣"])
def test_a_pick_in_another_form_is_refused(value):
    with pytest.raises(ValidationError, match="from the list again"):
        Pick.parse(value)


def test_too_many_picks_are_refused(staff):
    with pytest.raises(ValidationError, match="at most 50"):
        mentions_in("@x", [Pick("staff", n) for n in range(1, 52)])


def test_mentioning_yourself_leaves_nothing_unread(staff):
    comment_add(actor=staff, customer=make_customer(), text="Note to self, @anna")

    assert Mention.objects.get().read_at is not None


def test_names_are_links_and_everything_else_is_escaped(staff):
    customer = make_customer(name='<img src=x onerror="alert(1)">')
    text = f'<script>alert(1)</script> @{customer.name} & "more"'

    comment = comment_add(actor=staff, customer=make_customer(), text=text, picks=[Pick("customer", customer.pk)])

    assert comment.html == (
        "&lt;script&gt;alert(1)&lt;/script&gt; "
        f'<a class="mention" href="/customers/{customer.pk}/">@&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</a>'
        " &amp; &quot;more&quot;"
    )


@pytest.mark.parametrize(
    "mentions",
    [None, "x", [1], [{"type": "staff"}], [{"type": "boss", "id": 1, "start": 0, "end": 3}],
     [{"type": "staff", "id": 1, "start": 5, "end": 99}], [{"type": "staff", "id": "1", "start": 0, "end": 3}],
     [{"type": "staff", "id": 1, "start": 1, "end": 3}], [{"type": "staff", "id": 1, "start": 3, "end": 1}]],
)  # fmt: skip
def test_odd_stored_mentions_show_the_text_as_it_is(mentions):
    assert with_mentions("@ab <i>", mentions) == "@ab &lt;i&gt;"


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(text=st.text(alphabet=st.sampled_from(string.ascii_letters + "@ .,-_:\n<>&\"'ąłŁß€" + "\u0301"), max_size=80)
       | st.text(max_size=80))  # fmt: skip
def test_any_text_only_mentions_whom_it_names_and_shows_as_typed(staff, bea, lamp, text):
    mentions = mentions_in(text)

    for kind, pk, name in named(text, mentions):
        assert (kind, pk, name.lower()) in {("staff", bea.pk, "@bea"), ("product", lamp.pk, "@lmp-001")}
    shown = with_mentions(text, mentions)
    tags = re.compile(r'<a class="mention" href="/(?:staff/#member-|products/)\d+/?(?:edit/)?">|</a>')
    assert len(tags.findall(shown)) == 2 * len(mentions)
    assert "<" not in tags.sub("", shown) and html.unescape(tags.sub("", shown)) == text
