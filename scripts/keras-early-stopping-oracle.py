#!/usr/bin/env python3
"""Reference results for runsite's early-stopping replay, from the real Keras.

Drives the installed `keras.callbacks.EarlyStopping` epoch by epoch, as
`model.fit` does: `on_train_begin`, then `on_epoch_end(epoch, logs)` for each
row until the callback sets `model.stop_training`, then `on_train_end`. The
model has one weight, set to the epoch number before each `on_epoch_end`, so
the weight left after `on_train_end` says which epoch `restore_best_weights`
restored (a sentinel of -1 is set after the last epoch: if it survives,
nothing was restored).

The cases are generated here (edge cases: plateaus, steps of exactly
`min_delta` and ±1e-12 around them, NaN and ±inf anywhere including the first
row, 1–3 epoch runs, resumed files starting at epoch k > 0, random walks) and
read from the sample archive (`runs/**.csv`: every `val_*` column). Each case
is replayed for min_delta 0, 0.005, 0.05 and patience 0, 1, 3, 10.

Usage (installs nothing globally; see docs/early-stopping.md):

    python3 -m venv /tmp/keras-oracle && /tmp/keras-oracle/bin/pip install keras==3.15.1 jax
    /tmp/keras-oracle/bin/python scripts/keras-early-stopping-oracle.py --backend numpy \
        --out tests/fixtures/keras-early-stopping/keras-3.15.1-numpy.json

`--callback-source FILE` replays another release's `early_stopping.py` (for
example Keras 3.6.0's, `git show v3.6.0:keras/src/callbacks/early_stopping.py`
in a clone of keras-team/keras) on the installed Keras' ops and backend; the
fixture then records that release as `callbackVersion`.
"""

import argparse
import contextlib
import csv
import io
import glob
import hashlib
import json
import math
import os
import random
import re
import sys
import types
import warnings

MIN_DELTAS = [0.0, 0.005, 0.05]
PATIENCES = [0, 1, 3, 10]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", required=True, choices=["numpy", "jax", "tensorflow", "torch"])
    p.add_argument("--out", required=True, help="JSON file to write")
    p.add_argument("--runs", default="runs", help="the sample archive (default: runs)")
    p.add_argument("--callback-source", help="an early_stopping.py of another Keras release")
    p.add_argument("--callback-version", help="the release --callback-source comes from, e.g. 3.6.0")
    p.add_argument("--semantics", default="keras3", help="runsite's name for the rule replayed (recorded only)")
    return p.parse_args()


# --- Cases -----------------------------------------------------------------

NAN, INF = float("nan"), float("inf")


def case(cases, kind, mode, y, x=None, note=""):
    x = list(range(len(y))) if x is None else x
    cases.append({"id": f"{kind}-{len([c for c in cases if c['kind'] == kind])}", "kind": kind, "mode": mode, "x": x, "y": y, "note": note})


