from django.dispatch import Signal

# Sent inside the writing transaction after organisations were created or updated,
# with `organisations`, their `documents` (same order), the database alias `using` and
# `recorded` (the writer keeps the history itself). The directory keeps its search
# index current with it; the accounts app records imports over owned profiles.
profiles_saved = Signal()

# Sent inside the writing transaction before organisations are written, with
# `documents` (slug → document, which receivers may replace) and `using`. The network
# app resolves the collaborating clusters entries that have no resolution yet.
profiles_saving = Signal()
