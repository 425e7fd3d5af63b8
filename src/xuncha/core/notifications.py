"""In-app notifications, also mailed when SMTP is configured (``EMAIL_HOST``).

An action with something to tell people calls ``notify`` inside its own transaction, and names who was
notified in its audit event (notifications are not case data and write no event of their own)::

    from xuncha.core.notifications import holders, notify, usernames

    sent = notify(
        holders({Role.TEAM_LEADER: team.pk}),
        key=f"transfer-overdue:{transfer.pk}:{transfer.due_on}",
        title=f"转交函{transfer.letter_number}已逾期未报结果",
        link=reverse("intake:transfer-detail", args=[transfer.pk]),
    )
    record("reminder.sent", transfer, by=None, role=SYSTEM, details={"notified": usernames(sent)})

``key`` names the occasion (what, which object, which deadline): a user gets at most one notification per
key however often, and however concurrently, ``notify`` is called, so a daily job may call it every day and
a reminder is never sent twice for the same deadline. The title is shown in lists, on the home page and in
mails: a number and what is due, never a reporter, a clue or a petition's content.

``subject`` names the object the notification is about (the reminder engine passes a deadline's subject).
When the action that handles that object runs (a transfer received or reported, the last document item
provided, a stage left, an inspection archived …) it calls ``mark_handled(obj)`` in its own transaction:
the object's unhandled notifications are marked handled, leave the navbar badge and the home page's 未读通知,
and stay in the list marked 已处理::

    mark_handled(transfer)               # one object
    mark_handled(request.items.all())    # or several, of any types
"""

from collections.abc import Iterable, Mapping
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django_tasks import task

from .home import Panel, head
from .models import Notification, RoleAssignment, User

PANEL_LATEST = 5


def holders(roles: Mapping[str, int]) -> QuerySet[User]:
    """The active users holding one of ``roles`` (role → scope id), as ``permissions.require`` reads them."""
    if not roles:
        return User.objects.none()
    wanted = Q()
    for role, scope_id in roles.items():
        wanted |= Q(role=role, scope_id=scope_id)
    user_ids = RoleAssignment.objects.in_force().filter(wanted).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def _limit(field: str) -> int:
    limit: int = getattr(Notification._meta.get_field(field), "max_length", 0)
    return limit


def _check(key: str, title: str, link: str) -> None:
    # Programming errors, not user input: the callers build these from their own objects. A title is also
    # a mail subject, so it holds one line.
    if not key or len(key) > _limit("key"):
        raise ValueError(f"notification key must have 1 to {_limit('key')} characters: {key!r}")
    if not title.strip() or len(title) > _limit("title") or "\n" in title or "\r" in title:
        raise ValueError(f"notification title must be one line of 1 to {_limit('title')} characters")
    if link and (not link.startswith("/") or link.startswith(("//", "/\\")) or len(link) > _limit("link")):
        raise ValueError(f"notification link must be a path inside the site: {link!r}")


def notify(
    users: Iterable[User], *, key: str, title: str, link: str = "", subject: Model | None = None
) -> list[Notification]:
    """Notify each active user once per ``key``; returns the notifications created now (not those that
    existed already). Inside an action it is part of the action's transaction: rolled back with it, and
    mailed only once it commits. ``subject``: the object it is about, for ``mark_handled``."""
    _check(key, title, link)
    about = {"subject_type": subject._meta.label_lower, "subject_id": str(subject.pk)} if subject else {}
    created: list[Notification] = []
    seen: set[int] = set()
    with transaction.atomic():
        for user in users:
            if not user.is_active or user.pk in seen:
                continue
            seen.add(user.pk)
            # get_or_create catches the unique constraint's IntegrityError of a concurrent twin and reads
            # its row instead, so two runs at once still make one notification.
            notification, is_new = Notification.objects.get_or_create(
                recipient=user, key=key, defaults={"title": title, "link": link, **about}
            )
            if is_new:
                created.append(notification)
                if settings.EMAIL_HOST and user.email:
                    transaction.on_commit(partial(mail_notification.enqueue, notification.pk))
    return created


def usernames(notifications: Iterable[Notification]) -> list[str]:
    """Who was notified, for the notifying action's audit event."""
    return sorted(n.recipient.username for n in notifications)


@task()
def mail_notification(notification_id: int) -> bool:
    """Mail one notification's title and link to its recipient, once: the row is claimed before sending, so
    a rerun sends nothing; a failed send releases it again. Whether it was sent now."""
    pending = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, recipient__is_active=True
    ).exclude(recipient__email="")
    if not pending.update(emailed_at=timezone.now()):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    url = f"{settings.XUNCHA_SITE_URL}{notification.link}"
    body = f"{notification.title}\n\n请登录巡察工作平台查看{f'：{url}' if url else '。'}\n"
    try:
        send_mail(f"【巡察工作平台】{notification.title}", body, None, [notification.recipient.email])
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def mark_handled(objects: Model | Iterable[Model]) -> int:
    """Mark the notifications about ``objects`` (one model instance, or an iterable or queryset of them)
    handled, now; how many were. Called by the action that handles the object, inside its transaction.
    Notifications are not case data: the action's own event records what was done."""
    found = [objects] if isinstance(objects, Model) else list(objects)
    if not found:
        return 0
    return Notification.objects.about(found).unhandled().update(handled_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.visible_to(user).unread().count()


def mark_read(notification: Notification) -> None:
    """Mark one notification read (the first reading counts)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def mark_all_read(user: User) -> int:
    """Mark every unread notification of ``user`` read; how many were."""
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


def home_panels(user: User) -> list[Panel]:
    """The 未读通知 panel, with the count and the latest few, when there are any."""
    unread = Notification.objects.visible_to(user).unread().order_by("-created_at", "-pk")
    latest, count = head(unread, PANEL_LATEST)
    if not latest:
        return []
    return [Panel("未读通知", "core/notifications/panel.html", {"count": count, "latest": latest}, order=10)]
