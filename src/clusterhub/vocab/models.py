from django.db import models


class Term(models.Model):
    """One value of a controlled vocabulary, e.g. a sectoral industry.

    Terms shipped in the package's data files are reviewed; a value first met on
    import is kept as an unreviewed term until a moderator looks at it.
    """

    vocabulary = models.CharField(max_length=50, db_index=True)
    label = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300)
    reviewed = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0, help_text="Position in the vocabulary file.")

    class Meta:
        ordering = ["vocabulary", "order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "label"], name="term_unique_label"),
            models.UniqueConstraint(fields=["vocabulary", "slug"], name="term_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.label
