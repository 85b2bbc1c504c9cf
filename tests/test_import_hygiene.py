"""ops_core is the domain: importing all of it must not pull in a UI library."""

import pkgutil
import subprocess
import sys

import ops_core


def test_ops_core_never_imports_streamlit():
    modules = [m.name for m in pkgutil.walk_packages(ops_core.__path__, "ops_core.")]
    modules = [m for m in modules if not m.endswith("__main__")]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in ('streamlit', 'plotly', 'altair', 'ui') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"ops_core imported {out.stdout.strip()}"
