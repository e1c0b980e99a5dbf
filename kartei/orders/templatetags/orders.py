from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def order_status(order) -> str:
    """The order's status as a coloured badge (a tag, not an included template: the orders page shows 50)."""
    return format_html('<span class="badge order-status order-{}">{}</span>', order.status, order.get_status_display())
