from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from kartei.accounts import views as account_views
from kartei.api.api import api
from kartei.core import views as core_views
from kartei.portal import links as portal_links
from kartei.portal import replies as portal_replies
from kartei.timeline import views as timeline_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="customers:list", query_string=True), name="home"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("customers/", include("kartei.transfer.urls")),
    path("customers/", include("kartei.customers.urls")),
    path("products/", include("kartei.catalog.urls")),
    path("orders/", include("kartei.orders.urls")),
    # A customer's quick-order page, opened by their personal link (no login).
    path("quick/", include("kartei.portal.urls")),
    path("customers/<int:pk>/quick-order-link/", portal_links.link_create, name="quick_order_link"),
    path("customers/<int:pk>/quick-order-link/revoke/", portal_links.link_revoke, name="quick_order_link_revoke"),
    # The page a customer replies to a message on, opened by the link in its e-mail (no login).
    path("m/<str:token>/", portal_replies.reply, name="reply"),
    path("m/<str:token>/language/", portal_replies.language, name="reply_language"),
    path("", include("kartei.messaging.urls")),
    path("staff/", include("kartei.accounts.urls")),
    path("mentions/", include("kartei.timeline.urls")),
    path("activity/", timeline_views.activity, name="activity"),
    # Files attached to notes and comments: only for staff who are logged in.
    path("attachments/<int:pk>/", timeline_views.attachment, name="attachment"),
    path(
        "attachments/<int:pk>/thumbnail/", timeline_views.attachment, {"thumbnail": True}, name="attachment_thumbnail"
    ),
    path("account/", account_views.account, name="account"),
    path("account/notifications/", account_views.account_notifications, name="account_notifications"),
    path("account/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    # The link in an invitation mail: the new member chooses a password (no login yet).
    path("invitation/<uidb64>/<token>/", login_not_required(account_views.InvitationView.as_view()), name="invitation"),
    path("api/v1/", api.urls),
    # Customer pictures: only for staff who are logged in.
    path("media/products/<path:path>", core_views.product_image, name="product_image"),
    path("media/<path:path>", core_views.media, name="media"),
]
