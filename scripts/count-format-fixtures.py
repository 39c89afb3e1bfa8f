#!/usr/bin/env python3
"""Counts the series and points of the format fixtures with Python's own readers (json, csv),
independently of runsite, for the table in tests/core/formats/formatFixtures.test.ts.

Usage: python3 scripts/count-format-fixtures.py > tests/fixtures/formats/counts.tsv
(formats it does not count are left out). Standard library only; nothing is unpickled.
"""
import csv
import json
import math
import os
import re

ROOT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "formats")


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def yolo_txt(path):
    """14 series per training (an epoch going back to the first starts a new one), one point per epoch."""
    attempts, prev, first = [], None, None
    for line in open(path):
        fields = line.split()
        if len(fields) != 15:
            continue
        epoch = int(fields[0].split("/")[0])
        first = epoch if first is None else first
        if not attempts or (prev is not None and epoch <= prev and epoch <= first):
            attempts.append(set())
        attempts[-1].add(epoch)
        prev = epoch
    return 14 * len(attempts), sum(len(a) for a in attempts) * 14


def simpletransformers(path):
    rows = list(csv.reader(open(path)))
    cols = len(rows[0]) - 1
    return cols, sum(1 for r in rows[1:] for c in r[1:]) if rows[1:] else 0


def keras_json(path):
    d = json.loads(re.sub(r"\bNaN\b", "null", open(path).read()))
    d = d.get("history", d) if isinstance(d.get("history"), dict) else d
    lists = {k: v for k, v in d.items() if isinstance(v, list) and all(number(x) or x is None for x in v)}
    metric = re.compile(r"loss|acc|mae|mse|auc|precision|recall|f1|iou|dice|lr|learning_rate", re.I)
    lengths = [len(v) for k, v in lists.items() if metric.search(k)]
    series = {k: v for k, v in lists.items() if k not in ("epoch", "epochs") and (metric.search(k) or len(v) in lengths)}
    return len(series), sum(len(v) for v in series.values())


def keras_csv(path):
    rows = [r for r in csv.reader(open(path, newline="")) if r]
    indexed = rows[0][0] in ("", "Unnamed: 0")
    cols = len(rows[0]) - (1 if indexed else 0)
    return cols, cols * (len(rows) - 1)


def json_lines(path):
    seen = set()
    rows = []
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        try:
            rows.append(json.loads(line.replace("NaN", "null")))
        except ValueError:
            pass
    mmcv = any("env_info" in r or "mode" in r for r in rows)
    wandb = any("_step" in r for r in rows)
    # The keys that place a row, per writer (W&B's own counter is _step; a logged epoch is a value).
    position = {"_step"} if wandb else {"iteration"} if any("iteration" in r for r in rows) else {"step", "epoch", "iter", "mode"}
    if len(rows) == 1 and not position & set(rows[0]):
        return 0, 0  # mmengine's test-mode result: a summary, no history
    for r in rows:
        if "env_info" in r:
            continue
        if mmcv:
            val = r.get("mode") != "train"
            x = ("epoch", r.get("epoch")) if val else ("step", (r.get("epoch"), r.get("iter")))
        elif "_step" in r:
            x, val = ("step", r["_step"]), False
        elif "iteration" in r:
            x, val = ("step", r["iteration"]), False
        else:
            val = "iter" not in r and "epoch" not in r and "lr" not in r
            x = ("epoch" if val else "step", r.get("step"))
        for k, v in r.items():
            if k in position or (isinstance(v, (dict, list, str)) and not (isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"))):
                continue
            if val and not ("iteration" in r) and k in ("lr", "data_time", "time", "memory"):
                continue
            seen.add((k, x[0], x[1]))
    keys = {(k, a) for k, a, _ in seen}
    return len(keys), len(seen)


def ludwig(path):
    d = json.load(open(path))
    lists = [m for s in d.values() if isinstance(s, dict) for f in s.values() if isinstance(f, dict) for m in f.values() if isinstance(m, list)]
    return len(lists), sum(len(m) for m in lists)


def mlflow(folder):
    files = []
    for root, _, names in os.walk(os.path.join(folder, "metrics")):
        files += [os.path.join(root, n) for n in names]
    points = 0
    for f in files:
        steps = {line.split()[2] if len(line.split()) > 2 else i for i, line in enumerate(open(f)) if line.strip()}
        points += len(steps)
    return len(files), points


def trainer_state(path):
    """A trainer_state.json, or an output folder: the final state, else the highest checkpoint."""
    if os.path.isdir(path):
        states = [(int(n.split("-")[1]), os.path.join(path, n, "trainer_state.json")) for n in os.listdir(path) if re.fullmatch(r"checkpoint-\d+", n)]
        path = os.path.join(path, "trainer_state.json") if os.path.exists(os.path.join(path, "trainer_state.json")) else max(states)[1]
    elif not path.endswith("trainer_state.json"):
        return None
    series = {}
    for e in json.load(open(path))["log_history"]:
        summary = "train_runtime" in e  # the closing summary: one-point series of their own
        for k, v in e.items():
            if k != "step" and number(v):
                series.setdefault(("summary " if summary and k != "epoch" else "") + k, set()).add(e["step"])
    return len(series), sum(len(v) for v in series.values())


COUNTERS = {
    "hf-checkpoints": trainer_state,
    "hf-results": trainer_state,
    "yolo-results-txt": yolo_txt,
    "simpletransformers": simpletransformers,
    "keras-history-json": keras_json,
    "keras-history-csv": keras_csv,
    "jsonlines-detectron2": json_lines,
    "jsonlines-wandb": json_lines,
    "jsonlines-mmdet": json_lines,
    "jsonlines-mmengine": json_lines,
    "ludwig": ludwig,
    "mlflow": mlflow,
}

if __name__ == "__main__":
    manifest = [line.rstrip("\n").split("\t") for line in open(os.path.join(ROOT, "MANIFEST.tsv"))][1:]
    print("file\tseries\tpoints")
    for fmt, file, *_ in manifest:
        count = COUNTERS.get(fmt)
        path = os.path.join(ROOT, file)
        if count is None or (not os.path.isdir(path) and os.path.getsize(path) == 0):
            continue
        counted = count(path)
        if counted is not None:
            print(f"{file}\t{counted[0]}\t{counted[1]}")
