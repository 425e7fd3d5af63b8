"""The user's own notifications: the list (未读 / 全部), marking one read and following its link, marking
all read. Another user's notification is a 404, like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .models import Notification
from .notifications import mark_all_read, mark_read
from .permissions import acting_user
from .ui import paginate, querystring_without_page

UNREAD, ALL = "unread", "all"
TABS = ((UNREAD, "未读"), (ALL, "全部"))


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """Unread first, then newest first; the 未读 tab by default when there is anything unread."""
    notifications = Notification.objects.visible_to(acting_user(request))
    show = request.GET.get("show", "")
    if show not in (UNREAD, ALL):
        show = UNREAD if notifications.unread().exists() else ALL
    if show == UNREAD:
        notifications = notifications.unread()
    unread = Q(read_at__isnull=True, handled_at__isnull=True)
    unread_first = ExpressionWrapper(unread, output_field=BooleanField())
    page_obj = paginate(request, notifications.order_by(unread_first.desc(), "-created_at", "-pk"))
    return render(
        request,
        "core/notifications/list.html",
        {"page_obj": page_obj, "show": show, "tabs": TABS, "query": querystring_without_page(request)},
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.visible_to(acting_user(request)), pk=pk)
    mark_read(notification)
    # notify() accepts only paths inside the site; checked again before redirecting to one.
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("notification-list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = mark_all_read(acting_user(request))
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读通知。")
    return redirect("notification-list")
