"""The notebook's own code, pasted verbatim, runs on symprop's generated functions.

Each cell is executed in a namespace where ``sigmoid``, ``relu``, ``linear``
and ``softmax_neg_log_likelihood`` come from ``generated`` instead of the
notebook's definitions (cells In[2] and In[6]).  Expected numbers are typed
in from the notebook's printed output.
"""

import contextlib
import io

import numpy as np
import pytest

from generated.activations import linear, relu, sigmoid
from generated.losses import softmax_neg_log_likelihood
from notebook import (
    EXAMPLE_1_W1_AFTER_STEP, EXAMPLE_1_W2_AFTER_STEP, EXAMPLE_2_COSTS, EXAMPLE_2_FINAL, PRINTED_8_DECIMALS,
)

# Cells In[3], In[4] and In[5], verbatim.  Note that the notebook's own code
# updates the biases with b - lr*b; it is kept as it is.
EXAMPLE_1_CELLS = """\
x = np.array([[0.05, 0.10]])
y = np.array([[0.01, 0.99]])
#pesos
w1 = np.array([[0.15, 0.20], [0.25, 0.30]])
#neste exemplo esta sendo usado um bia pra dois neuronios
b1 = np.array([[0.35]])

w2 = np.array([[0.40, 0.45], [0.50, 0.55]])
b2 = np.array([[0.60]])

learning_rate = 0.5
#Forward
for i in range(1):
  #feed-forward
  #1 camada
  inp1 = np.dot(x, w1.T) + b1
  h1 = sigmoid(inp1)
  #2 camada
  inp2 = np.dot(h1, w2.T) + b2
  out = sigmoid(inp2)

  cost = 0.5 * np.sum((y-out)**2)

print(h1)
print(out)
print(cost)
#desta vez o custo nao será 1
dout = -(y-out) # derivada da funçao de custo
#2a derivada
dinp2 = sigmoid(inp2, derivative=True) * dout
# VER NO SLIDE DE DERIVAÇÂO DE MATRIZES
dh1 = np.dot(dinp2, w2)
dw2 = np.dot(dinp2.T, h1)
db2 = 1.0 * dinp2.sum(axis=0, keepdims=True) # temos que adicionar do eixo 0 para somar  Senao perde a dimensionalidade
# 1 camada back
dinp1 = sigmoid(inp1, derivative=True) * dh1
dx = np.dot(dinp1, w1)
dw1 = np.dot(dinp1.T, x)
db1 = 1.0 * dinp1.sum(axis=0, keepdims=True)

print(dw1)
print(dw2)

#Agora vamos atualizar os pesos
w2 = w2 - learning_rate*dw2
b2 = b2 - learning_rate*b2
w1 = w1 - learning_rate*dw1
b1 = b1 - learning_rate*b1
#observe que os valores dos pesos foram modificados de maneira suave
print(w1)
print(w2)
"""

# What cells In[4] and In[5] print, verbatim.
EXAMPLE_1_PRINTED = """\
[[0.59326999 0.59688438]]
[[0.75136507 0.77292847]]
0.2983711087600027
[[0.00043857 0.00087714]
 [0.00049771 0.00099543]]
[[ 0.08216704  0.08266763]
 [-0.02260254 -0.02274024]]
[[0.14978072 0.19956143]
 [0.24975114 0.29950229]]
[[0.35891648 0.40866619]
 [0.51130127 0.56137012]]
"""

