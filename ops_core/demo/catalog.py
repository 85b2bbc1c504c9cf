"""The demo world: partners, clients and each rail's shape, as data.

Names are fictional except the card networks. Shapes follow domain.md: ACH settles next
banking day at 8:30 ET or in a Same Day window (§2.6); instant rails run 24x7 and answer in
seconds (§4.4, §9); card push answers within the 30 s API window (§5.1); USDC is final after
Ethereum finality, about 12.8 minutes (§8.2).
"""

from __future__ import annotations

from dataclasses import dataclass

PARTNERS: list[tuple[str, str, str, str]] = [
    # partner_id, name, kind, country
    ("LAKESHORE", "Lakeshore Bank", "bank", "US"),
    ("MERIDIAN", "Meridian Trust", "bank", "US"),
    ("VISA", "Visa", "network", "US"),
    ("MASTERCARD", "Mastercard", "network", "US"),
    ("KEYSTONE", "Keystone Digital", "psp", "US"),
    ("NORDHAVN", "Nordhavn Bank", "bank", "DK"),
    ("ALTAVISTA", "Banco Altavista", "bank", "MX"),
    ("INDUSPAY", "Indus PayLink", "psp", "IN"),
]

# client_id, name, segment, country, onboarded (days before the end of the demo window)
CLIENTS: list[tuple[str, str, str, str, int]] = [
    ("acme", "Acme Payroll", "payroll", "US", 900),
    ("brightline", "Brightline Lending", "lending", "US", 600),
    ("cobalt", "Cobalt Marketplace", "marketplace", "US", 420),
    ("driftwood", "Driftwood Insurance", "insurance", "US", 1200),
    ("evergreen", "Evergreen Gig Pay", "gig economy", "US", 300),
    ("fjord", "Fjord Travel", "travel", "DK", 500),
    ("granite", "Granite Rent", "property", "US", 110),
    ("helios", "Helios Energy", "utilities", "US", 800),
    ("ironclad", "Ironclad Freight", "logistics", "MX", 380),
    ("juniper", "Juniper Health", "healthcare", "US", 700),
    ("kestrel", "Kestrel Remit", "remittance", "US", 250),
    ("lumen", "Lumen Games", "gaming", "US", 180),
    ("mosaic", "Mosaic Creators", "creator payouts", "US", 150),
    ("northwind", "Northwind Payouts", "payouts", "US", 350),
]


@dataclass(frozen=True)
class RailShape:
    """How one rail's payments look: share of volume, who uses it, amounts, outcomes."""

    rail_id: str
    share: float  # of all payments
    partners: dict[str, float]  # partner_id -> weight
    clients: dict[str, float]  # client_id -> weight
    median_major: float  # median amount in major units (lognormal)
    sigma: float
    latency_median_s: float  # attempt latency (created -> final), lognormal
    latency_sigma: float
    weekend_factor: float  # weekend volume relative to a weekday
    hour_peak_utc: int  # peak hour of day, UTC
    pull_share: float  # share of pulls (debits from the counterparty)
    txn_types: dict[str, float]
    failures: dict[str, float]  # code -> probability per attempt (the rest succeed)
    retryable: tuple[str, ...] = ()


