# The directory's fixture: the statistics count the same organisations.
from tests.directory.conftest import small_directory  # noqa: F401

# The selections every statistic and the map are checked with: none, a facet value, a
# word, two values of one facet.
SELECTIONS = [
    [],
    [("sectoral_industries", "apparel")],
    [("q", "textile")],
    [("country", "ES"), ("country", "PT")],
]
