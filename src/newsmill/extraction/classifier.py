"""The block classifier: P(block is article text) for every block of a page.

Two stages, both tiny and pure numpy at inference time:
1. a one-hidden-layer MLP over each block's features (text, page context, DOM when present);
2. a logistic layer over the stage-1 probabilities of the block and its neighbourhood, which smooths
   isolated decisions (an article is a contiguous run with a few interruptions).

Weights are trained by ``benchmarks/train_line_model.py`` and shipped in ``newsmill/data/``. The
feature names are stored with the weights and checked at load time, so a stale weights file fails
loudly instead of silently mis-classifying.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np

from newsmill.errors import NewsmillError
from newsmill.extraction.features import block_features, feature_names, window_mean

ModelKind = Literal["dump", "html"]
#: Windows (blocks each side) over which stage-1 probabilities are averaged for stage 2.
STAGE2_WINDOWS = (1, 2, 4, 8, 16)


def stage2_inputs(p1: np.ndarray) -> np.ndarray:
    """Stage-2 design matrix from stage-1 probabilities (shared by training and inference)."""
    n = p1.shape[0]
    prev = np.concatenate(([0.0], p1[:-1])) if n else p1
    nxt = np.concatenate((p1[1:], [0.0])) if n else p1
    cols = [p1, prev, nxt] + [window_mean(p1, w) for w in STAGE2_WINDOWS]
    logit = np.log(np.clip(np.column_stack(cols), 1e-4, 1 - 1e-4))
    logit_c = np.log1p(-np.clip(np.column_stack(cols), 1e-4, 1 - 1e-4))
    return np.hstack([logit - logit_c, np.full((n, 1), p1.mean() if n else 0.0)])


@dataclass
class LineModel:
    kind: ModelKind
    names: tuple[str, ...]
    mu: np.ndarray
    sigma: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    s2_w: np.ndarray
    s2_b: float
    threshold: float
    version: str

    @classmethod
    def load(cls, path: str | Path) -> LineModel:
        with np.load(path, allow_pickle=False) as z:
            kind = str(z["kind"])
            names = tuple(str(x) for x in z["names"])
            expected = feature_names(with_dom=kind == "html")
            if names != expected:
                raise NewsmillError(
                    f"{path}: weights were trained on other features than this version computes; "
                    "retrain with benchmarks/train_line_model.py"
                )
            return cls(
                kind=kind,  # type: ignore[arg-type]
                names=names,
                mu=z["mu"],
                sigma=z["sigma"],
                w1=z["w1"],
                b1=z["b1"],
                w2=z["w2"],
                b2=z["b2"],
                s2_w=z["s2_w"],
                s2_b=float(z["s2_b"]),
                threshold=float(z["threshold"]),
                version=str(z["version"]),
            )

    def stage1(self, x: np.ndarray) -> np.ndarray:
        h = np.maximum((x - self.mu) / self.sigma @ self.w1 + self.b1, 0.0)
        z = h @ self.w2 + self.b2
        return 1.0 / (1.0 + np.exp(-z.ravel()))

    def predict_features(self, x: np.ndarray) -> np.ndarray:
        if x.shape[0] == 0:
            return np.zeros(0)
        p1 = self.stage1(x)
        z = stage2_inputs(p1) @ self.s2_w + self.s2_b
        return 1.0 / (1.0 + np.exp(-z))

    def predict(self, blocks) -> np.ndarray:  # type: ignore[no-untyped-def]
        return self.predict_features(block_features(blocks, with_dom=self.kind == "html"))


_MODELS: dict[str, LineModel] = {}


def shipped_weights_path(kind: ModelKind) -> Path:
    return Path(str(resources.files("newsmill") / "data" / f"line_model_{kind}.npz"))


def get_model(kind: ModelKind) -> LineModel:
    model = _MODELS.get(kind)
    if model is None:
        path = shipped_weights_path(kind)
        if not path.exists():
            raise NewsmillError(f"the shipped {kind} line model is missing ({path.name}); reinstall newsmill")
        model = _MODELS[kind] = LineModel.load(path)
    return model


def load_weights(path: str | Path) -> LineModel:
    """Use the weights in ``path`` for later extractions in this process (benchmarks, experiments)."""
    model = LineModel.load(path)
    _MODELS[model.kind] = model
    return model


def reset_weights() -> None:
    """Go back to the shipped weights."""
    _MODELS.clear()
