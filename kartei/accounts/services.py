"""Every change to staff accounts and API tokens: one function per use case, keyword-only, each in a transaction.
The UI, the API and the command line all come through here, so the rules (only owners manage staff, there is
always an active owner, usernames and e-mail addresses are unique) are written once.

`actor` is the user doing it, or None for the command line (`kartei demo`, `kartei token`), which is trusted."""

import logging
from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from . import validation as v
from .models import ApiToken, Role, StaffProfile, hash_token
from .queries import active_owners, display_name

logger = logging.getLogger(__name__)
User = get_user_model()

# The fields staff_create and staff_update take; the order is the order errors are reported in.
STAFF_FIELDS = ("name", "username", "email", "role", "language", "is_active")
CLEANERS = {
    "name": v.clean_name,
    "username": v.clean_username,
    "email": v.clean_email,
    "role": v.clean_role,
    "language": v.clean_language,
    "is_active": v.clean_bool,
}
LAST_OWNER = _("Kartei needs at least one active owner. Make someone else an owner first.")
USERNAME_TAKEN = _("Someone already has this username. Choose another one.")
EMAIL_TAKEN = _("A colleague already uses this email address.")


def profile_for_new_user(user) -> StaffProfile:
    """The profile of a user made outside the services (`kartei createsuperuser`, Django's create_user): a
    superuser is an owner, and so is an active user while there is no active owner ("the first user is an
    owner"); anyone else is staff. Called when a user is first saved (kartei.accounts.apps)."""
    is_first = user.is_active and not active_owners().exclude(user_id=user.pk).exists()
    role = Role.OWNER if user.is_superuser or is_first else Role.STAFF
    profile, _created = StaffProfile.objects.get_or_create(user=user, defaults={"role": role})
    return profile


def profile_of(user) -> StaffProfile:
    """The user's profile; one is made if a user somehow has none (say, a bulk insert that skipped signals)."""
    return StaffProfile.objects.filter(user_id=user.pk).first() or profile_for_new_user(user)


def _lock_staff() -> None:
    """Serialise changes to staff. On PostgreSQL, lock the active owners' profiles: every staff write takes
    these locks first, so two owners demoting or deactivating each other at the same moment run one after the
    other, and the second sees the first's change (it counts the owners again after the wait, in a new
    statement). SQLite's IMMEDIATE transactions (settings.py) already let one writer in at a time."""
    owners = StaffProfile.objects.select_for_update(of=("self",)).filter(role=Role.OWNER, user__is_active=True)
    list(owners.order_by("pk").values_list("pk", flat=True))


def _check_may_manage(actor) -> None:
    """Only active owners manage staff; None is the command line. Read after the lock, so an owner demoted a
    moment ago can no longer act as one."""
    if actor is not None and not active_owners().filter(user_id=actor.pk).exists():
        raise PermissionDenied(_("Only owners can manage staff."))


def _clean(data: dict, *, user) -> dict:
    """Clean the fields present in `data` (name and username are required on create); raise one
    ValidationError naming every field that is wrong."""
    errors: dict[str, list] = {}
    cleaned: dict = {}
    for field in STAFF_FIELDS:
        if field in data:
            try:
                cleaned[field] = CLEANERS[field](data[field])
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.error_list)
    if user is None:
        if "name" not in data:
            errors.setdefault("name", []).append(ValidationError(_("Enter the person's name."), code="required"))
        if "username" not in data:
            errors.setdefault("username", []).append(
                ValidationError(_("Enter a username to log in with."), code="required")
            )
    # Unique among all users, whatever the case; checked only when it changes, so that an address two old
    # accounts happen to share does not block every other change to them.
    others = User.objects.exclude(pk=user.pk) if user is not None else User.objects.all()
    for field, message, code in (("username", USERNAME_TAKEN, "duplicate_username"),
                                 ("email", EMAIL_TAKEN, "duplicate_email")):  # fmt: skip
        value = cleaned.get(field)
        unchanged = user is not None and (value or "").lower() == getattr(user, field).lower()
        if value and not unchanged and others.filter(**{f"{field}__iexact": value}).exists():
            errors[field] = [ValidationError(message, code=code)]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_password(password, user) -> str:
    if not isinstance(password, str) or not password:
        raise ValidationError({"password": ValidationError(_("Enter a password."), code="required")})
    try:
        v.clean_password_text(password)
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None
    return password


def _save_user(user, **kwargs) -> None:
    """Save in a savepoint: if another transaction took the username since the check (a race the lock does not
    cover, such as `kartei createsuperuser`), answer as the check would, not with a database error."""
    try:
        with transaction.atomic():
            user.save(**kwargs)
    except IntegrityError:
        if User.objects.filter(username=user.username).exclude(pk=user.pk).exists():
            raise ValidationError({"username": ValidationError(USERNAME_TAKEN, code="duplicate_username")}) from None
        raise


@transaction.atomic
def staff_create(*, actor, data: dict, base_url: str = "") -> "User":
    """Add a colleague: `data` holds name, username and optionally email, role (staff), language and
    password. With a password they can log in at once; without one they get an invitation link by e-mail
    (to `base_url`, the site's address) and choose their password there."""
    _lock_staff()
    _check_may_manage(actor)
    errors: dict[str, list] = {}
    try:
        cleaned = _clean(data, user=None)
    except ValidationError as error:
        errors, cleaned = dict(error.error_dict), {}
    user = User(username=cleaned.get("username", ""), first_name=cleaned.get("name", ""),
                email=cleaned.get("email", ""), is_active=cleaned.get("is_active", True))  # fmt: skip
    password = data.get("password")
    if password is not None:
        try:
            user.set_password(_check_password(password, user))
        except ValidationError as error:
            errors.update(error.error_dict)
    elif not user.email and "email" not in errors:
        errors["email"] = [ValidationError(_("Enter an email address to send the invitation to."), code="required")]
    if errors:  # every field's problem at once, the password's included
        raise ValidationError(errors)
    if password is None:
        user.set_unusable_password()
    _save_user(user)
    profile = profile_of(user)
    profile.role = cleaned.get("role", Role.STAFF)
    profile.language = cleaned.get("language", "")
    profile.save()
    if password is None:
        staff_invite(actor=actor, user=user, base_url=base_url)
    return user


