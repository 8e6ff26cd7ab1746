"""Dates a European reader types into a form in English ("25/12/2026", "25 Dec 2026"),
not Django's American defaults ("12/25/2026"); pages write dates with CLDR's patterns
(profile_tags: `day`, `moment`, `clock`), forms of other languages take Django's."""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y"]
