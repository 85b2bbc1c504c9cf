"""Start the app: ``python -m ui.serve [streamlit run options]`` (used by make run and tests).

app.py routes with st.navigation. Streamlit treats a ``pages/`` folder next to the main script
as its old multipage mode until the first st.navigation call of the process, so the very
first request, if it is a deep link, would run a page script without the router. Starting
the server through here turns that mode off before any session exists; ui.chrome.ensure_routed
covers a plain ``streamlit run app.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parents[1] / "app.py"


def main() -> None:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
