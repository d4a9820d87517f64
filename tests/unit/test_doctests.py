"""The examples in the models' docstrings (and the manifest's naming rule) are run as tests:
a number a docstring teaches, e.g. ``potency_loss_to_fold_shift(0.42)``, stays true."""

import doctest
from importlib import import_module

import pytest

from painlab import paths

MODULES = sorted(f"painlab.models.{p.stem}" for p in (paths.ROOT / "painlab" / "models").glob("*.py")
                 if p.stem != "__init__") + ["painlab.manifest"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed (see above)"


def test_the_examples_are_found():
    """So the test above cannot pass by finding nothing."""
    tests = doctest.DocTestFinder().find(import_module("painlab.models.opioid_response"))
    names = {test.name.rsplit(".", 1)[-1] for test in tests if test.examples}
    assert "potency_loss_to_fold_shift" in names
