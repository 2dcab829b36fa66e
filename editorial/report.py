"""Writing the content report: Markdown for editors, a CSV of every count, a PNG chart. Nothing in
it names a conversation: only questions, statuses, passages and articles."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Mapping, Sequence

from editorial.grouping import QuestionGroup
from editorial.tally import Tally, excerpt
from knowledge.passages import Passage

TOP_DISLIKED = 10
CSV_FIELDS = ("section", "name", "article", "count", "up", "down")


def markdown(
    tally: Tally, groups: Sequence[QuestionGroup], passages: Mapping[str, Passage], window: str, distance: float
) -> str:
    """The report for editors: what was asked and refused, the unanswered questions by meaning,
    votes per article, the passages with the most 👎."""
    lines = [
        f"# Content report: {window}",
        "",
        f"Questions asked: **{tally.asked}**; answered from the articles: **{tally.answered}**; "
        f"not answered: **{tally.asked - tally.answered}**.",
        "",
        "| Status | Questions |",
        "|---|---|",
        f"| answered | {tally.answered} |",
        *(f"| {status} | {count} |" for status, count in tally.refused),
        "",
        "## Unanswered questions, grouped by meaning",
        "",
        f"Grouped by the embedding model, questions within cosine distance {distance:g} on average "
        "(CONTENT_GROUP_DISTANCE); biggest group first, its most asked wordings as examples.",
        "",
    ]
    if groups:
        lines += ["| Questions | Examples |", "|---|---|"]
        lines += [f"| {group.count} | {' · '.join(_cell(e) for e in group.examples)} |" for group in groups]
    else:
        lines.append("None.")
    lines += ["", "## Articles", "", "| Article | Shown | 👍 | 👎 |", "|---|---|---|---|"]
    lines += [f"| {_cell(a.name)} | {a.shown} | {a.up} | {a.down} |" for a in tally.articles]
    disliked = [votes for votes in tally.passages if votes.down][:TOP_DISLIKED]
    lines += ["", "## Passages with the most 👎", ""]
    if disliked:
        lines += ["| 👎 | 👍 | Shown | Article | Passage |", "|---|---|---|---|---|"]
        for votes in disliked:
            text = _cell(excerpt(passages[votes.name])) if votes.name in passages else ""
            lines.append(
                f"| {votes.down} | {votes.up} | {votes.shown} | {_cell(votes.article)} | `{votes.name}` {text} |"
            )
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def write_csv(path: Path, tally: Tally, groups: Sequence[QuestionGroup]) -> None:
    """One row per status, unanswered group (named by its first example), article and passage."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_FIELDS)
        writer.writerow(("status", "answered", "", tally.answered, "", ""))
        writer.writerows(("status", status, "", count, "", "") for status, count in tally.refused)
        writer.writerows(
            ("unanswered_group", spreadsheet_safe(group.examples[0]), "", group.count, "", "") for group in groups
        )
        writer.writerows(
            ("article", spreadsheet_safe(a.name), spreadsheet_safe(a.name), a.shown, a.up, a.down)
            for a in tally.articles
        )
        writer.writerows(
            ("passage", p.name, spreadsheet_safe(p.article), p.shown, p.up, p.down) for p in tally.passages
        )


def write_chart(path: Path, tally: Tally) -> None:
    """Questions by status, and 👍 / 👎 per article."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    statuses = [("answered", tally.answered), *tally.refused]
    articles = list(tally.articles)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [1, 1.6]})
    left.barh([s for s, _ in statuses][::-1], [n for _, n in statuses][::-1], color="#4c72b0")
    left.set_title("Questions by status")
    left.set_xlabel("questions")
    names = [_short(a.name) for a in articles][::-1]
    rows = range(len(articles))
    right.barh([r + 0.2 for r in rows], [a.up for a in articles][::-1], height=0.4, color="#55a868", label="up")
    right.barh([r - 0.2 for r in rows], [a.down for a in articles][::-1], height=0.4, color="#c44e52", label="down")
    right.set_yticks(list(rows), names)
    right.set_title("Votes per article")
    right.set_xlabel("votes")
    right.legend()
    for axes in (left, right):
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def spreadsheet_safe(text: str) -> str:
    """`text` that a spreadsheet shows as text, never runs as a formula (OWASP, CSV injection): a
    cell that starts with = + - @ or a tab or carriage return gets a leading apostrophe."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


_MARKDOWN_SPECIAL = set("\\`*_[]|#!")


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell, on one line, with no markup or link of its own."""
    flat = " ".join(text.split())
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIAL else char for char in flat).replace("<", "&lt;")


def _short(title: str, limit: int = 40) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"
