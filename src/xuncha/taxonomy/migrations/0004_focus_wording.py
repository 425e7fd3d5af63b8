"""The default 三个聚焦 in the wording since the 二十大 (xuncha.taxonomy.defaults): the rows installed with
the seed's wording are updated in place, so every petition, finding and plan keeps pointing at the same
row (same id, same code). A name or checklist the sysadmin has reworded is left as it is."""

import hashlib

from django.db import migrations

SCHEME = "three-focuses"

# Per code: the seed's name (None: unchanged) and the first 16 hex digits of the SHA-256 of the seed's
# checkpoints (None: unchanged); a row is updated only where it still reads as the seed did.
SEED = {
    "1": ("聚焦基层贯彻党的路线方针政策和党中央决策部署情况", None),
    "1.1": ("学习贯彻习近平新时代中国特色社会主义思想和党的十九大精神，做到“两个维护”情况", "9f579f963400f7dc"),
    "1.2": (None, "8e3e9e21bbe7539d"),
    "2.1": (None, "5d016696cc0a9090"),
    "2.2": (None, "7844ad9761724ac0"),
    "2.4": ("执行中央八项规定和实施细则精神情况", "4cf6c43dc6c247b0"),
    "2.5": (None, "3d1d7b4b342e70bf"),
    "3": ("聚焦党组织软弱、涣散、组织力欠缺问题", None),
}


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _items(items):
    for item in items:
        yield item
        yield from _items(item.children)


def update_wording(apps, schema_editor):
    from xuncha.taxonomy.defaults import FOCUS

    Category = apps.get_model("taxonomy", "Category")
    for item in _items(FOCUS):
        if item.code not in SEED:
            continue
        category = Category.objects.filter(scheme__code=SCHEME, code=item.code).first()
        if category is None:
            continue
        name, digest = SEED[item.code]
        if name is not None and category.name == name:
            category.name = item.name
        if digest is not None and _digest(category.checkpoints) == digest:
            category.checkpoints = "\n".join(item.checkpoints)
        category.save(update_fields=["name", "checkpoints"])


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0003_category_sort_key"),
    ]

    # Reversing keeps the new wording: the seed's is not worth restoring.
    operations = [
        migrations.RunPython(update_wording, migrations.RunPython.noop),
    ]
