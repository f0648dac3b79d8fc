"""The seed notebook's inputs and printed outputs, typed in from its text, for every test to share.

Inputs come from cells In[3] (Example 1) and In[7] (Example 2); printed
values from the outputs below those cells.  Arrays are printed to 8
decimals; costs as full float64 reprs.
"""

import numpy as np

#: Tolerance of a value printed to 8 decimals.
PRINTED_8_DECIMALS = {"rtol": 0, "atol": 5e-9}


def example1_inputs():
    """Cell In[3]: parameters (one bias shared per layer), input and target."""
    params = {
        "w1": np.array([[0.15, 0.20], [0.25, 0.30]]),
        "b1": np.array([[0.35]]),
        "w2": np.array([[0.40, 0.45], [0.50, 0.55]]),
        "b2": np.array([[0.60]]),
    }
    return params, np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])


def example2_inputs():
    """Cell In[7]: parameters, input and one-hot target."""
    params = {
        "w1": np.array([[0.1, 0.2, 0.3], [0.3, 0.2, 0.7], [0.4, 0.3, 0.9]]),
        "b1": np.ones((1, 3)),
        "w2": np.array([[0.2, 0.3, 0.5], [0.3, 0.5, 0.7], [0.6, 0.4, 0.8]]),
        "b2": np.ones((1, 3)),
        "w3": np.array([[0.1, 0.4, 0.8], [0.3, 0.7, 0.2], [0.5, 0.2, 0.9]]),
        "b3": np.ones((1, 3)),
    }
    return params, np.array([[0.1, 0.2, 0.7]]), np.array([[1, 0, 0]])


EXAMPLE_1_LEARNING_RATE = 0.5
EXAMPLE_1_W1_AFTER_STEP = [[0.14978072, 0.19956143], [0.24975114, 0.29950229]]
EXAMPLE_1_W2_AFTER_STEP = [[0.35891648, 0.40866619], [0.51130127, 0.56137012]]

EXAMPLE_2_LEARNING_RATE = 0.01
EXAMPLE_2_ITERATIONS = 301
#: Printed every 30 iterations, from that iteration's forward pass (before the update).
EXAMPLE_2_COSTS = [
    1.1674456052871238,
    0.6079795820435694,
    0.36558760028370507,
    0.24943451548999263,
    0.18547915491555542,
    0.14614614804167658,
    0.1199051550833629,
    0.10131084011234358,
    0.08751844300750028,
    0.07691720650783256,
    0.06853445083252653,
]
EXAMPLE_2_FINAL = {
    "w1": [[0.10083595, 0.2016719, 0.30585165], [0.30086971, 0.20173942, 0.70608796],
           [0.40145052, 0.30290104, 0.91015363]],
    "w2": [[0.20544723, 0.30673159, 0.50749567], [0.30994562, 0.5123005, 0.71366784],
           [0.61065514, 0.41317913, 0.81464085]],
    "w3": [[0.66465527, 0.98758148, 1.39393956], [0.05020341, 0.44006253, -0.06274803],
           [0.18514132, -0.12764401, 0.56880846]],
}
