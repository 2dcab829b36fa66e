"""Performance over REST, side by side with the stock `rasa init` assistant in the same run:
per-turn latency one conversation at a time and with 16 at once, turns per second, the servers'
memory; where a turn's time goes inside Rasa; then retrieval alone in the process and the index
build time.

    python -m evaluation.bench   # `make bench` -> reports/bench.md, reports/bench.png

Both assistants run at once on free loopback ports and are measured in alternating blocks, so
that other work on the machine weighs on both alike. Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import settings
from evaluation.bench_conversations import OURS, REFERENCE, SMALL_TALK, Conversation, turn_count
from evaluation.bench_servers import Memory, ServedBot, start_ours, start_reference
from evaluation.questions import load_split
from evaluation.reference_bot import reference_model
from evaluation.rest_load import LoadRun, Turn, run_load
from evaluation.retrieval_timing import RetrievalTiming, time_retrieval
from evaluation.turn_profile import STAGES, TurnProfile, profile

REPORTS_DIR = settings.ROOT / "reports"
BOTS = ("ours", "reference")
# Ours / reference: p50 and p95 at most, throughput under concurrency at least.
TARGET_P50, TARGET_P95, TARGET_THROUGHPUT = 1.3, 1.5, 0.8


@dataclass(frozen=True)
class Plan:
    sequential_blocks: int  # each block: every conversation once, one at a time
    clients: int  # conversations at once
    concurrent_blocks: int
    concurrent_rounds: int  # conversations each client holds per block


@dataclass(frozen=True)
class Machine:
    cores: int
    memory_gib: float
    cpu: str
    load_before: Tuple[float, float, float]
    load_after: Tuple[float, float, float]


@dataclass(frozen=True)
class BotFigures:
    start_s: float
    sequential: LoadRun
    concurrent: LoadRun
    memory_started: Dict[str, Memory]  # after start-up and one warm-up pass
    memory_after: Dict[str, Memory]  # after the bench


@dataclass(frozen=True)
class Results:
    plan: Plan
    machine: Machine
    bots: Dict[str, BotFigures]
    profiles: Dict[str, TurnProfile]
    retrieval: RetrievalTiming
    when: str


def measure(plan: Plan, config: settings.Settings) -> Results:
    work = config.build_dir / "bench"
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    reference_dir = work / "reference"
    model = reference_model(reference_dir)
    served: Dict[str, ServedBot] = {}
    try:
        print("Starting our bot and the reference…", flush=True)
        served["ours"] = start_ours(work)
        served["reference"] = start_reference(reference_dir, model, work)
        scripts = {"ours": OURS, "reference": REFERENCE}
        for name in BOTS:  # load what the first turns load, then start counting
            run_load(served[name].url, scripts[name], 1, len(scripts[name]), f"warm-{name}")
        started = {name: served[name].memory_mib() for name in BOTS}
        sequential = _alternating(served, scripts, plan.sequential_blocks, 1, None, "seq")
        concurrent = _alternating(served, scripts, plan.concurrent_blocks, plan.clients, plan.concurrent_rounds, "conc")
        after = {name: served[name].memory_mib() for name in BOTS}
        starts = {name: served[name].start_s for name in BOTS}
        print("Profiling a turn inside Rasa…", flush=True)
        profiles = {
            "ours": profile(config.rasa_model, served["ours"].action_url, OURS),
            "reference": profile(model, None, REFERENCE),
        }
    finally:
        for bot in served.values():
            bot.stop()
    print("Timing retrieval in the process…", flush=True)
    questions = [q.text for split in ("dev", "test") for q in load_split(split)]
    retrieval = time_retrieval(config, questions)
    bots = {
        name: BotFigures(starts[name], sequential[name], concurrent[name], started[name], after[name]) for name in BOTS
    }
    machine = Machine(os.cpu_count() or 0, _memory_gib(), _cpu_model(), load_before, os.getloadavg())
    return Results(plan, machine, bots, profiles, retrieval, datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))


def _alternating(
    served: Dict[str, ServedBot],
    scripts: Mapping[str, Sequence[Conversation]],
    blocks: int,
    clients: int,
    rounds: Optional[int],
    tag: str,
) -> Dict[str, LoadRun]:
    """`blocks` runs of each bot, alternating, merged into one run per bot."""
    runs: Dict[str, List[LoadRun]] = {name: [] for name in BOTS}
    for block in range(blocks):
        order = BOTS if block % 2 == 0 else BOTS[::-1]
        for name in order:
            count = rounds if rounds is not None else len(scripts[name])
            print(f"  {tag} block {block + 1}/{blocks}: {name}, {clients} client(s)", flush=True)
            runs[name].append(run_load(served[name].url, scripts[name], clients, count, f"{tag}{block}-{name}"))
    return {
        name: LoadRun(clients, tuple(t for run in items for t in run.turns), sum(run.wall_s for run in items))
        for name, items in runs.items()
    }


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2
    return 0.0


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


# ---- the report ----------------------------------------------------------------------------


def ratios(results: Results) -> Dict[str, float]:
    ours, ref = results.bots["ours"], results.bots["reference"]
    return {
        "p50": ours.sequential.latency().p50 / ref.sequential.latency().p50,
        "p95": ours.sequential.latency().p95 / ref.sequential.latency().p95,
        "throughput": ours.concurrent.turns_per_s / ref.concurrent.turns_per_s,
    }


def targets(results: Results) -> List[Tuple[str, str, str, bool]]:
    """(target, goal, result, met) for each of the issue's targets."""
    r = ratios(results)
    errors = results.bots["ours"].concurrent.errors
    clients = results.plan.clients
    return [
        (
            "p50 per turn, one conversation at a time",
            f"≤ {TARGET_P50}× reference",
            f"{r['p50']:.2f}×",
            r["p50"] <= TARGET_P50,
        ),
        (
            "p95 per turn, one conversation at a time",
            f"≤ {TARGET_P95}× reference",
            f"{r['p95']:.2f}×",
            r["p95"] <= TARGET_P95,
        ),
        (f"errors with {clients} conversations at once", "0", str(errors), errors == 0),
        (
            f"turns per second with {clients} conversations at once",
            f"≥ {TARGET_THROUGHPUT}× reference",
            f"{r['throughput']:.2f}×",
            r["throughput"] >= TARGET_THROUGHPUT,
        ),
    ]


