"""The browser shell: connects the pure game core to the page and the JS bridge.

No module here imports ``js`` or ``pyodide``: web/py/main.py hands the
browser in (``ports.Browser``), so the whole shell, the game loop included,
is unit-tested under CPython with fakes.
"""
