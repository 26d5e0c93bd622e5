"""The browser shell: connects the pure game core to the page and the JS bridge.

Only ``dom`` and ``app`` import ``js``/``pyodide``; ``options`` and
``presenter`` are pure and unit-tested under CPython.
"""
