"""The course's Jupyter server extension: fast kernel messages, and plotly.js served once.

1. Kernel messages reach the browser without delay.

jupyter_server's kernel websocket leaves Nagle's algorithm on (tornado's default). A widget
update is a burst of small messages (status busy, comm echo, comm update, status idle); with
Nagle on, the first one is sent at once and the rest wait for its TCP acknowledgement, which the
browser may delay by up to 40 ms. Measured in JupyterLab on the course's benchmark machine, about
half of all slider presses took 50-60 ms instead of 15-30 ms to redraw. Setting TCP_NODELAY on
the websocket, as tornado's documentation advises for small interactive messages, removes the
wait.

2. It serves the course's plotly.js (``paths.PLOTLY_JS``: plotly's basic bundle where
painlab.plotly_bundle put it in place, else the installed plotly package's full bundle) at
``<base url>/`` + ``paths.PLOTLY_URL_PATH``, so the course's plot widget
(painlab.widgets.plot_view) fetches it once per page (and the browser caches it) instead of
receiving megabytes with every diagram.

3. Saving a lesson keeps the committed file clean, and reopening it shows the static versions
of its diagrams instead of "Error displaying widget: model not found" (painlab.lesson_saving).

Enabled by the course's server config (``python -m painlab.setup_views student|instructor``).
"""

import re

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.utils import url_path_join
from tornado.web import StaticFileHandler

from painlab import paths

SETTING = "kernel_websocket_connection_class"
# That one file, nothing else; the group is the file name StaticFileHandler looks up.
PLOTLY_ROUTE = f"{paths.PLOTLY_URL_DIR}/({re.escape(paths.PLOTLY_JS.name)})"


class LowLatencyKernelConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection with TCP_NODELAY set on the websocket."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()


def _jupyter_server_extension_points():
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp):
    settings = serverapp.web_app.settings
    serverapp.web_app.add_handlers(".*$", [(
        url_path_join(settings["base_url"], PLOTLY_ROUTE), StaticFileHandler,
        {"path": str(paths.PLOTLY_JS.parent)})])
    try:
        from painlab.lesson_saving import install

        install(serverapp.contents_manager)
        serverapp.log.info("painlab: lessons are saved without outputs (they go to "
                           "lessons/.saved-outputs/)")
    except Exception as problem:  # noqa: BLE001 (never stop the server for this)
        serverapp.log.warning("painlab: lessons will be saved with their outputs: %s", problem)
    # Only replace the stock connection: a gateway or another extension's own class stays.
    if settings.get(SETTING) is ZMQChannelsWebsocketConnection:
        settings[SETTING] = LowLatencyKernelConnection
        serverapp.log.info("painlab: kernel websockets send without delay (TCP_NODELAY)")