def answered(turns: Sequence[Turn]) -> int:
    return sum(turn.answers > 0 for turn in turns)


def questions(turns: Sequence[Turn]) -> List[Turn]:
    return [turn for turn in turns if turn.message not in SMALL_TALK]


def markdown(results: Results, config: settings.Settings, chart_name: str = "bench.png") -> str:
    m, plan, ours, ref = results.machine, results.plan, results.bots["ours"], results.bots["reference"]
    busy = m.load_before[0] >= 0.5  # the load after is mostly the bench's own
    lines = [
        "# Performance (`make bench`)",
        "",
        f"Run {results.when} on {m.cores} cores ({m.cpu}), {m.memory_gib:.0f} GiB. Load average "
        f"(1 min) {m.load_before[0]:.2f} before the run and {m.load_after[0]:.2f} after"
        + (
            ": **other work shared the CPU**, so absolute times are higher and noisier than on an idle machine; "
            "the ratios compare both assistants under the same load."
            if busy
            else "."
        ),
        "",
        "Ours: the launcher (`scripts/serve.py`, as `make run`) with the trained model and index "
        f"(`INDEX_TYPE` {config.index_type}, `RETRIEVAL_THREADS` {config.retrieval_threads}, `EMBEDDING_PRECISION` "
        f"{config.embedding_precision}, `SUGGESTIONS` {config.suggestions}), the query-embedding "
        "cache off (`RETRIEVAL_QUERY_CACHE=0`) so that every question of the fixed list is embedded as a new "
        "question would be. Reference: the stock `rasa init --no-prompt` assistant, trained with "
        "the same Rasa into `build/bench/reference`, served by `rasa run` and `rasa run actions`. Both run at "
        "once on loopback ports and are measured in alternating blocks over the REST channel "
        "(`POST /webhooks/rest/webhook`), after one warm-up pass each. Ours gets "
        f"{len(OURS)} conversations of {turn_count(OURS)} turns about calf cramps, numbness and twitching "
        '(Indonesian formal and informal, English, follow-ups such as "Bagaimana cara mencegahnya?" and '
        '"yang lain?"); the reference gets its greet / mood / bot-challenge / goodbye conversations '
        f"({turn_count(REFERENCE)} turns). One at a time: every conversation {plan.sequential_blocks} times. "
        f"At once: {plan.clients} clients, each holding {plan.concurrent_rounds} conversations per block, "
        f"{plan.concurrent_blocks} blocks.",
        "",
        "## Targets",
        "",
        "| Target | Goal | Result | Met |",
        "|---|---|---|---|",
        *(
            f"| {name} | {goal} | {value} | {'yes' if met else '**no**'} |"
            for name, goal, value, met in targets(results)
        ),
        "",
        "## Per-turn latency over REST (ms)",
        "",
        "| | Ours | Reference | Ours / reference |",
        "|---|---|---|---|",
    ]
    for label, run_of in (
        ("one at a time", lambda b: b.sequential),
        (f"{plan.clients} at once", lambda b: b.concurrent),
    ):
        a, b = run_of(ours), run_of(ref)
        la, lb = a.latency(), b.latency()
        for stat in ("p50", "p95", "p99", "mean"):
            va, vb = getattr(la, stat), getattr(lb, stat)
            lines.append(f"| {label}: {stat} | {va:.0f} | {vb:.0f} | {va / vb:.2f}× |")
        lines.append(
            f"| {label}: turns per second | {a.turns_per_s:.1f} | {b.turns_per_s:.1f} "
            f"| {a.turns_per_s / b.turns_per_s:.2f}× |"
        )
        lines.append(
            f"| {label}: turns (errors, empty replies) | {len(a.turns)} ({a.errors}, {a.silent}) "
            f"| {len(b.turns)} ({b.errors}, {b.silent}) | |"
        )
    asked = questions(ours.sequential.turns + ours.concurrent.turns)
    lines += [
        "",
        f"Of our {len(asked)} turns that ask something (greetings, thanks and goodbyes aside), "
        f"{answered(asked)} were answered with a passage and its source.",
        "",
        "## Memory (MiB resident, from /proc/<pid>/status)",
        "",
        "| Server | Ours after warm-up | Ours after the bench (peak) "
        "| Reference after warm-up | Reference after the bench (peak) |",
        "|---|---|---|---|---|",
    ]
    for role, label in (("rasa", "Rasa server"), ("actions", "Action server")):
        lines.append(
            f"| {label} | {ours.memory_started[role].rss_mib:.0f} | {ours.memory_after[role].rss_mib:.0f} "
            f"({ours.memory_after[role].peak_mib:.0f}) | {ref.memory_started[role].rss_mib:.0f} | "
            f"{ref.memory_after[role].rss_mib:.0f} ({ref.memory_after[role].peak_mib:.0f}) |"
        )
    total = {name: sum(mem.rss_mib for mem in results.bots[name].memory_after.values()) for name in BOTS}
    lines += [
        f"| Both | | {total['ours']:.0f} | | {total['reference']:.0f} |",
        "",
        f"Start-up until both servers answer: ours {ours.start_s:.0f} s, reference {ref.start_s:.0f} s.",
        "",
        *profile_section(results.profiles, results.retrieval.steps["embed the query"].p50, config.suggestions),
    ]
    rt = results.retrieval
    lines += [
        "## Retrieval alone (in the process, ms)",
        "",
        f"`Retriever.answer_hits` on the {rt.questions} questions of `evaluation/questions/` (raw text as the "
        f"query), over {rt.passages} passages; then each step alone.",
        "",
        "| | p50 | p95 | p99 | mean |",
        "|---|---|---|---|---|",
        _latency_row("answer_hits, query embedded", rt.answer),
        _latency_row("answer_hits, embedding cached", rt.answer_cached),
        *(_latency_row(name, latency) for name, latency in rt.steps.items()),
        "",
        f"Index build ({rt.passages} passages embedded and added to FAISS): {rt.index_build_s:.1f} s; "
        f"BM25 index (analysis and stemming of every passage, at action server start-up): {rt.lexical_build_s:.1f} s; "
        f"loading the model: {rt.model_load_s:.1f} s.",
        "",
        f"![Latency, throughput and memory, ours and the reference]({chart_name})",
        "",
    ]
    return "\n".join(lines)


