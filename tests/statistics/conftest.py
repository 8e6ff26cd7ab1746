# The directory's fixture: the statistics count the same organisations.
from tests.directory.conftest import small_directory  # noqa: F401
