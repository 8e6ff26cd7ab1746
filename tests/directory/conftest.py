import pytest

from clusterhub.ingest.demo import synthetic_profiles
from clusterhub.profiles.schema import ProfileDoc
from tests.documents import save_documents


def profile(name: str, **values) -> ProfileDoc:
    return ProfileDoc.model_validate({"name": name, **values})


@pytest.fixture
def small_directory(db, seed_doc):
    """The seed, a few hand-made profiles with known words, and 60 synthetic ones."""
    docs = [
        seed_doc,
        profile(
            "Cluster Têxtil do Norte",
            country="PT",
            regions=["Norte"],
            sectoral_industries=["Textile Manufacturing", "Apparel"],
            members={"total": 120},
            established="1998-05-01",
            mission="Smart textiles and sustainable fashion.",
            cluster_excellence_label="Gold",
        ),
        profile(
            "Clúster de la Moda de Galicia",
            country="ES",
            regions=["Galicia"],
            sectoral_industries=["Apparel"],
            members={"total": 30},
            established="2010-01-01",
            mission="Fashion brands from Galicia; textil know-how.",
        ),
        profile(
            "Blue Sea Network",
            country="FR",
            sectoral_industries=["Water Transportation"],
            members={"total": 60},
            mission="Maritime cluster. The textile word appears here textile textile textile.",
        ),
    ]
    save_documents(docs + synthetic_profiles(60, seed=11))
    return docs
