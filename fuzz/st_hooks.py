"""Loaded by schemathesis (SCHEMATHESIS_HOOKS=st_hooks): makes ast.parse thread-safe.

On CPython 3.11, Hypothesis describes filter lambdas with ast.parse from several worker threads at
once, which fails with "SystemError: AST constructor recursion depth mismatch" and aborts the
coverage phase; one lock around ast.parse avoids it.
"""

import ast
import threading

_lock = threading.RLock()
_parse = ast.parse


def _locked_parse(*args, **kwargs):
    with _lock:
        return _parse(*args, **kwargs)


ast.parse = _locked_parse