# Cell In[7], verbatim (trailing spaces included).
EXAMPLE_2_CELL = """\
x = np.array([[0.1, 0.2, 0.7]])
y = np.array([[1, 0, 0]])
w1 = np.array([[0.1, 0.2, 0.3], [0.3, 0.2, 0.7], [0.4, 0.3, 0.9]])
b1 = np.ones((1,3))
w2 = np.array([[0.2, 0.3, 0.5], [0.3, 0.5, 0.7], [0.6, 0.4, 0.8]])
b2 = np.ones((1,3))
w3 = np.array([[0.1, 0.4, 0.8], [0.3, 0.7, 0.2], [0.5, 0.2, 0.9]])
b3 = np.ones((1,3))

learning_rate = 0.01

for i in range(301):
    # feedforward
    # 1a camada
    inp1 = np.dot(x, w1.T) + b1
    h1 = relu(inp1)
    # 2a camada
    inp2 = np.dot(h1, w2.T) + b2
    h2 = sigmoid(inp2)
  
    # 3a camada
    inp3 = np.dot(h2, w3.T) + b3
    out = linear(inp3)

    cost = softmax_neg_log_likelihood(y, out)
    # backpropagation
    # insira seu código aqui!
    dout = softmax_neg_log_likelihood(y, out, derivative=True)

    #3a camada
    dinp3 = linear(inp3, derivative=True) * dout
    dh2 = np.dot(dinp3, w3)
    dw3 = np.dot(dinp3.T, h2)
    db3 = 1.0 * dinp3.sum(axis=0, keepdims=True) 

    #2a camada
    dinp2 = sigmoid(inp2, derivative=True) * dh2
    dh1 = np.dot(dinp2, w2)
    dw2 = np.dot(dinp2.T, h1)
    db2 = 1.0 * dinp2.sum(axis=0, keepdims=True) 

    #1a camada
    dinp1 = relu(inp1, derivative=True) * dh1
    dx = np.dot(dinp1, w1)
    dw1 = np.dot(dinp1.T, x)
    db1 = 1.0 * dinp1.sum(axis=0, keepdims=True) 


    #Vamos atualizar os pesos
    w3 = w3 - learning_rate * dw3
    b3 = b3 - learning_rate * db3
    w2 = w2 - learning_rate * dw2
    b2 = b2 - learning_rate * db2
    w1 = w1 - learning_rate * dw1
    b1 = b1 - learning_rate * db1

    if i % 30 ==0:
      cost = softmax_neg_log_likelihood(y, out)
      print(cost)
for w in [w1, w2, w3]:
    print(w)
"""

def run_notebook_code(source):
    """Execute ``source`` on the generated functions; return its namespace and what it printed."""
    namespace = {
        "np": np,
        "sigmoid": sigmoid,
        "relu": relu,
        "linear": linear,
        "softmax_neg_log_likelihood": softmax_neg_log_likelihood,
    }
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, "<notebook>", "exec"), namespace)
    return namespace, printed.getvalue()


def test_example_1_cells_print_the_notebook_output():
    _, printed = run_notebook_code(EXAMPLE_1_CELLS)
    assert printed == EXAMPLE_1_PRINTED


def test_example_1_cells_leave_the_notebook_weights():
    namespace, _ = run_notebook_code(EXAMPLE_1_CELLS)
    np.testing.assert_allclose(namespace["w1"], EXAMPLE_1_W1_AFTER_STEP, **PRINTED_8_DECIMALS)
    np.testing.assert_allclose(namespace["w2"], EXAMPLE_1_W2_AFTER_STEP, **PRINTED_8_DECIMALS)


def test_example_2_loop_prints_the_notebook_costs():
    # The notebook prints full float64 reprs; symprop uses log-sum-exp, so the last digits may differ.
    _, printed = run_notebook_code(EXAMPLE_2_CELL)
    costs = [float(line) for line in printed.splitlines()[: len(EXAMPLE_2_COSTS)]]
    np.testing.assert_allclose(costs, EXAMPLE_2_COSTS, rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", sorted(EXAMPLE_2_FINAL))
def test_example_2_loop_ends_with_the_notebook_weights(name):
    namespace, _ = run_notebook_code(EXAMPLE_2_CELL)
    np.testing.assert_allclose(namespace[name], EXAMPLE_2_FINAL[name], **PRINTED_8_DECIMALS)
