"""What Streamlit's server would show anyone who connects, before any passphrase: closed.

Streamlit 1.67 sends every new session the absolute path of the entry script and the
installation's ids, and answers `/_stcore/metrics` to anyone; no setting turns these off.
`close_before_start()` (run.py, before the server binds) removes the metrics route and blanks
the ids from every session's first message. A bare `streamlit run app.py` runs none of our code
before its first visitor, so `close_while_running()` (app.py, every run) does what can still be
done then: the metrics answer holds no figures, and later sessions' first messages no ids.
"""

from __future__ import annotations

from typing import Any

_MARK = "_warmleads_closed"


def hide_identifiers() -> None:
    """Every session's first message names no file path and no installation id."""
    from streamlit.runtime.app_session import AppSession

    original = AppSession._create_new_session_message
    if getattr(original, _MARK, False):
        return

    def new_session_message(self: AppSession, *args: Any, **kwargs: Any) -> Any:
        msg = original(self, *args, **kwargs)
        msg.new_session.main_script_path = ""
        user = msg.new_session.initialize.user_info
        user.installation_id = ""
        user.installation_id_v3 = ""
        user.installation_id_v4 = ""
        return msg

    setattr(new_session_message, _MARK, True)
    AppSession._create_new_session_message = new_session_message  # type: ignore[method-assign]


def close_before_start() -> None:
    """Before the server starts: no `/_stcore/metrics` route at all, and no ids sent."""
    from streamlit.web.server.starlette import starlette_app

    starlette_app.create_metrics_routes = lambda runtime, base_url: []
    hide_identifiers()


def close_while_running() -> None:
    """In a server that is already up: `/_stcore/metrics` reports nothing, and no ids are sent."""
    from streamlit import runtime

    hide_identifiers()
    if not runtime.exists():
        return
    stats = runtime.get_instance().stats_mgr
    if getattr(stats, _MARK, False):
        return
    stats.registered_families = lambda: []  # type: ignore[method-assign]
    stats.get_stats = lambda family_names=None: {}  # type: ignore[method-assign]
    setattr(stats, _MARK, True)
