from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from kartei.api.api import api
from kartei.core import views as core_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="customers:list", query_string=True), name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("customers/", include("kartei.customers.urls")),
    path("api/v1/", api.urls),
    # Customer pictures: only for staff who are logged in.
    path("media/<path:path>", core_views.media, name="media"),
]
