from django.db import migrations


def load(apps, schema_editor):
    from clusterhub.vocab.services import load_vocabularies

    load_vocabularies(apps.get_model("vocab", "Term"))


class Migration(migrations.Migration):
    dependencies = [("vocab", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