def generated_cases():
    cases = []
    # Plateaus: constant series, and a fall onto a plateau.
    for n in range(1, 7):
        case(cases, "plateau", "min", [0.5] * n)
        case(cases, "plateau", "max", [0.9] * n)
    for start in (1.0, 0.2):
        case(cases, "plateau", "min", [start, start / 2] + [start / 4] * 12)
        case(cases, "plateau", "max", [start / 4, start / 2] + [start] * 12)
    # Steps of exactly min_delta, and ±1e-12 around them, from several bases.
    for md in (0.005, 0.05):
        for base in (1.0, 0.3, 0.1, 0.0123, 100.0):
            for eps in (0.0, 1e-12, -1e-12):
                step = md + eps
                case(cases, "step", "min", [base - k * step for k in range(6)], note=f"steps of {md}{eps:+g}")
                case(cases, "step", "max", [base + k * step for k in range(6)], note=f"steps of {md}{eps:+g}")
            # One exact step, then a plateau: float32 and float64 may disagree here.
            case(cases, "step", "min", [base, base - md, base - md, base - 2 * md, base - 2 * md - 1e-12], note=f"one step of {md}")
    # Values within float32 rounding of best - min_delta.
    for md in (0.0, 0.005, 0.05):
        for base in (0.1, 0.7, 3.0):
            f32_ulp = math.ulp(base) * 2 ** 29  # about one float32 ulp of base
            for k in (-2, -1, 0, 1, 2):
                case(cases, "rounding", "min", [base, base - md + k * f32_ulp / 2, base - md + k * f32_ulp / 2], note=f"md {md}, {k}/2 float32 ulp")
    # NaN and ±inf at every position of a short falling series, both modes.
    falling = [0.9, 0.8, 0.7, 0.6, 0.5]
    for bad in (NAN, INF, -INF):
        for pos in range(5):
            y = list(falling)
            y[pos] = bad
            case(cases, "nonfinite", "min", y)
            case(cases, "nonfinite", "max", [-v for v in y])
    for y in ([NAN, 0.5, 0.4], [NAN] * 4, [INF] * 4, [-INF] * 4, [NAN, NAN, 0.5, 0.6, 0.7], [INF, 0.5, INF, 0.4], [-INF, 0.5, 0.4], [0.5, NAN, 0.4, NAN, NAN, NAN], [INF, NAN, INF, 1.0]):
        case(cases, "nonfinite", "min", y)
        case(cases, "nonfinite", "max", y)
    # Short runs: 1 to 3 epochs.
    rnd = random.Random(14)
    for n in (1, 2, 3):
        for _ in range(8):
            y = [round(rnd.uniform(0, 1), 3) for _ in range(n)]
            case(cases, "short", rnd.choice(["min", "max"]), y)
    # Resumed files: the first row is epoch k > 0.
    for k in (1, 3, 5, 12):
        for y in ([0.5, 0.5, 0.5], [NAN, 0.4, 0.3], [-INF, 0.1, 0.2], [INF, INF], [0.3, 0.31, 0.32, 0.33], [0.9, 0.8, 0.79, 0.78, 0.77, 0.6]):
            case(cases, "resumed", "min", y, x=list(range(k, k + len(y))))
            case(cases, "resumed", "max", [-v for v in y], x=list(range(k, k + len(y))))
    # Missing values (Keras skips an epoch whose logs lack the monitor).
    for y in ([1.0, None, None, 0.9, None, 0.95], [None, 0.5, 0.5, 0.5], [None, None], [0.5, None, 0.5, None, 0.5, None, 0.5]):
        case(cases, "missing", "min", y)
    # Noisy training curves.
    for _ in range(40):
        n = rnd.randint(4, 40)
        v, y = rnd.uniform(0.2, 2.0), []
        for _ in range(n):
            v = max(1e-4, v * rnd.uniform(0.85, 1.04))
            r = rnd.random()
            y.append(NAN if r < 0.03 else INF if r < 0.04 else round(v, rnd.choice([3, 4, 6, 12])))
        mode = rnd.choice(["min", "max"])
        case(cases, "noisy", mode, y if mode == "min" else [1 - t for t in y])
    return cases


def sample_cases(runs):
    cases = []
    for path in sorted(glob.glob(os.path.join(runs, "**", "*.csv"), recursive=True)):
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        if not rows or "epoch" not in rows[0]:
            continue
        rel = os.path.relpath(path, runs).replace(os.sep, "/")
        for column in rows[0]:
            if not column.startswith("val_"):
                continue
            x, y = [], []
            for row in rows:
                x.append(int(row["epoch"]))
                cell = (row[column] or "").strip()
                y.append(None if cell == "" else float(cell))
            # The sample's metrics are losses (min) and Dice scores (max).
            mode = "min" if "loss" in column else "max"
            cases.append({"id": f"{rel}#{column}", "kind": "sample", "mode": mode, "x": x, "y": y, "note": ""})
    return cases


# --- Keras -----------------------------------------------------------------

