"""The methods of a network module's ``Trainer`` that no network changes: plain Python, copied into its class.

The network template lays out the class and prints the rest of it
(``__init__``, ``_workspace``, ``train_step``) from the network's program;
``codegen.network_module.runtime_source("trainer_shell.py", "Trainer.copy_params")``
copies a method, indented as here.
"""


class Trainer:
    """Stands in for a module's ``Trainer``, whose ``params`` is a dict of views into one flat array."""

    def copy_params(self):
        """A copy of every parameter and statistic, independent of the trainer."""
        return {name: value.copy() for name, value in self.params.items()}
