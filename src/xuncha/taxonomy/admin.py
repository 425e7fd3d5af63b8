"""Classification schemes and their categories in the sysadmin's admin (/sysadmin/).

Schemes are installation-wide reference data (not case data): every sysadmin may keep them, as the admin
site decides (``User.has_perm``). Each save is an audited action with before/after values; nothing is
deleted here, since petitions and findings point at categories.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from xuncha.core.audit import action_scope, changes, record, snapshot
from xuncha.core.choices import Role
from xuncha.core.permissions import acting_user

from .models import Category, Scheme


def _audited_save(request: HttpRequest, obj: Scheme | Category, change: bool, kind: str) -> None:
    event = f"taxonomy.{kind}_{'updated' if change else 'created'}"
    with action_scope(event):
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else {}
        obj.save()
        details = {"changes": changes(before, snapshot(obj))}
        record(event, obj, by=acting_user(request), role=Role.SYSADMIN, details=details)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ("scheme", "parent", "code", "name", "checkpoints")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scheme, parent = data.get("scheme"), data.get("parent")
        if parent is not None and scheme is not None and parent.scheme_id != scheme.pk:
            self.add_error("parent", "上级分类项须属于同一分类体系。")
        ancestor = parent
        while ancestor is not None and self.instance.pk is not None:
            if ancestor.pk == self.instance.pk:
                self.add_error("parent", "上级分类项不能是本项或其下级。")
                break
            ancestor = ancestor.parent
        return data


class CategoryInline(admin.TabularInline):
    model = Category
    fields = ("code", "name", "parent")
    readonly_fields = ("code", "name", "parent")
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "kind", "is_default")
    list_filter = ("kind",)
    inlines = (CategoryInline,)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Scheme, form: Any, change: bool) -> None:
        _audited_save(request, obj, change, "scheme")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ("code", "name", "scheme", "parent")
    list_filter = ("scheme",)
    search_fields = ("code", "name", "checkpoints")
    list_select_related = ("scheme", "parent")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        _audited_save(request, obj, change, "category")
