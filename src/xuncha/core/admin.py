from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class XunchaUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ("username", "full_name", "is_active", "last_login")
    fieldsets = ((None, {"fields": ("username", "password", "full_name", "email", "is_active")}),)
