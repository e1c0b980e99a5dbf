"""Staff pages, the member's own account, the invitation page, logging in and the language switch. Each view
parses the request, calls one query or service, and renders."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kartei.core.errors import errors_to_form
from kartei.core.htmx import render_page

from . import queries, services
from .forms import InvitationPasswordForm, LanguageForm, PasswordChangeForm, StaffCreateForm, StaffForm
from .models import UiLanguage

User = get_user_model()


def owner_required(view):
    """Only owners manage staff; anyone else gets 403 (the list itself is open to every member)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not queries.is_owner(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _member_or_404(pk: int):
    try:
        return queries.staff_member(pk)
    except User.DoesNotExist:
        raise Http404 from None


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def staff_list(request):
    context = {"members": queries.staff_list(), "can_manage": queries.is_owner(request.user)}
    return render(request, "accounts/staff_list.html", context)


@owner_required
def staff_create(request):
    if request.method == "POST":
        form = StaffCreateForm(request.POST)
        if form.is_valid():
            try:
                member = services.staff_create(
                    actor=request.user, data=form.service_data(), base_url=_base_url(request)
                )
            except ValidationError as error:
                errors_to_form(form, error)  # is_active has no field: above the form
            else:
                name = queries.display_name(member)
                if "password" in form.service_data():
                    messages.success(request, _("%(name)s can now log in as %(username)s.")
                                     % {"name": name, "username": member.username})  # fmt: skip
                else:
                    messages.success(request, _("%(name)s was invited. The invitation went to %(email)s.")
                                     % {"name": name, "email": member.email})  # fmt: skip
                return redirect("staff:list")
    else:
        form = StaffCreateForm()
    return render(request, "accounts/staff_form.html", {"form": form}, status=422 if form.errors else 200)


@owner_required
def staff_edit(request, pk: int):
    member = _member_or_404(pk)
    if request.method == "POST":
        form = StaffForm(request.POST)
        if form.is_valid():
            try:
                services.staff_update(actor=request.user, user=member, data=form.service_data())
            except ValidationError as error:
                errors_to_form(form, error)  # is_active has no field: above the form
            else:
                messages.success(request, _("Changes to %(name)s were saved.") % {"name": form.cleaned_data["name"]})
                return redirect("staff:list")
    else:
        profile = member.staff_profile
        form = StaffForm(
            initial={"name": member.get_full_name(), "username": member.username, "email": member.email,
                     "role": profile.role, "language": profile.language}
        )  # fmt: skip
    context = {"form": form, "member": member, "is_self": member.pk == request.user.pk}
    return render(request, "accounts/staff_form.html", context, status=422 if form.errors else 200)


@owner_required
def staff_set_active(request, pk: int):
    """GET: ask to confirm; POST: deactivate (active=0) or reactivate (active=1)."""
    member = _member_or_404(pk)
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        name = queries.display_name(member)
        try:
            services.staff_update(actor=request.user, user=member, data={"is_active": active})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if active:
                messages.success(request, _("%(name)s can log in again.") % {"name": name})
            else:
                messages.success(
                    request, _("%(name)s is deactivated: they can no longer log in or use the API.") % {"name": name}
                )
        return redirect("staff:list")
    return render_page(request, "accounts/staff_confirm_active.html", {"member": member}, partial="dialog")


@owner_required
@require_POST
def staff_invite(request, pk: int):
    member = _member_or_404(pk)
    try:
        services.staff_invite(actor=request.user, user=member, base_url=_base_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("staff:edit", pk=pk)
    messages.success(request, _("A link to choose a password went to %(email)s.") % {"email": member.email})
    return redirect("staff:list")


def account(request):
    """The member's own account: who they are, their language, a link to change their password."""
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            services.staff_set_language(user=request.user, language=language)
            if not language:  # the browser's language applies again: forget the one the cookie holds
                request.COOKIES.pop(settings.LANGUAGE_COOKIE_NAME, None)
            with translation.override(language or translation.get_language_from_request(request)):
                messages.success(request, _("Your language was saved."))
            response = _with_language_cookie(redirect("account"), language)
            if not language:
                response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
            return response
    else:
        form = LanguageForm(initial={"language": queries.language_of(request.user)})
    context = {"form": form, "role": queries.role_of(request.user), "profile": services.profile_of(request.user)}
    return render(request, "accounts/account.html", context, status=422 if form.errors else 200)


@require_POST
def account_notifications(request):
    services.staff_set_mention_email(user=request.user, on=request.POST.get("mention_email") == "on")
    messages.success(request, _("Your notification settings were saved."))
    return redirect("account")


def _with_language_cookie(response, language: str):
    """Pages before logging in (and after logging out) speak the member's language too."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


class InvitationView(auth_views.PasswordResetConfirmView):
    """The page an invitation link opens: the new member chooses a password, is logged in and starts working.
    The link stops working once used (the token covers the password)."""

    form_class = InvitationPasswordForm
    template_name = "accounts/invitation.html"
    success_url = reverse_lazy("customers:list")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    title = gettext_lazy("Choose your password")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not user.is_active:
            return None
        language = queries.language_of(user)
        if language:
            translation.activate(language)
            self.request.LANGUAGE_CODE = language
        return user

    def form_valid(self, form):
        messages.success(self.request, _("Welcome to Kartei. Your password is set."))
        return _with_language_cookie(super().form_valid(form), queries.language_of(self.user))


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        return _with_language_cookie(super().form_valid(form), queries.language_of(form.get_user()))


@login_not_required
def set_language(request):
    """Django's set_language; for a logged-in member the choice is also kept in their profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in UiLanguage.values:
        services.staff_set_language(user=request.user, language=language)
    return response
