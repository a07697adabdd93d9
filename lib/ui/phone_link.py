"""On this computer's Today, while the app serves the local network: the phone's address."""

from __future__ import annotations

import streamlit as st

from lib.core.sharing import is_loopback, network_url
from lib.present.qr import qr_png
from lib.ui.gate import current_client
from lib.ui.text import escape_markdown


def phone_address() -> str | None:
    """The address a phone opens, or None when the app listens on this computer only."""
    address = str(st.get_option("server.address") or "")
    if is_loopback(address):
        return None
    tls = bool(st.get_option("server.sslCertFile"))
    return network_url(address, int(st.get_option("server.port")), tls=tls)


def phone_qr() -> None:
    """The phone link's QR code, for someone at this computer (a phone has no use for it)."""
    url = phone_address()
    client = current_client()
    if url is None or not (client == "this computer" or is_loopback(client)):
        return
    with st.expander("Open Warm Leads on your phone", icon=":material/qr_code_2:"):
        st.image(qr_png(url), width=180)
        st.caption(
            f"Same Wi-Fi: point the phone's camera at the code, or open "
            f"{escape_markdown(url)}, then give the phone passphrase."
        )
