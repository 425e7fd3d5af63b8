from django.contrib.auth import views as auth_views
from django.urls import path

from . import account_views, audit_views, export_views, notification_views, todo_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChange.as_view(), name="password-change"),
    path("accounts/otp/setup/", account_views.otp_setup, name="otp-setup"),
    path("accounts/otp/verify/", account_views.otp_verify, name="otp-verify"),
    path("audit/", audit_views.audit_list, name="audit-list"),
    path("audit/export/", audit_views.audit_export, name="audit-export"),
    path("audit/<int:seq>/", audit_views.audit_detail, name="audit-detail"),
    path("todo/", todo_views.todo_list, name="todo-list"),
    path("todo/count/", todo_views.todo_count, name="todo-count"),
    path("exports/<uuid:pk>/", export_views.export_job, name="export-job"),
    path("exports/<uuid:pk>/progress/", export_views.export_progress, name="export-progress"),
    path("exports/<uuid:pk>/file/", export_views.export_file, name="export-file"),
    path("notifications/", notification_views.notification_list, name="notification-list"),
    path("notifications/<int:pk>/read/", notification_views.notification_read, name="notification-read"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notification-read-all"),
]
