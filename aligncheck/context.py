"""Reading a doubtful stance with its section.

The scorer reads one passage at a time. A paragraph that introduces a risk model ("the model
computes a risk score for companies from their sector, size and earlier inspections") reads on its
own as data use without safeguards, while the list of safeguards that follows it in the same section
makes plain what the plan means. A reader takes the paragraph with what stands around it. Where the
stance of a passage on a principle is a coin flip (`ScoredPassageRef.doubtful_conflict`), a passage
near it in the same section clearly supports the principle, and no passage of the section clearly
goes against it, the section's reading prevails: the passage is not reported as going against the
principle. A clear conflict is never overruled."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from aligncheck.types import STANCE_DOUBT, Passage, doubtful_stance

CLEAR_SUPPORT = 1.0 - STANCE_DOUBT
"""A supporting passage whose probability of conflict is at most this has a clear stance."""

WINDOW = 3
"""How far (in passages) the clear support may stand from the doubtful passage. A section is not
always a paragraph's neighbourhood: a web page with one heading, or a plan whose sub-headings were
not recognised, is one long section."""


def read_with_sections(
    passages: Sequence[Passage],
    labels: Sequence[dict[str, str]],
    conflict_scores: Sequence[dict[str, float]],
    against_only: Sequence[frozenset[str]],
) -> tuple[list[dict[str, str]], list[frozenset[str]]]:
    """The passages' labels with doubtful conflicts read with their section, and per passage the
    principles whose stance was read that way.

    A conflict label on a principle is doubtful when its probability of conflict is below
    STANCE_DOUBT or only the against model gave it (`against_only`). When another passage of the
    same section, at most WINDOW passages away, supports the principle with a clear stance
    (probability of conflict at most CLEAR_SUPPORT) and no passage of the section goes against it
    with a clear one, a doubtful conflict on a passage the scorer finds addressing the principle
    becomes `supports`, and one the against model alone found is dropped (the passage does not
    address the principle). Passages outside any section are read on their own."""
    out = [dict(lab) for lab in labels]
    read: list[set[str]] = [set() for _ in passages]
    by_section: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, passage in enumerate(passages):
        if passage.section:
            by_section[passage.section].append(i)

    def doubtful(i: int, pid: str) -> bool:
        return doubtful_stance(conflict_scores[i].get(pid), pid in against_only[i])

    for members in by_section.values():
        if len(members) < 2:
            continue
        principles = {pid for i in members for pid, stance in labels[i].items() if stance == "conflicts"}
        for pid in sorted(principles):
            doubts = [i for i in members if labels[i].get(pid) == "conflicts" and doubtful(i, pid)]
            if not doubts:
                continue
            if any(labels[i].get(pid) == "conflicts" and not doubtful(i, pid) for i in members):
                continue
            support = [
                j
                for j in members
                if labels[j].get(pid) == "supports" and conflict_scores[j].get(pid, 1.0) <= CLEAR_SUPPORT
            ]
            for i in doubts:
                if not any(abs(j - i) <= WINDOW for j in support):
                    continue
                if pid in against_only[i]:
                    del out[i][pid]
                else:
                    out[i][pid] = "supports"
                read[i].add(pid)
    return out, [frozenset(r) for r in read]
