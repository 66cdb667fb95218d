"""Train the block classifier shipped in src/newsmill/data/line_model_{dump,html}.npz.

    python benchmarks/train_line_model.py --kind dump            # ship weights trained on all six sets
    python benchmarks/train_line_model.py --kind dump --lodo     # + one model per held-out set, scored

Labels come from aligning each block with the gold text of its page: a block is article text when most
of its word 3-grams occur in the gold (short blocks: when the whole block occurs in it). Dumps are
rendered with ../shared/tools/html_to_dump.py plus variations real crawlers produce (alt text inline,
navigation runs glued into one line, captions printed twice, a date prefix), so that the model does not
learn one renderer's habits.

Leave-one-dataset-out (--lodo) writes benchmarks/.cache/models/{kind}-without-{set}.npz and prints the
held-out body token F1 per set: the honest figures (a figure on pages that shaped the model is not one).
Needs the `bench` extra (scikit-learn) — only for training; inference is pure numpy.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import BODY_SETS, CACHE, ROOT, Page, pages, shared_module  # noqa: E402

from newsmill.extraction.blocks import Block  # noqa: E402
from newsmill.extraction.classifier import LineModel, stage2_inputs  # noqa: E402
from newsmill.extraction.dump import dump_to_blocks  # noqa: E402
from newsmill.extraction.features import block_features, feature_names  # noqa: E402

_TOK = re.compile(r"\w+")
SHINGLE = 3
# A block is content when at least this share of its 3-grams is in the gold; 0.5 is the natural cut
# (more of the block in the gold than out), and labels barely change between 0.4 and 0.6.
CONTENT_SHARE = 0.5
HIDDEN = 48
#: Passes over the data; 25 is where held-out F1 stopped improving on a 40-pages-per-set trial.
EPOCHS = 25
SEED = 13


def gold_text(page: Page) -> str:
    return page.gold.get("body") or ""


def label_blocks(blocks: list[Block], gold: str) -> tuple[np.ndarray, np.ndarray]:
    """Labels (1 = article text) and sample weights (short blocks are ambiguous: weigh them less)."""
    gtoks = _TOK.findall(gold.lower())
    shingles = {tuple(gtoks[i:i + SHINGLE]) for i in range(len(gtoks) - SHINGLE + 1)}
    joined = " " + " ".join(gtoks) + " "
    y = np.zeros(len(blocks), dtype=np.int8)
    w = np.ones(len(blocks), dtype=np.float32)
    for i, b in enumerate(blocks):
        toks = _TOK.findall(b.text.lower())
        if len(toks) >= SHINGLE:
            sh = [tuple(toks[j:j + SHINGLE]) for j in range(len(toks) - SHINGLE + 1)]
            y[i] = sum(s in shingles for s in sh) / len(sh) >= CONTENT_SHARE
        elif toks:
            y[i] = (" " + " ".join(toks) + " ") in joined
            w[i] = 0.3
        else:
            w[i] = 0.1
    return y, w


# ---- dump variations ---------------------------------------------------------------------------
def glue_navigation(lines: list[str], rng: random.Random) -> list[str]:
    """Join runs of short lines into one (renderers that lose the breaks between menu links)."""
    out: list[str] = []
    run: list[str] = []
    for line in lines:
        if len(line.split()) <= 3:
            run.append(line)
            continue
        if run:
            out.extend([" ".join(run)] if len(run) > 2 and rng.random() < 0.7 else run)
            run = []
        out.append(line)
    if run:
        out.extend([" ".join(run)] if len(run) > 2 else run)
    return out


def dump_variants(page: Page, rng: random.Random) -> list[str]:
    base = page.dump()
    variants = [base]
    html_to_dump = shared_module("html_to_dump").html_to_dump
    lines = (html_to_dump(page.html(), include_alt=True) if rng.random() < 0.5 else base).splitlines()
    if rng.random() < 0.6:
        lines = glue_navigation(lines, rng)
    if rng.random() < 0.5:
        # a caption-like short line printed twice
        short = [i for i, ln in enumerate(lines) if 5 <= len(ln.split()) <= 25]
        if short:
            i = rng.choice(short)
            lines.insert(i + 1, lines[i])
    text = ("\n\n" if rng.random() < 0.3 else "\n").join(lines)
    if rng.random() < 0.5 and lines:
        text = f"date 2021-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} " + text
    variants.append(text)
    return variants


def blocks_for(page: Page, kind: str, rng: random.Random) -> list[list[Block]]:
    if kind == "dump":
        return [dump_to_blocks(text)[0] for text in dump_variants(page, rng)]
    from newsmill.extraction.html_blocks import html_to_blocks, parse_html

    doc = parse_html(page.html())
    return [html_to_blocks(doc)] if doc is not None else []


def build(kind: str, limit: int | None) -> dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray, Page, list[Block]]]]:
    rng = random.Random(SEED)
    data: dict[str, list] = {}
    for ds in BODY_SETS:
        t = time.time()
        rows = []
        for page in pages(ds, limit):
            gold = gold_text(page)
            if not gold:
                continue
            for k, blocks in enumerate(blocks_for(page, kind, rng)):
                if not blocks:
                    continue
                x = block_features(blocks, with_dom=kind == "html")
                y, w = label_blocks(blocks, gold)
                rows.append((x, y, w, page, blocks, k))
        data[ds] = rows
        print(f"  {ds}: {len(rows)} page variants, {sum(len(r[1]) for r in rows)} blocks ({time.time() - t:.0f}s)", flush=True)
    return data


def fit_stage1(x: np.ndarray, y: np.ndarray, w: np.ndarray, mu: np.ndarray, sigma: np.ndarray):  # type: ignore[no-untyped-def]
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=1e-4, batch_size=512, learning_rate_init=2e-3,
                        max_iter=EPOCHS, random_state=SEED, early_stopping=False)
    clf.fit((x - mu) / sigma, y, sample_weight=w)
    return clf


def train(rows: list, kind: str, version: str) -> LineModel:
    x = np.vstack([r[0] for r in rows])
    y = np.concatenate([r[1] for r in rows])
    w = np.concatenate([r[2] for r in rows])
    mu = x.mean(axis=0)
    sigma = x.std(axis=0) + 1e-6
    # Stage 2 learns from stage-1 probabilities it has not seen in training (2-fold cross-fitting),
    # otherwise it would trust over-confident in-sample probabilities.
    half = len(rows) // 2
    folds = [rows[:half], rows[half:]]
    p_cross: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for a, b in ((0, 1), (1, 0)):
        fx = np.vstack([r[0] for r in folds[a]])
        clf = fit_stage1(fx, np.concatenate([r[1] for r in folds[a]]), np.concatenate([r[2] for r in folds[a]]), mu, sigma)
        for r in folds[b]:
            p_cross.append((clf.predict_proba((r[0] - mu) / sigma)[:, 1], r[1], r[2]))
    clf = fit_stage1(x, y, w, mu, sigma)
    from sklearn.linear_model import LogisticRegression

    s2x = np.vstack([stage2_inputs(p) for p, _, _ in p_cross])
    s2y = np.concatenate([t for _, t, _ in p_cross])
    s2w = np.concatenate([sw for _, _, sw in p_cross])
    lr = LogisticRegression(C=1.0, max_iter=500)
    lr.fit(s2x, s2y, sample_weight=s2w)
    model = LineModel(
        kind=kind,  # type: ignore[arg-type]
        names=feature_names(with_dom=kind == "html"),
        mu=mu.astype(np.float32), sigma=sigma.astype(np.float32),
        w1=clf.coefs_[0].astype(np.float32), b1=clf.intercepts_[0].astype(np.float32),
        w2=clf.coefs_[1].astype(np.float32), b2=clf.intercepts_[1].astype(np.float32),
        s2_w=lr.coef_[0].astype(np.float64), s2_b=float(lr.intercept_[0]), threshold=0.5, version=version,
    )
    model.threshold = tune_threshold(model, rows)
    return model


def page_f1(pred: str, gold: str, score: Callable) -> float:  # type: ignore[type-arg]
    tp, fp, fn = score.bag_counts(gold, pred)
    return score.prf_page(tp, fp, fn)[2]


def tune_threshold(model: LineModel, rows: list) -> float:
    """The cut that maximizes mean block-label F1 (token weighted) over the training pages."""
    best, best_t = -1.0, 0.5
    probs = [(model.predict_features(r[0]), r[1], np.expm1(r[0][:, 1])) for r in rows if r[5] == 0]
    for t in np.arange(0.2, 0.81, 0.05):
        f = []
        for p, y, words in probs:
            sel = p >= t
            tp = float(words[sel & (y == 1)].sum())
            fp = float(words[sel & (y == 0)].sum())
            fn = float(words[~sel & (y == 1)].sum())
            f.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        if np.mean(f) > best:
            best, best_t = float(np.mean(f)), float(t)
    return round(best_t, 2)


def save(model: LineModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path, kind=model.kind, names=np.array(model.names), mu=model.mu, sigma=model.sigma, w1=model.w1,
        b1=model.b1, w2=model.w2, b2=model.b2, s2_w=model.s2_w, s2_b=model.s2_b, threshold=model.threshold,
        version=model.version,
    )


def evaluate(model: LineModel, rows: list, variant: int = 0) -> float:
    """Held-out body token F1 of the raw classifier (all blocks above the cut) on one rendering:
    0 = the reference renderer, 1 = the perturbed rendering (alt text, glued menus, repeats, prefix)."""
    score = shared_module("score")
    f = []
    for x, _y, _w, page, blocks, k in rows:
        if k != variant:
            continue
        p = model.predict_features(x)
        pred = "\n".join(b.text for b, s in zip(blocks, p, strict=True) if s >= model.threshold)
        f.append(page_f1(pred, gold_text(page), score))
    return float(np.mean(f)) if f else 0.0


def main() -> int:
    global EPOCHS
    warnings.filterwarnings("ignore", category=UserWarning)  # sklearn ConvergenceWarning: 25 epochs is deliberate
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kind", choices=["dump", "html"], default="dump")
    ap.add_argument("--lodo", action="store_true", help="also train/score one model per held-out set")
    ap.add_argument("--limit", type=int, default=None, help="pages per set (quick experiments)")
    ap.add_argument("--no-ship", action="store_true", help="do not overwrite the shipped weights")
    ap.add_argument("--epochs", type=int, default=EPOCHS, help="training passes (fewer: quicker, slightly worse)")
    args = ap.parse_args()
    EPOCHS = args.epochs
    version = f"{args.kind}-lines-v1"
    print(f"building {args.kind} training data ...", flush=True)
    data = build(args.kind, args.limit)
    if args.lodo:
        held = {}
        for ds in BODY_SETS:
            t = time.time()
            rows = [r for d, rs in data.items() if d != ds for r in rs]
            model = train(rows, args.kind, version)
            save(model, CACHE / "models" / f"{args.kind}-without-{ds}.npz")
            held[ds] = evaluate(model, data[ds])
            varied = evaluate(model, data[ds], variant=1) if args.kind == "dump" else float("nan")
            print(f"  held out {ds}: body token F1 {held[ds]:.3f}, on perturbed renderings {varied:.3f} "
                  f"(threshold {model.threshold}, {time.time() - t:.0f}s)", flush=True)
        print(f"  mean of 6 held-out: {np.mean(list(held.values())):.3f}")
    if not args.no_ship:
        model = train([r for rs in data.values() for r in rs], args.kind, version)
        target = ROOT / "src" / "newsmill" / "data" / f"line_model_{args.kind}.npz"
        save(model, target)
        print(f"wrote {target.relative_to(ROOT)} (threshold {model.threshold})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
