"""What a cluster looks for in a partner, and the partners proposed, with their reasons."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from clusterhub.directory.query import DirectoryFilters

INTENTS: dict[str, str] = {
    "balanced": "Any good partner",
    "same_sector_abroad": "The same sector, abroad",
    "complementary": "Complementary sectors and members",
    "country": "Partners in a given country",
    "programme": "Partners for a given programme",
}
Intent = Literal["balanced", "same_sector_abroad", "complementary", "country", "programme"]


class PartnerQuery(DirectoryFilters):
    """The intent, and the directory's filters (country, sector, label, words…) that a
    proposed partner must meet."""

    intent: Intent = "balanced"
    limit: Annotated[int, Field(ge=1, le=100)] = 10

    @field_validator("intent")
    @classmethod
    def _intent_needs_its_filter(cls, intent: str, info: ValidationInfo) -> str:
        # The filters come before `intent` in the model, so they are known here.
        if intent == "country" and not info.data.get("country"):
            raise ValueError("'country' needs the country to look in (country=…)")
        if intent == "programme" and not info.data.get("programmes"):
            raise ValueError("'programme' needs the programme (programmes=…)")
        return intent


class Reason(BaseModel):
    kind: Literal[
        "same_sector",
        "related_sector",
        "technology_fields",
        "s3_priority_areas",
        "emerging_industries",
        "geography",
        "text",
        "programmes",
        "composition",
    ]
    text: str = Field(description="The reason in plain words, naming the shared values")
    points: float = Field(description="What this reason adds to the score")


class Partner(BaseModel):
    slug: str
    name: str
    country: str | None
    score: float = Field(description="0 to 100: the weighted sum of the reasons")
    reasons: list[Reason]
    collaborating: bool = Field(
        description="Already a collaboration (named by either side): shown, not proposed"
    )
    synthetic: bool = Field(False, description="A made-up demo profile, not a real cluster")


class PartnerResult(BaseModel):
    slug: str
    name: str
    intent: Intent
    candidates: int = Field(description="Profiles meeting the filters, before ranking")
    partners: list[Partner]
    existing: list[Partner] = Field(description="Existing collaborations, with their scores")
