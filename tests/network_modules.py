"""Network modules built in memory from a spec, through the same path as ``make generate``."""

from codegen.generate import render_network
from derive.catalog.registry import CATALOG
from derive.spec import NetworkSpec, parse_spec

VOCABULARY = CATALOG.vocabulary()


def spec_of(data: dict) -> NetworkSpec:
    """A spec from a TOML-like dict, checked as a file would be."""
    return parse_spec(data, VOCABULARY, source="test", default_name=data.get("name", "net"))


def module_of(spec: NetworkSpec) -> dict:
    """The generated module of ``spec``, executed: its names and their values."""
    namespace = {}
    exec(compile(render_network(spec, CATALOG), spec.name, "exec"), namespace)
    return namespace