def _check_last_owner(*, actor, user, profile: StaffProfile, cleaned: dict) -> None:
    deactivates = user.is_active and cleaned.get("is_active") is False
    if actor is not None and actor.pk == user.pk and deactivates:
        raise ValidationError({"is_active": ValidationError(_("You cannot deactivate your own account."), code="self")})
    is_active_owner = user.is_active and profile.role == Role.OWNER
    demotes = cleaned.get("role", profile.role) != Role.OWNER
    if is_active_owner and (demotes or deactivates) and not active_owners().exclude(user_id=user.pk).exists():
        field = "is_active" if deactivates else "role"
        raise ValidationError({field: ValidationError(LAST_OWNER, code="last_owner")})


@transaction.atomic
def staff_update(*, actor, user, data: dict) -> "User":
    """Change the fields given in `data` (name, username, email, role, language, is_active). A deactivated
    member can no longer log in, their session is refused and their API tokens stop working."""
    _lock_staff()
    _check_may_manage(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    profile = profile_of(user)
    cleaned = _clean(data, user=user)
    _check_last_owner(actor=actor, user=user, profile=profile, cleaned=cleaned)
    user_fields = []
    for field, attribute in (("name", "first_name"), ("username", "username"), ("email", "email"),
                             ("is_active", "is_active")):  # fmt: skip
        if field in cleaned and getattr(user, attribute) != cleaned[field]:
            setattr(user, attribute, cleaned[field])
            user_fields.append(attribute)
    if "first_name" in user_fields and user.last_name:
        user.last_name = ""  # the whole name lives in first_name
        user_fields.append("last_name")
    if user_fields:
        _save_user(user, update_fields=user_fields)
    profile_fields = [f for f in ("role", "language") if f in cleaned and getattr(profile, f) != cleaned[f]]
    for field in profile_fields:
        setattr(profile, field, cleaned[field])
    if profile_fields:
        profile.save(update_fields=profile_fields)
    return user


def invitation_path(user) -> str:
    """The path of the page where `user` chooses a password; it works until a password is set (the token
    covers the password hash and the last login) or PASSWORD_RESET_TIMEOUT runs out."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("invitation", kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(user)})


@transaction.atomic
def staff_invite(*, actor, user, base_url: str) -> None:
    """Send `user` a link to choose their password, in their language (else the one the owner uses now). The
    mail leaves once the transaction has committed."""
    _lock_staff()
    _check_may_manage(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(
            {"is_active": ValidationError(_("Reactivate this account before sending an invitation."), code="inactive")}
        )
    if not user.email:
        raise ValidationError(
            {"email": ValidationError(_("Enter an email address to send the invitation to."), code="required")}
        )
    mail = {
        "to": user.email,
        "name": display_name(user),
        "username": user.username,
        "link": base_url.rstrip("/") + invitation_path(user),
        "inviter": display_name(actor) if actor is not None else "",
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "language": profile_of(user).language or translation.get_language() or settings.LANGUAGE_CODE,
    }
    transaction.on_commit(partial(_send_invitation, mail), robust=True)


def _send_invitation(mail: dict) -> None:
    with translation.override(mail["language"]):
        subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", mail).split())
        body = render_to_string("accounts/email/invitation.txt", mail)
    try:
        send_mail(subject, body, None, [mail["to"]])
    except Exception:  # the account is saved; the owner sees "invited" and can send the link again
        logger.exception("The invitation to %s could not be sent.", mail["username"])


@transaction.atomic
def staff_set_password(*, actor, user, password: str) -> None:
    """Set a password: a member their own (after the current one or from an invitation link), or an owner
    someone else's."""
    if actor is None or actor.pk != user.pk:
        _lock_staff()
        _check_may_manage(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(_check_password(password, user))
    user.save(update_fields=["password"])


@transaction.atomic
def staff_set_language(*, user, language: str) -> None:
    """A member chooses the language of their pages ("" for the browser's)."""
    try:
        language = v.clean_language(language)
    except ValidationError as error:
        raise ValidationError({"language": error.error_list}) from None
    profile = profile_of(user)
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])


@transaction.atomic
def staff_set_mention_email(*, user, on: bool) -> None:
    """A member chooses whether a comment mentioning them also comes by e-mail."""
    StaffProfile.objects.filter(pk=profile_of(user).pk).update(mention_email=bool(on))


@transaction.atomic
def api_token_create(*, user, name: str = "", expires_at: datetime | None = None) -> str:
    """Create an API token for a user and return it in clear, the only time it is seen."""
    errors = {}
    if not user.is_active:
        errors["user"] = _("This account is deactivated; its tokens would not work.")
    if len(name) > 100:
        errors["name"] = _("Keep the name to %(max)d characters.") % {"max": 100}
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("Choose an expiry in the future.")
    if errors:
        raise ValidationError(errors)
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:8], expires_at=expires_at)
    return raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token for good; revoking it again changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_user(raw: str):
    """The active user a token belongs to, or None for a wrong, revoked, expired or inactive one."""
    if not raw or len(raw) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
