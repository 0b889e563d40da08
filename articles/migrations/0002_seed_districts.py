from django.db import migrations

DISTRICTS = [
    ("思明区", "思明", "Siming", "siming"),
    ("湖里区", "湖里", "Huli", "huli"),
    ("集美区", "集美", "Jimei", "jimei"),
    ("海沧区", "海沧", "Haicang", "haicang"),
    ("同安区", "同安", "Tong'an", "tongan"),
    ("翔安区", "翔安", "Xiang'an", "xiangan"),
]


def seed(apps, schema_editor):
    District = apps.get_model("articles", "District")
    for position, (name, short, pinyin, slug) in enumerate(DISTRICTS):
        District.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "short_name": short, "pinyin": pinyin, "position": position},
        )


def unseed(apps, schema_editor):
    apps.get_model("articles", "District").objects.filter(
        slug__in=[d[3] for d in DISTRICTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