def profile_section(profiles: Dict[str, TurnProfile], embed_p50: float, suggestions: int) -> List[str]:
    ours, ref = profiles["ours"], profiles["reference"]
    lines = [
        "## Where a turn's time goes (inside Rasa, ms per turn)",
        "",
        "Each model loaded in the bench process (ours calling its running action server), its conversations "
        "handled twice after a warm-up pass, Rasa's stages timed by wrapping the methods that do them.",
        "",
        "| Stage | Ours | calls per turn | Reference | calls per turn |",
        "|---|---|---|---|---|",
    ]
    for stage, label in STAGES:
        lines.append(
            f"| {label} | {ours.stages_ms[stage]:.1f} | {ours.calls[stage]:.2f} | "
            f"{ref.stages_ms[stage]:.1f} | {ref.calls[stage]:.2f} |"
        )
    lines += [
        f"| the rest (tracker, events, responses) | {ours.other_ms:.1f} | | {ref.other_ms:.1f} | |",
        f"| **a turn** | **{ours.total_ms:.1f}** | | **{ref.total_ms:.1f}** | |",
        "",
    ]
    if ours.calls["request"]:
        per_call = ours.stages_ms["validate"] / ours.calls["validate"]
        without = ours.total_ms - ours.stages_ms["request"] - ours.stages_ms["validate"]
        lines += [
            f"Ours calls the action server on {ours.calls['request']:.2f} turns in 1 (the reference never does): "
            f"{ours.stages_ms['request']:.1f} ms a turn: embedding the question with the multilingual encoder "
            f"({embed_p50:.1f} ms p50, below) and, after an answer, checking up to {suggestions} suggested next "
            "questions by searching each (README, Feedback). Rasa's check of the response, with the validator "
            f"built once (`scripts/rasa_server.py`), costs {per_call:.1f} ms a call. Without the round trip and its "
            f"check, a turn of ours costs {without:.1f} ms against the reference's {ref.total_ms:.1f} ms.",
            "",
        ]
    return lines


