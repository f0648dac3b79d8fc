"""Held-out accuracy of symprop's generated classifiers beside scikit-learn's ``MLPClassifier``, same splits.

    python -m bench.classifiers [--seeds 5]

Two datasets: Fisher's iris (``symprop.load_iris``) and scikit-learn's 8x8
digits.  Each seed shuffles the rows into training (60 %), validation (20 %)
and test (20 %) sets; features are standardised by the training rows.
symprop's network trains with ``fit`` on the training rows, once with early
stopping on the validation rows and once for every epoch.  ``MLPClassifier`` gets the same training rows twice:
with the same architecture and optimiser (plain momentum, no L2 unless the
spec has it, the same batch size and epochs), and with its defaults.  Both
are scored on the same test rows.  Needs the ``bench`` extra (scikit-learn).
"""

import argparse
import time
import warnings

import numpy as np

from codegen.rendering import render_network
from derive.catalog.standard import CATALOG
from derive.spec import parse_spec

__all__ = ["PROBLEMS", "main"]

#: name -> (spec, fit's keyword arguments, MLPClassifier's matching keyword arguments)
PROBLEMS = {
    "iris": (
        {"name": "iris", "inputs": 4, "loss": "softmax_neg_log_likelihood",
         "optimizer": {"name": "momentum", "learning_rate": 0.05, "momentum": 0.9},
         "layers": [{"units": 16, "activation": "tanh", "weight_init": "glorot_uniform"},
                    {"units": 3, "activation": "linear", "weight_init": "glorot_uniform"}]},
        {"epochs": 300, "batch_size": 16, "patience": 10},
        {"hidden_layer_sizes": (16,), "activation": "tanh", "solver": "sgd", "learning_rate_init": 0.05,
         "momentum": 0.9, "nesterovs_momentum": False, "alpha": 0.0, "batch_size": 16, "max_iter": 300},
    ),
    "digits": (
        {"name": "digits", "inputs": 64, "loss": "softmax_neg_log_likelihood",
         "optimizer": {"name": "momentum", "learning_rate": 0.05, "momentum": 0.9},
         "layers": [{"units": 64, "activation": "relu", "weight_init": "he_uniform",
                     "penalty": "l2", "penalty_strength": 1e-4},
                    {"units": 10, "activation": "linear", "weight_init": "glorot_uniform"}]},
        {"epochs": 100, "batch_size": 32, "patience": 10},
        {"hidden_layer_sizes": (64,), "activation": "relu", "solver": "sgd", "learning_rate_init": 0.05,
         "momentum": 0.9, "nesterovs_momentum": False, "alpha": 1e-4, "batch_size": 32, "max_iter": 100},
    ),
}


def data(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The features and integer labels of ``name``."""
    if name == "iris":
        from symprop.datasets import load_iris

        return load_iris()
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.data.astype(np.float64), digits.target.astype(np.int64)


def split(x: np.ndarray, labels: np.ndarray, seed: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Shuffled 60/20/20 training, validation and test rows, standardised by the training rows."""
    order = np.random.default_rng(seed).permutation(len(x))
    cut = [int(len(x) * 0.6), int(len(x) * 0.8)]
    parts = dict(zip(("train", "val", "test"), np.split(order, cut)))
    mean, deviation = x[parts["train"]].mean(axis=0), x[parts["train"]].std(axis=0)
    deviation[deviation == 0] = 1.0
    return {part: ((x[rows] - mean) / deviation, labels[rows]) for part, rows in parts.items()}


def module(spec: dict) -> dict:
    """The generated module of ``spec``, executed."""
    namespace = {}
    source = render_network(parse_spec(spec, CATALOG.vocabulary(), source="bench", default_name=spec["name"]), CATALOG)
    exec(compile(source, spec["name"], "exec"), namespace)
    return namespace


def symprop_accuracy(net: dict, sets: dict, fit: dict, seed: int, early_stopping: bool) -> tuple[float, float]:
    """Test accuracy and training seconds of the generated network trained with ``fit``.

    With ``early_stopping``, ``fit`` watches the validation rows with the
    problem's patience; without, it runs every epoch, as ``MLPClassifier`` does.
    """
    (x, y), (x_val, y_val), (x_test, y_test) = sets["train"], sets["val"], sets["test"]
    watch = {"x_val": x_val, "y_val": y_val} if early_stopping else {"patience": None}
    start = time.perf_counter()
    params, _ = net["fit"](net["init_params"](seed), x, y, shuffle=True, rng=seed, verbose=0, **{**fit, **watch})
    return net["accuracy"](params, x_test, y_test), time.perf_counter() - start


def sklearn_accuracy(sets: dict, options: dict, seed: int) -> tuple[float, float]:
    """Test accuracy and training seconds of ``MLPClassifier(**options)`` on the training rows."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    (x, y), (x_test, y_test) = sets["train"], sets["test"]
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = MLPClassifier(random_state=seed, **options).fit(x, y)
    return float((model.predict(x_test) == y_test).mean()), time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Print, per dataset, the mean test accuracy and training time over the seeds."""
    parser = argparse.ArgumentParser(prog="python -m bench.classifiers", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="number of shuffles (default 5)")
    seeds = range(parser.parse_args(argv).seeds)
    print("| dataset | rows (train/val/test) | symprop, early stopping | symprop, every epoch "
          "| MLPClassifier, same network | MLPClassifier, defaults |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (spec, fit, matched) in PROBLEMS.items():
        x, labels = data(name)
        net = module(spec)
        runs = {"early": [], "every": [], "matched": [], "defaults": []}
        for seed in seeds:
            sets = split(x, labels, seed)
            runs["early"].append(symprop_accuracy(net, sets, fit, seed, early_stopping=True))
            runs["every"].append(symprop_accuracy(net, sets, fit, seed, early_stopping=False))
            runs["matched"].append(sklearn_accuracy(sets, matched, seed))
            runs["defaults"].append(sklearn_accuracy(sets, {}, seed))
        sizes = "/".join(str(len(sets[part][1])) for part in ("train", "val", "test"))
        cells = [f"{np.mean([a for a, _ in r]):.3f} ({np.mean([s for _, s in r]):.2f} s)" for r in runs.values()]
        print(f"| {name} | {sizes} | " + " | ".join(cells) + " |")
    print(f"\nMean test accuracy (mean training time) over seeds {seeds.start}..{seeds.stop - 1}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
