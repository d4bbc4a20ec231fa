"""The Flask application class, remembering which functions need no async wrapper.

Before calling each hook, view and context processor Flask asks `inspect` whether it is a coroutine
function: ~18 times per page, ~0.4 us each, for functions that never change. Here the answer is kept per
function. Functions made anew for each request (`after_this_request`) are not kept past MAX_REMEMBERED, so
the memory stays bounded; none of digibuddy's is async, and one that is still gets Flask's wrapper.
"""

import flask

MAX_REMEMBERED = 2000


class Flask(flask.Flask):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync_of: dict = {}

    def ensure_sync(self, func):
        try:
            return self._sync_of[func]
        except KeyError:
            made = super().ensure_sync(func)
            if len(self._sync_of) < MAX_REMEMBERED:
                self._sync_of[func] = made
            return made
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)
