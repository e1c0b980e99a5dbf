from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

# The unique index on a customer's e-mail address (the services turn its refusal into a message).
EMAIL_UNIQUE = "customer_email_unique_ci"


class Kind(models.TextChoices):
    COMPANY = "company", _("Company")
    PERSON = "person", _("Person")


class Status(models.TextChoices):
    CURRENT = "current", pgettext_lazy("customer status", "Current")
    POTENTIAL = "potential", pgettext_lazy("customer status", "Potential")


class Temperature(models.TextChoices):
    HOT = "hot", _("Hot")
    WARM = "warm", _("Warm")
    COLD = "cold", _("Cold")
    NOT_INTERESTED = "not_interested", _("Not interested")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    QUICK_ORDER = "quick_order", _("Quick-order link")
    SHOP = "shop", _("Shop")
    BOOKING = "booking", _("Booking")


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    POLISH = "pl", _("Polish")
    ENGLISH = "en", _("English")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    NONE = "none", pgettext_lazy("note priority", "None")


class TagColour(models.TextChoices):
    BLUE = "blue", _("Blue")
    GREEN = "green", _("Green")
    RED = "red", _("Red")
    YELLOW = "yellow", _("Yellow")
    PURPLE = "purple", _("Purple")
    TEAL = "teal", _("Teal")
    ORANGE = "orange", _("Orange")
    GREY = "grey", _("Grey")


class Tag(models.Model):
    """A label on customers; tags double as groups (VIP, regulars, new)."""

    name = models.CharField(_("name"), max_length=50)
    colour = models.CharField(_("colour"), max_length=10, choices=TagColour.choices, default=TagColour.BLUE)

    class Meta:
        ordering = [Lower("name")]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]

    def __str__(self):
        return self.name


def last_order_key():
    """The customers table's "last order" sort: customers who never ordered sort as having ordered longest ago.
    The literal is how both databases store and compare a time (SQLite as text), so the index holds it as is."""
    return Coalesce("last_order_at", Value("0001-01-01 00:00:00"), output_field=models.DateTimeField())


class Customer(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    name = models.CharField(_("name"), max_length=200)
    vat_id = models.CharField(_("VAT ID"), max_length=32, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.CharField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, help_text="E.164")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.POTENTIAL)
    temperature = models.CharField(_("temperature"), max_length=16, choices=Temperature.choices, blank=True)
    discount_percent = models.DecimalField(_("discount %"), max_digits=5, decimal_places=2, null=True, blank=True)
    preferred_currency = models.CharField(_("preferred currency"), max_length=3, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=2, choices=Language.choices, blank=True)
    marketing_consent = models.BooleanField(_("marketing emails"), default=False)
    marketing_consent_at = models.DateTimeField(null=True, blank=True)
    marketing_consent_source = models.CharField(max_length=30, blank=True)
    system_notifications = models.BooleanField(_("system notifications"), default=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="customers")
    picture = models.ImageField(_("picture"), upload_to="customers/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(_("joined"), db_index=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)

    # Kept by the services, never edited directly:
    # the default address's city and country, and the tag names, so lists sort and show them without joins;
    city = models.CharField(max_length=100, blank=True, editable=False)
    country = models.CharField(max_length=2, blank=True, editable=False)
    tag_names = models.CharField(max_length=500, blank=True, editable=False)
    # the name and city folded (search/folding.py): "Łódź" sorts with "Lodz", not after "Z", on every database;
    sort_name = models.CharField(max_length=200, blank=True, editable=False)
    sort_city = models.CharField(max_length=100, blank=True, editable=False)
    # the folded words that search matches (indexed by FTS5 on SQLite, a GIN tsvector on PostgreSQL);
    search_document = models.TextField(blank=True, editable=False)
    # when they last ordered (None: never), and what their orders not cancelled came to in the base currency,
    # kept by the order services so the customers table sorts by them.
    last_order_at = models.DateTimeField(_("last order"), null=True, blank=True, editable=False)
    orders_total = models.DecimalField(_("orders total"), max_digits=18, decimal_places=3, default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(deleted_at__isnull=True) & ~Q(email=""),
                name=EMAIL_UNIQUE,
            )
        ]
        indexes = [
            models.Index("sort_name", "id", name="customer_name_sort"),
            models.Index(Lower("email"), "id", name="customer_email_sort"),
            models.Index("phone", "id", name="customer_phone_sort"),
            # A whole VAT ID typed into search is looked up here (and a whole phone number in the index above).
            models.Index(fields=["vat_id"], name="customer_vat_id"),
            models.Index("sort_city", "id", name="customer_city_sort"),
            models.Index("created_at", "id", name="customer_joined_sort"),
            models.Index("status", "id", name="customer_status_sort"),
            models.Index("temperature", "id", name="customer_temperature_sort"),
            models.Index("tag_names", "id", name="customer_tags_sort"),
            models.Index(last_order_key(), "id", name="customer_last_order_sort"),
            models.Index("orders_total", "id", name="customer_total_sort"),
            # Only the trash: a list of current customers can never be led astray into it.
            models.Index(
                F("deleted_at").desc(), F("id").desc(), name="customer_trash", condition=Q(deleted_at__isnull=False)
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def writing_language(self) -> str:
        """The language to write to them in: theirs, else the catalog's."""
        language = self.preferred_language
        return language if language in Language.values else settings.KARTEI_CATALOG_LANGUAGE


class Address(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(_("label"), max_length=50, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    is_default = models.BooleanField(_("default address"), default=False)

    class Meta:
        ordering = ["-is_default", "id"]

    def __str__(self):
        return ", ".join(p for p in (self.street, f"{self.postal_code} {self.city}".strip(), self.country.name) if p)


class Note(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NONE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="note_customer_time"),
            # The high-priority notes the home page lists, newest first.
            models.Index(fields=["-created_at", "-id"], condition=Q(priority="high"), name="note_high_priority"),
        ]

    def __str__(self):
        return self.text[:50]