def _latency_row(name: str, latency) -> str:
    return f"| {name} | {latency.p50:.1f} | {latency.p95:.1f} | {latency.p99:.1f} | {latency.mean:.1f} |"


def chart(results: Results, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ours, ref = results.bots["ours"], results.bots["reference"]
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(13, 4), gridspec_kw={"width_ratios": [3, 1.3, 1.3]})
    labels = [
        f"{mode} {stat}"
        for mode in ("1 at a time", f"{results.plan.clients} at once")
        for stat in ("p50", "p95", "p99")
    ]
    width = 0.38
    for offset, (name, bot) in enumerate((("ours", ours), ("reference", ref))):
        values = [
            getattr(run.latency(), stat) for run in (bot.sequential, bot.concurrent) for stat in ("p50", "p95", "p99")
        ]
        left.bar([i + (offset - 0.5) * width for i in range(len(labels))], values, width, label=name)
    left.set_xticks(range(len(labels)))
    left.set_xticklabels(labels, fontsize=8)
    left.set_ylabel("ms per turn")
    left.set_title("Latency per turn over REST")
    left.legend(fontsize=8)
    modes = ["1 at a time", f"{results.plan.clients} at once"]
    for offset, (name, bot) in enumerate((("ours", ours), ("reference", ref))):
        values = [bot.sequential.turns_per_s, bot.concurrent.turns_per_s]
        middle.bar([i + (offset - 0.5) * width for i in range(2)], values, width, label=name)
    middle.set_xticks(range(2))
    middle.set_xticklabels(modes, fontsize=8)
    middle.set_title("Turns per second")
    for offset, (name, bot) in enumerate((("ours", ours), ("reference", ref))):
        values = [bot.memory_after[role].rss_mib for role in ("rasa", "actions")]
        right.bar([i + (offset - 0.5) * width for i in range(2)], values, width, label=name)
    right.set_xticks(range(2))
    right.set_xticklabels(["Rasa server", "action server"], fontsize=8)
    right.set_title("Resident memory (MiB)")
    fig.suptitle(
        f"{results.machine.cores} cores, load average {results.machine.load_before[0]:.1f} at start", fontsize=9
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def headline(results: Results) -> str:
    ours, ref = results.bots["ours"], results.bots["reference"]
    lines = [
        f"Per turn over REST, ours vs reference ({results.machine.cores} cores, load average "
        f"{results.machine.load_before[0]:.1f} at start):"
    ]
    for label, run_of in (
        ("one at a time", lambda b: b.sequential),
        (f"{results.plan.clients} at once", lambda b: b.concurrent),
    ):
        a, b = run_of(ours), run_of(ref)
        la, lb = a.latency(), b.latency()
        lines.append(
            f"  {label:13} p50 {la.p50:.0f} / {lb.p50:.0f} ms, p95 {la.p95:.0f} / {lb.p95:.0f} ms, "
            f"p99 {la.p99:.0f} / {lb.p99:.0f} ms, {a.turns_per_s:.1f} / {b.turns_per_s:.1f} turns/s, "
            f"errors {a.errors} / {b.errors}"
        )
    for name, goal, value, met in targets(results):
        lines.append(f"  {'met    ' if met else 'NOT MET'} {name}: {value} (goal {goal})")
    memory = {name: results.bots[name].memory_after for name in BOTS}
    lines.append(
        "  resident MiB: Rasa {:.0f} / {:.0f}, actions {:.0f} / {:.0f}".format(
            memory["ours"]["rasa"].rss_mib,
            memory["reference"]["rasa"].rss_mib,
            memory["ours"]["actions"].rss_mib,
            memory["reference"]["actions"].rss_mib,
        )
    )
    turn, reference_turn = results.profiles["ours"], results.profiles["reference"]
    lines.append(
        f"  inside Rasa per turn: ours {turn.total_ms:.0f} ms (NLU {turn.stages_ms['parse']:.0f}, predictions "
        f"{turn.stages_ms['predict']:.0f}, action server {turn.stages_ms['request']:.0f}, response check "
        f"{turn.stages_ms['validate']:.0f}), reference {reference_turn.total_ms:.0f} ms"
    )
    rt = results.retrieval
    lines.append(
        f"  retrieval alone: p50 {rt.answer.p50:.1f} ms, p95 {rt.answer.p95:.1f} ms (cached embedding p50 "
        f"{rt.answer_cached.p50:.1f} ms); index build {rt.index_build_s:.1f} s for {rt.passages} passages"
    )
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sequential-blocks", type=int, default=4, help="times every conversation is held, one at a time"
    )
    parser.add_argument("--clients", type=int, default=16, help="conversations at once")
    parser.add_argument("--concurrent-blocks", type=int, default=2)
    parser.add_argument("--concurrent-rounds", type=int, default=3, help="conversations per client per block")
    parser.add_argument("--report", default="bench", help="name of the report in reports/ (.md and .png)")
    args = parser.parse_args(argv)
    config = settings.load_or_exit()
    plan = Plan(args.sequential_blocks, args.clients, args.concurrent_blocks, args.concurrent_rounds)
    results = measure(plan, config)
    REPORTS_DIR.mkdir(exist_ok=True)
    report = REPORTS_DIR / f"{args.report}.md"
    report.write_text(markdown(results, config, report.with_suffix(".png").name), encoding="utf-8")
    chart(results, report.with_suffix(".png"))
    out(headline(results))
    out(f"Report: {report}")


if __name__ == "__main__":
    main()