def load_callback_class(source):
    """EarlyStopping from an early_stopping.py of another release, on the installed Keras."""
    import keras  # noqa: F401  (initialises keras.src)

    with open(source) as f:
        text = f.read()
    # The export decorator would register a second `keras.callbacks.EarlyStopping`.
    text = re.sub(r"^@keras_export\(.*?\)\n", "", text, flags=re.M | re.S)
    module = types.ModuleType("early_stopping_replayed")
    module.__file__ = source
    exec(compile(text, source, "exec"), module.__dict__)
    return module.EarlyStopping, hashlib.sha256(text.encode()).hexdigest()[:12]


def replay(Callback, model, c, min_delta, patience, verbose=0):
    import numpy as np

    cb = Callback(monitor="val_m", min_delta=min_delta, patience=patience, mode=c["mode"], restore_best_weights=True, verbose=verbose)
    cb.set_model(model)
    model.stop_training = False
    cb.on_train_begin()
    last = None
    for epoch, value in zip(c["x"], c["y"]):
        model.set_weights([np.array([[float(epoch)]], dtype="float32")])
        # CSVLogger's values read back as Python floats; a missing cell is an absent key.
        cb.on_epoch_end(epoch, {} if value is None else {"val_m": float(value)})
        last = epoch
        if model.stop_training:
            break
    model.set_weights([np.array([[-1.0]], dtype="float32")])
    cb.on_train_end()
    restored = float(model.get_weights()[0][0][0])
    stop = last if model.stop_training else None
    return stop, None if restored == -1.0 else int(restored)


def encode(v):
    if v is None:
        return None
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def main():
    args = parse_args()
    os.environ["KERAS_BACKEND"] = args.backend
    if args.backend == "jax":
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
    warnings.simplefilter("ignore")
    import keras
    import numpy as np

    if args.callback_source:
        Callback, source_hash = load_callback_class(args.callback_source)
        callback_version = args.callback_version or "unknown"
    else:
        Callback, source_hash, callback_version = keras.callbacks.EarlyStopping, None, keras.__version__
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    # How `ops.less` compares two Python floats on this backend: 1 + 1e-12
    # rounds to 1 in float32 but not in float64.
    precision = "float64" if bool(keras.ops.less(1.0, 1.0 + 1e-12)) else "float32"

    cases = generated_cases() + sample_cases(args.runs)
    out_cases = []
    for c in cases:
        results = []
        for md in MIN_DELTAS:
            for p in PATIENCES:
                if c["kind"] == "sample":
                    # What Keras printed for the sample runs (verbose=1), for the pages' wording.
                    printed = io.StringIO()
                    with contextlib.redirect_stdout(printed):
                        stop, restored = replay(Callback, model, c, md, p, verbose=1)
                    results.append([md, p, stop, restored, [line for line in printed.getvalue().splitlines() if line]])
                else:
                    stop, restored = replay(Callback, model, c, md, p)
                    results.append([md, p, stop, restored])
        out_cases.append({"id": c["id"], "kind": c["kind"], "mode": c["mode"], "note": c["note"], "x": c["x"], "y": [encode(v) for v in c["y"]], "results": results})
    doc = {
        "generator": "scripts/keras-early-stopping-oracle.py",
        "keras": keras.__version__,
        "callbackVersion": callback_version,
        "callbackSourceSha256": source_hash,
        "backend": args.backend,
        "precision": precision,
        "semantics": args.semantics,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "resultColumns": ["minDelta", "patience", "stopEpochIndex", "restoredEpochIndex", "printed (sample runs only, verbose=1)"],
        "minDeltas": MIN_DELTAS,
        "patiences": PATIENCES,
        "cases": out_cases,
    }
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"{args.out}: {len(out_cases)} cases × {len(MIN_DELTAS) * len(PATIENCES)} settings, keras {keras.__version__} ({callback_version} callback), {args.backend}, {precision}")


if __name__ == "__main__":
    main()
