"""Held-out accuracy of a small convolutional network on the 8x8 digits, beside the dense network, same splits.

    python -m bench.digits_cnn [--seeds 5]

The dense network and the splits are ``bench.classifiers``' (60/20/20,
features standardised by the training rows); the convolutional network is
conv2d 16@3x3 (same padding, relu), 2x2 max pooling, flatten and a dense
softmax layer, trained by ``fit`` with the same batch size, epochs and early
stopping.  Needs the ``bench`` extra (scikit-learn, for the digits).
"""

import argparse

import numpy as np

from bench.classifiers import PROBLEMS, data, module, split, symprop_accuracy

__all__ = ["CNN", "accuracies", "main"]

#: The convolutional network: one image of 8x8 pixels in, ten classes out.
CNN = {
    "name": "digits_cnn", "inputs": [1, 8, 8], "loss": "softmax_neg_log_likelihood",
    "optimizer": {"name": "momentum", "learning_rate": 0.01, "momentum": 0.9},
    "layers": [{"kind": "conv2d", "filters": 16, "kernel": 3, "padding": "same", "activation": "relu",
                "weight_init": "he_uniform"},
               {"kind": "max_pool", "size": 2},
               {"kind": "flatten"},
               {"units": 10, "activation": "linear", "weight_init": "glorot_uniform"}],
}


def accuracies(seed: int) -> dict[str, float]:
    """Test accuracy of the dense and the convolutional network on the digits split by ``seed``."""
    x, labels = data("digits")
    sets = split(x, labels, seed)
    dense, fit, _ = PROBLEMS["digits"]
    return {spec["name"]: symprop_accuracy(module(spec), sets, fit, seed, early_stopping=True)[0]
            for spec in (dense, CNN)}


def main(argv: list[str] | None = None) -> int:
    """Print each seed's test accuracies and their means."""
    parser = argparse.ArgumentParser(prog="python -m bench.digits_cnn", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="number of shuffles (default 5)")
    seeds = range(parser.parse_args(argv).seeds)
    print("| seed | dense 64 (relu) -> 10 | conv2d 16@3x3 -> max_pool 2 -> 10 |")
    print("| --- | --- | --- |")
    rows = []
    for seed in seeds:
        rows.append(accuracies(seed))
        print(f"| {seed} | {rows[-1]['digits']:.4f} | {rows[-1]['digits_cnn']:.4f} |", flush=True)
    print(f"| mean | {np.mean([r['digits'] for r in rows]):.4f} | {np.mean([r['digits_cnn'] for r in rows]):.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
