"""The assignments of a network's conv2d and pooling layers: their derived sums over its flat arrays.

A convolution's ``inpK`` is its indexed definition (``derive.layers.indexed_layers``),
followed by the activation as for a dense layer; its weight, bias and input
gradients are the derived VJPs of that definition, reading the upstream
``dinpK``.  A pooling layer's output is its definition and its input
gradient the derived VJP, reading ``d`` of its output; max pooling first
computes its window indicator ``maskK``, which both read.  Arrays are
renamed to the network's and read as images (``derive.layers.indexed_step``).
"""

from dataclasses import dataclass

from sympy import Indexed, IndexedBase, Symbol

from derive.layers.index_calculus import IndexForm, definition_terms
from derive.layers.indexed_layers import ARGMAX, LayerVJPs, avg_pool_vjps, conv2d_vjps, max_pool_vjps, window_shape
from derive.layers.indexed_step import BATCH, FirstMaximum, IndexedStep
from derive.program.network import Assignment, NetworkArray, Stage
from derive.spec.model import BiasKind, LayerKind, LayerSpec

__all__ = ["WindowLayer", "window_parameters", "window_forward", "window_gradients"]


@dataclass(frozen=True)
class WindowLayer:
    """Layer ``number`` of kind conv2d, max_pool or avg_pool, reading the flat ``input`` and giving ``output``.

    ``output`` is ``inpK`` for a convolution (its activation follows) and the
    layer's output for a pooling; ``d`` of it is the upstream gradient.
    """

    number: int
    spec: LayerSpec
    input: str
    output: str

    @property
    def bias(self) -> bool:
        return self.spec.bias is not BiasKind.NONE

    def vjps(self) -> LayerVJPs:
        window = self.spec.window
        shape = window_shape(*window.input, window.window, window.stride, window.padding)
        if self.spec.kind is LayerKind.CONV2D:
            return conv2d_vjps(shape, window.output[0])
        return (max_pool_vjps if self.spec.kind is LayerKind.MAX_POOL else avg_pool_vjps)(shape)

    @property
    def mask(self) -> str:
        return f"mask{self.number}"

    def names(self) -> dict[str, str]:
        """The network's name of each array of the layer's definition."""
        names = {"X": self.input, "G": f"d{self.output}", ARGMAX: self.mask}
        if self.spec.kind is LayerKind.CONV2D:
            names |= {"W": f"w{self.number}", "b": f"b{self.number}"}
        return names

    def views(self) -> dict[str, tuple[int, ...]]:
        """The shape each array of the layer is read in, the batch axis ``BATCH``."""
        window, (rows, columns) = self.spec.window, self.spec.window.window
        views = {self.input: (BATCH, *window.input), f"d{self.output}": (BATCH, *window.output)}
        if self.spec.kind is LayerKind.CONV2D:
            filters, channels = window.output[0], window.input[0]
            views |= {f"w{self.number}": (filters, channels, rows, columns), f"b{self.number}": (filters,)}
        if self.spec.kind is LayerKind.MAX_POOL:
            views[self.mask] = (BATCH, *window.output, rows, columns)
        return views

    def step(self, forms: list[IndexForm], shape: tuple[int, ...], stored: tuple[int, ...]) -> IndexedStep:
        """``forms`` over the network's arrays, each read in its view."""
        renames = {IndexedBase(old, real=True): IndexedBase(new, real=True) for old, new in self.names().items()}
        renamed = [IndexForm(f.target, f.summand.xreplace(renames), f.limits, f.conditions) for f in forms]
        read = {str(a.base.label) for f in renamed for a in f.summand.atoms(Indexed)}
        views = {name: view for name, view in self.views().items() if name in read}
        return IndexedStep.of(renamed, views, shape, stored)


def window_parameters(layer: WindowLayer) -> list[NetworkArray]:
    """A convolution's kernel ``wK``, flat ``(filters, channels·rows·columns)``, and bias ``bK`` ``(1, filters)``."""
    if layer.spec.kind is not LayerKind.CONV2D:
        return []
    rows, columns = layer.spec.weight_shape(0)
    parameters = [NetworkArray(f"w{layer.number}", (rows, columns), layer.number, layer.spec.weight_init)]
    if layer.bias:
        parameters.append(NetworkArray(f"b{layer.number}", (1, rows), layer.number, layer.spec.bias_init))
    return parameters


def _without_bias(layer: WindowLayer, forms: list[IndexForm]) -> list[IndexForm]:
    """The terms of ``forms`` that read no bias, when the layer has none."""
    if layer.bias or layer.spec.kind is not LayerKind.CONV2D:
        return forms
    return [f for f in forms if not any(str(a.base.label) == "b" for a in f.summand.atoms(Indexed))]


def window_forward(layer: WindowLayer) -> list[Assignment]:
    """Max pooling's indicator, then the layer's definition into ``layer.output``, stored flat."""
    window, number = layer.spec.window, layer.number
    result = []
    if layer.spec.kind is LayerKind.MAX_POOL:
        indicator = FirstMaximum.of(layer.input, (BATCH, *window.input), window.window, window.stride)
        result.append(Assignment(layer.mask, indicator, Stage.FORWARD, number, "window maximum indicator"))
    forms = _without_bias(layer, definition_terms(layer.vjps().layer))
    step = layer.step(forms, (BATCH, *window.output), (BATCH, layer.spec.units))
    result.append(Assignment(layer.output, step, Stage.FORWARD, number, layer.spec.kind.value))
    return result


def window_gradients(layer: WindowLayer, input_gradient: bool, penalty: str | None = None) -> list[Assignment]:
    """The derived VJPs: a convolution's kernel and bias, and the input's when asked.

    With ``penalty``, the name of a penalty's gradient, the kernel's derived
    gradient is ``dkernelK`` and ``dwK`` adds the two.
    """
    vjps, number, window = layer.vjps().vjps, layer.number, layer.spec.window
    kernel = f"dkernel{number}" if penalty else f"dw{number}"
    result = []
    if layer.spec.kind is LayerKind.CONV2D:
        (filters, width) = layer.spec.weight_shape(0)
        shape = (filters, window.input[0], *window.window)
        result.append(Assignment(kernel, layer.step([vjps["W"]], shape, (filters, width)),
                                 Stage.BACKWARD, number, "kernel gradient"))
        if penalty:
            total = Symbol(kernel, real=True) + Symbol(penalty, real=True)
            result.append(Assignment(f"dw{number}", total, Stage.BACKWARD, number, "weight gradient"))
        if layer.bias:
            result.append(Assignment(f"db{number}", layer.step([vjps["b"]], (filters,), (1, filters)),
                                     Stage.BACKWARD, number, "bias gradient"))
    if input_gradient:
        flat = window.input[0] * window.input[1] * window.input[2]
        result.append(Assignment(f"d{layer.input}", layer.step([vjps["X"]], (BATCH, *window.input), (BATCH, flat)),
                                 Stage.BACKWARD, number, "input gradient"))
    return result