RAIL_SHAPES: list[RailShape] = [
    RailShape(
        "ACH",
        0.34,
        {"LAKESHORE": 0.6, "MERIDIAN": 0.4},
        {
            "acme": 5,
            "brightline": 3,
            "driftwood": 2,
            "granite": 2,
            "helios": 3,
            "juniper": 2,
            "evergreen": 1,
            "northwind": 1,
        },
        250.0,
        1.3,
        0.0,
        0.0,
        0.03,
        15,
        0.45,
        {"PPD": 0.55, "CCD": 0.2, "WEB": 0.2, "TEL": 0.05},
        # Return mix (domain.md §1.1); unauthorized codes kept low (§1.2 threshold 0.5%).
        {
            "R01": 0.0060,
            "R02": 0.0015,
            "R03": 0.0020,
            "R04": 0.0005,
            "R08": 0.0004,
            "R16": 0.0004,
            "R20": 0.0003,
            "R10": 0.0004,
            "R05": 0.0001,
            "R07": 0.0001,
            "R29": 0.0001,
            "R11": 0.0001,
        },
        ("R01",),
    ),
    RailShape(
        "RTP",
        0.10,
        {"LAKESHORE": 0.55, "MERIDIAN": 0.45},
        {"acme": 2, "evergreen": 3, "northwind": 3, "mosaic": 2, "cobalt": 1, "brightline": 1},
        400.0,
        1.2,
        1.2,
        0.45,
        0.75,
        17,
        0.0,
        {"P2P": 0.3, "B2C": 0.6, "B2B": 0.1},
        {
            "AC04": 0.004,
            "AC03": 0.003,
            "AM04": 0.002,
            "DS24": 0.002,
            "AG01": 0.001,
            "NARR": 0.001,
            "FF01": 0.001,
        },
        ("DS24",),
    ),
    RailShape(
        "FEDNOW",
        0.05,
        {"MERIDIAN": 1.0},
        {"northwind": 3, "evergreen": 2, "mosaic": 1, "acme": 1},
        350.0,
        1.2,
        1.5,
        0.5,
        0.75,
        17,
        0.0,
        {"P2P": 0.3, "B2C": 0.6, "B2B": 0.1},
        {"AC04": 0.004, "AC03": 0.003, "AM04": 0.002, "E997": 0.002, "AG01": 0.001, "FF01": 0.001},
        ("E997",),
    ),
    RailShape(
        "VISA_DIRECT",
        0.12,
        {"VISA": 1.0},
        {"evergreen": 3, "mosaic": 3, "lumen": 3, "cobalt": 2, "kestrel": 1, "driftwood": 1},
        120.0,
        1.0,
        1.4,
        0.5,
        0.9,
        19,
        0.15,
        {"OCT": 0.85, "AFT": 0.15},
        {
            "05": 0.015,
            "51": 0.008,
            "14": 0.004,
            "57": 0.008,
            "91": 0.003,
            "96": 0.002,
            "61": 0.003,
            "54": 0.002,
            "59": 0.002,
        },
        ("91", "96", "51"),
    ),
    RailShape(
        "MC_MOVE",
        0.08,
        {"MASTERCARD": 1.0},
        {"evergreen": 2, "mosaic": 2, "lumen": 2, "cobalt": 2, "kestrel": 1},
        110.0,
        1.0,
        1.6,
        0.5,
        0.9,
        19,
        0.1,
        {"OCT": 0.9, "AFT": 0.1},
        {"05": 0.014, "51": 0.008, "14": 0.004, "57": 0.007, "91": 0.003, "96": 0.002, "61": 0.003},
        ("91", "96", "51"),
    ),
    RailShape(
        "USDC",
        0.05,
        {"KEYSTONE": 1.0},
        {"kestrel": 3, "cobalt": 1, "mosaic": 1, "fjord": 1},
        2000.0,
        1.5,
        780.0,
        0.12,
        0.95,
        14,
        0.0,
        {"TRANSFER": 1.0},
        {"reverted": 0.002, "dropped": 0.001},
        ("dropped",),
    ),
    RailShape(
        "SEPA_INST",
        0.10,
        {"NORDHAVN": 1.0},
        {"fjord": 4, "kestrel": 2, "cobalt": 1},
        300.0,
        1.2,
        2.5,
        0.45,
        0.6,
        10,
        0.0,
        {"P2P": 0.4, "B2C": 0.5, "B2B": 0.1},
        {"AC04": 0.005, "AM04": 0.004, "AC01": 0.003, "AB05": 0.002, "FF01": 0.001, "RR04": 0.001},
        ("AB05",),
    ),
    RailShape(
        "SPEI",
        0.08,
        {"ALTAVISTA": 1.0},
        {"ironclad": 3, "kestrel": 3, "cobalt": 1},
        2500.0,
        1.2,
        8.0,
        0.5,
        0.5,
        17,
        0.0,
        {"P2P": 0.3, "B2C": 0.3, "B2B": 0.4},
        {"01": 0.005, "03": 0.003, "02": 0.002, "17": 0.002, "05": 0.001},
        (),
    ),
    RailShape(
        "UPI",
        0.08,
        {"INDUSPAY": 1.0},
        {"kestrel": 4, "lumen": 1, "fjord": 1},
        800.0,
        1.1,
        4.0,
        0.5,
        1.0,
        8,
        0.0,
        {"P2P": 0.7, "P2M": 0.3},
        {"U30": 0.012, "U16": 0.006, "ZM": 0.008, "U69": 0.003, "U48": 0.001},
        ("U30",),
    ),
]

FIRST_NAMES = [
    "James",
    "Maria",
    "Wei",
    "Aisha",
    "Carlos",
    "Priya",
    "John",
    "Fatima",
    "Liam",
    "Sofia",
    "Noah",
    "Elena",
    "Ravi",
    "Grace",
    "Mateo",
    "Hannah",
    "Omar",
    "Chloe",
    "Diego",
    "Anika",
    "Lucas",
    "Mei",
    "Ethan",
    "Zara",
]
LAST_NAMES = [
    "Smith",
    "Garcia",
    "Chen",
    "Khan",
    "Lopez",
    "Patel",
    "Johnson",
    "Nguyen",
    "Brown",
    "Hernandez",
    "Kim",
    "Jensen",
    "Sharma",
    "Miller",
    "Rossi",
    "Okafor",
    "Silva",
    "Müller",
    "Cohen",
    "Tanaka",
    "Walker",
    "Reyes",
    "Singh",
    "Larsen",
]
