"""Every generated catalogue function on NaN, inf, empty, mis-shaped, integer, half and single
precision, list, 3-D, 0-d, complex, text and non-contiguous input: each call returns the value
of the SymPy definition or refuses with a ValueError/TypeError naming the function.  Never a
crash, a warning or a silently wrong answer (see ``catalogue_bad_inputs``)."""

import pytest

from catalogue_bad_inputs import calls, judge
from generated import activations, losses, penalties

CALLS = calls(activations, losses, penalties)


@pytest.mark.parametrize("call", CALLS, ids=[call.label for call in CALLS])
def test_call_returns_the_definitions_value_or_refuses_clearly(call):
    outcome, detail = judge(call)
    assert outcome in ("correct", "refused"), detail


@pytest.mark.parametrize("case", ["float64", "int", "float16", "float32", "list", "non-contiguous"])
def test_ordinary_input_is_never_refused(case):
    refused = [call.label for call in CALLS if call.label.endswith(f" {case}") and judge(call)[0] == "refused"]
    assert refused == []
