"""What the demo shows besides profiles: demo accounts, funding calls, opportunities,
news and a conversation, all through the services a user's clicks go through (so the
demo data obeys every rule the real data does). Dates are relative to today, so the
lists always have open, upcoming and closed calls."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from clusterhub.accounts.apps import MODERATORS
from clusterhub.accounts.models import Ownership
from clusterhub.calls import services as calls
from clusterhub.ingest.demo_events import load_demo_events
from clusterhub.messaging import services as messaging
from clusterhub.news import services as news
from clusterhub.opportunities import services as opportunities
from clusterhub.profiles.choices import Status
from clusterhub.profiles.models import ClusterOrganisation
from clusterhub.vocab.models import Term

# For a laptop's demo only: README says so, and `--if-empty` never adds them to real data.
DEMO_PASSWORD = "clusterhub-demo"
DEMO_ACCOUNTS = ("moderator@demo.invalid", "owner@demo.invalid", "member@demo.invalid")
SEED_SLUG = "cluster-do-audiovisual-galego"

# (programme, kind, identifier stem, title, days it opened ago, days until it closes, budget)
CALLS = (
    ("Horizon Europe", "eu", "HORIZON-CL4-INDUSTRY", "Cluster-led industrial transition pilots", 40, 75, 30_000_000),
    ("Horizon Europe", "eu", "HORIZON-CL5-D3", "Offshore renewable energy demonstrators", 20, 120, 25_000_000),
    ("Single Market Programme", "eu", "SMP-COSME-EUROCLUSTERS", "Euroclusters for Europe's recovery", 10, 30, 42_000_000),
    ("Digital Europe Programme", "eu", "DIGITAL-EDIH", "European Digital Innovation Hubs: cluster services", 60, 14, 18_000_000),
    ("Interreg Atlantic Area", "eu", "INTERREG-AA-P3", "Blue economy value chains across the Atlantic", -21, 100, 9_500_000),
    ("Interreg Europe", "eu", "INTERREG-EU-5", "Policy learning for smart specialisation", 200, -12, 60_000_000),
    ("Euroclusters cascade funding", "cascade", "EUROCLUSTERS-OC3", "Internationalisation vouchers for SMEs", 5, 45, 1_200_000),
    ("EIT Manufacturing", "cascade", "EITM-BOOST", "Boosting innovation in manufacturing SMEs", 30, 21, 2_000_000),
    ("Agencia Gallega de Innovación", "regional", "GAIN-CLUSTERS", "Support for Galician innovation clusters", 15, 60, 4_000_000),
    ("Bpifrance", "national", "BPI-POLES", "Pôles de compétitivité: collaborative projects", -45, 150, 20_000_000),
    ("Vinnova", "national", "VINNOVA-STRONG", "Strong research and innovation environments", 90, -30, 12_000_000),
    ("Bayerisches Wirtschaftsministerium", "regional", "BY-CLUSTER", "Bavarian cluster offensive: cooperation projects", 25, 90, 6_000_000),
)  # fmt: skip
NEWS = (
    (
        "news",
        "New members from the {sector} supply chain",
        "Five companies joined the cluster this month.",
    ),
    ("event", "Matchmaking day: {sector}", "One-to-one meetings with clusters from across Europe."),
    (
        "news",
        "Our strategy for the next five years",
        "The general assembly adopted the cluster's new strategy.",
    ),
    (
        "event",
        "Study visit to partner clusters",
        "A delegation of members visits partner clusters abroad.",
    ),
)
KINDS = ("offer", "request", "partner_search")


@dataclass
class DemoActivity:
    calls: int = 0
    opportunities: int = 0
    news: int = 0
    conversations: int = 0
    events: int = 0

    def summary(self) -> str:
        return (
            f"Demo activity: {self.calls} funding calls, {self.opportunities} opportunities, "
            f"{self.news} news items, {self.conversations} conversation(s), {self.events} "
            f"matchmaking events; demo accounts "
            f"{', '.join(DEMO_ACCOUNTS)} (password {DEMO_PASSWORD!r}: a laptop's demo only)."
        )


def _account(email: str):
    user, created = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email, "first_name": email.split("@")[0].title()}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load_demo_activity(seed: int = 1) -> DemoActivity:
    rng = random.Random(seed)
    today = timezone.localdate()
    done = DemoActivity()
    moderator, owner, member = (_account(e) for e in DEMO_ACCOUNTS)
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    moderator = get_user_model().objects.get(pk=moderator.pk)  # a fresh permission cache
    orgs = list(ClusterOrganisation.objects.filter(status=Status.PUBLISHED).order_by("pk"))
    if not orgs:
        return done
    home = next((o for o in orgs if o.slug == SEED_SLUG), orgs[0])
    Ownership.objects.get_or_create(user=owner, organisation=home)
    sectors = [
        t.label for t in Term.objects.filter(vocabulary="sectoral_industries", reviewed=True)
    ]
    countries = sorted({o.country for o in orgs if o.country})

    made_calls = []
    for number, (programme, kind, stem, title, opened, closes, budget) in enumerate(CALLS):
        made_calls.append(calls.create(moderator, calls.CallIn(
            identifier=f"{stem}-{today.year}-{number + 1:02d}", programme=programme,
            title=title, kind=kind, budget_eur=budget,
            summary=f"{title}. Open to cluster organisations and their member companies.",
            link=f"https://example.org/funding/{stem.lower()}",
            opens_on=today - timedelta(days=opened), closes_on=today + timedelta(days=closes),
            eligible_countries=rng.sample(countries, min(len(countries), rng.randint(3, 12))),
            sectoral_industries=rng.sample(sectors, min(len(sectors), 2)),
        )))  # fmt: skip
    done.calls = len(made_calls)

    open_calls = [c for c in made_calls if c.state(today) == c.State.OPEN]
    posters = [home, *rng.sample(orgs, min(len(orgs), 14))]
    for number, org in enumerate(dict.fromkeys(posters)):
        Ownership.objects.get_or_create(user=owner, organisation=org)
        kind = KINDS[number % len(KINDS)]
        call = rng.choice(open_calls) if kind == "partner_search" and open_calls else None
        sector = org.terms.filter(vocabulary="sectoral_industries").first()
        subject = sector.label if sector else org.name
        opportunity = opportunities.create(owner, org.slug, opportunities.OpportunityIn(
            kind=kind, title={
                "offer": f"{org.name} offers testing facilities in {subject}",
                "request": f"Looking for technology providers in {subject}",
                "partner_search": f"Partners wanted for {call.identifier if call else 'a funding call'}",
            }[kind][:200],
            summary=f"{org.name} ({org.country}) is looking for cluster partners abroad.",
            details="Contact us through Clusterhub to discuss how we could work together.",
            sectoral_industries=[sector.label] if sector else [],
            target_countries=rng.sample(countries, min(len(countries), 3)),
            call=call.identifier if call else "", deadline=call.closes_on if call else None,
        ))  # fmt: skip
        opportunities.change_status(owner, opportunity.pk, "submit")
        opportunities.change_status(moderator, opportunity.pk, "publish")
        done.opportunities += 1
        template = NEWS[number % len(NEWS)]
        news.post(moderator, org.slug, news.NewsIn(
            kind=template[0], title=template[1].format(sector=subject)[:200], text=template[2],
            date=today + timedelta(days=rng.randint(-60, 60) if template[0] == "event" else -rng.randint(0, 90)),
        ))  # fmt: skip
        done.news += 1

    conversation = messaging.contact(
        member, home.slug, subject="Co-production partners in Galicia",
        body="Hello! Our members produce animation and look for co-production partners in "
        "Galicia. Could we talk next week?",
        sender_name="Demo Member", sender_organisation="Nordic Animation Cluster",
    )  # fmt: skip
    messaging.reply(owner, conversation.pk, "Gladly: Tuesday at 10:00 suits us. Talk then!")
    done.conversations = 1
    done.events = load_demo_events(moderator, owner, member, list(dict.fromkeys(posters)), seed)
    return done
