from django.dispatch import Signal

# Sent inside the writing transaction after organisations were created or updated,
# with `organisations`, their `documents` (same order), the database alias `using` and
# `recorded` (the writer keeps the history itself). The directory keeps its search
# index current with it; the accounts app records imports over owned profiles.
profiles_saved = Signal()
