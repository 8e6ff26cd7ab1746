from django.dispatch import Signal

# Sent inside the writing transaction after organisations were created or updated,
# with `organisations`, their `documents` (same order) and the database alias `using`. The directory keeps its
# search index current with it.
profiles_saved = Signal()
