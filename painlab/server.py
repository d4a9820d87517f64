"""A Jupyter server extension: kernel messages reach the browser without delay.

jupyter_server's kernel websocket leaves Nagle's algorithm on (tornado's default). A widget
update is a burst of small messages (status busy, comm echo, comm update, status idle); with
Nagle on, the first one is sent at once and the rest wait for its TCP acknowledgement, which the
browser may delay by up to 40 ms. Measured in JupyterLab on the course's benchmark machine, about
half of all slider presses took 50-60 ms instead of 15-30 ms to redraw. Setting TCP_NODELAY on
the websocket, as tornado's documentation advises for small interactive messages, removes the
wait.

Enabled by the course's server config (``python -m painlab.setup_views student|instructor``).
"""

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

EXTENSION = "painlab.server"
SETTING = "kernel_websocket_connection_class"


class LowLatencyKernelConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection with TCP_NODELAY set on the websocket."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()


def _jupyter_server_extension_points():
    return [{"module": EXTENSION}]


def _load_jupyter_server_extension(serverapp):
    settings = serverapp.web_app.settings
    # Only replace the stock connection: a gateway or another extension's own class stays.
    if settings.get(SETTING) is ZMQChannelsWebsocketConnection:
        settings[SETTING] = LowLatencyKernelConnection
        serverapp.log.info("painlab: kernel websockets send without delay (TCP_NODELAY)")
