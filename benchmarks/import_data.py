"""Data for the import benchmark: realistic synthetic RIS records, and copies of some of them
with the changes real duplicates show (a typo in the title, changed case or punctuation, the author
written another way, the DOI missing)."""

from __future__ import annotations

import random
from pathlib import Path

DUPLICATE_SHARE = 0.10
SEED = 2026

WORDS = [
    "trial",
    "randomised",
    "cohort",
    "infant",
    "mother",
    "father",
    "parent",
    "therapy",
    "outcome",
    "anxiety",
    "depression",
    "school",
    "adolescent",
    "child",
    "attachment",
    "sensitivity",
    "intervention",
    "programme",
    "effect",
    "efficacy",
    "psychotherapy",
    "postnatal",
    "perinatal",
    "maternal",
    "paternal",
    "home",
    "visiting",
    "video",
    "feedback",
    "group",
    "community",
    "primary",
    "care",
    "follow-up",
    "long-term",
    "pilot",
    "feasibility",
    "controlled",
    "evaluation",
    "study",
    "mental",
    "health",
    "wellbeing",
    "behaviour",
    "problems",
    "toddler",
    "preschool",
    "prevention",
    "early",
    "years",
    "relationship",
    "bonding",
    "reflective",
    "functioning",
    "mentalization",
    "dyadic",
    "interaction",
    "quality",
    "low-income",
    "families",
    "risk",
    "vulnerable",
    "population",
    "systematic",
    "review",
    "meta-analysis",
    "cost",
    "effectiveness",
    "implementation",
    "fidelity",
    "training",
    "nurses",
    "psychologists",
    "outcomes",
    "measures",
]
SYLLABLES = [
    "ba",
    "be",
    "bo",
    "ka",
    "ke",
    "ko",
    "la",
    "le",
    "lo",
    "ma",
    "me",
    "mo",
    "na",
    "ne",
    "no",
    "ra",
    "re",
    "ro",
    "sa",
    "se",
    "so",
    "ta",
    "te",
    "to",
    "va",
    "ve",
    "vi",
    "zu",
]
JOURNALS = [
    f"Journal of {a} {b}"
    for a in ("Child", "Infant", "Family", "Clinical", "Applied")
    for b in ("Psychology", "Psychiatry", "Health", "Development", "Nursing", "Research")
]


def _surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _record(rng: random.Random, i: int) -> dict:
    return {
        "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize(),
        "authors": [(_surname(rng), _surname(rng)) for _ in range(rng.randint(1, 6))],
        "year": rng.randint(1980, 2025),
        "journal": rng.choice(JOURNALS),
        "volume": str(rng.randint(1, 80)),
        "issue": str(rng.randint(1, 12)),
        "start": rng.randint(1, 900),
        "doi": f"10.{rng.randint(1000, 9999)}/bench.{i}",
        "abstract": " ".join(rng.choice(WORDS) for _ in range(rng.randint(80, 200))),
        "keywords": rng.sample(WORDS, 5),
    }


def _perturb(rng: random.Random, original: dict) -> dict:
    dup = dict(original)
    title = dup["title"]
    change = rng.choice(["typo", "case", "punctuation", "typo+case"])
    if "typo" in change:
        pos = rng.randrange(1, len(title) - 1)
        op = rng.choice(["swap", "drop", "insert"])
        if op == "swap":
            title = title[:pos] + title[pos + 1] + title[pos] + title[pos + 2 :]
        elif op == "drop":
            title = title[:pos] + title[pos + 1 :]
        else:
            title = title[:pos] + rng.choice("abcdefghijklmnopqrstuvwxyz") + title[pos:]
    if "case" in change:
        title = title.upper() if rng.random() < 0.5 else title.title()
    if change == "punctuation":
        words = title.split()
        words.insert(rng.randrange(1, len(words)), ":")
        title = " ".join(words).replace(" :", ":") + "."
    dup["title"] = title
    if rng.random() < 0.6:
        dup["doi"] = ""
    if rng.random() < 0.5:  # 'Surname, Given' -> 'Surname G'
        dup["authors"] = [(s, g[0]) for s, g in dup["authors"]]
        dup["initials"] = True
    return dup


def _ris(record: dict) -> str:
    initials = record.get("initials")
    lines = ["TY  - JOUR", f"TI  - {record['title']}"]
    lines += [f"AU  - {s} {g}" if initials else f"AU  - {s}, {g}" for s, g in record["authors"]]
    lines += [
        f"PY  - {record['year']}",
        f"T2  - {record['journal']}",
        f"VL  - {record['volume']}",
        f"IS  - {record['issue']}",
        f"SP  - {record['start']}",
        f"EP  - {record['start'] + 11}",
    ]
    if record["doi"]:
        lines.append(f"DO  - {record['doi']}")
    lines.append(f"AB  - {record['abstract']}")
    lines += [f"KW  - {k}" for k in record["keywords"]]
    lines += ["LA  - English", "ER  - ", ""]
    return "\n".join(lines) + "\n"


def generate(path: Path, n: int) -> dict[int, int]:
    """Write ``n`` records to ``path``; return position -> group (the original's position)."""
    rng = random.Random(SEED)
    n_dups = int(n * DUPLICATE_SHARE)
    originals = [_record(rng, i) for i in range(n - n_dups)]
    entries = [(i, rec) for i, rec in enumerate(originals)]
    entries += [(g, _perturb(rng, originals[g])) for g in rng.sample(range(len(originals)), n_dups)]
    rng.shuffle(entries)
    group: dict[int, int] = {}
    with path.open("w", encoding="utf-8") as out:
        for position, (g, record) in enumerate(entries, start=1):
            out.write(_ris(record))
            group[position] = g
    return group
