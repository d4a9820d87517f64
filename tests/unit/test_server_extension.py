"""The course's Jupyter server extension swaps in the low-latency kernel websocket, and only
over jupyter_server's stock connection class."""

import logging
import re
from pathlib import Path
from types import SimpleNamespace

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from painlab import paths, server


def fake_serverapp(connection_class):
    routes = []
    web_app = SimpleNamespace(settings={server.SETTING: connection_class, "base_url": "/user/a/"},
                              add_handlers=lambda host, handlers: routes.extend(handlers),
                              routes=routes)
    return SimpleNamespace(web_app=web_app, log=logging.getLogger("test"))


def test_extension_point_names_the_module():
    assert server._jupyter_server_extension_points() == [{"module": "painlab.server"}]


def test_stock_connection_is_replaced():
    app = fake_serverapp(ZMQChannelsWebsocketConnection)
    server._load_jupyter_server_extension(app)
    assert app.web_app.settings[server.SETTING] is server.LowLatencyKernelConnection


def test_plotly_js_is_served_under_the_base_url_and_nothing_else():
    app = fake_serverapp(ZMQChannelsWebsocketConnection)
    server._load_jupyter_server_extension(app)
    [(pattern, _handler, options)] = app.web_app.routes
    assert re.fullmatch(pattern, f"/user/a/{paths.PLOTLY_URL_PATH}")
    assert not re.fullmatch(pattern, "/user/a/painlab/static/widgetbundle.js")
    assert (Path(options["path"]) / paths.PLOTLY_JS.name).stat().st_size > 1_000_000


def test_another_connection_class_is_left_alone():
    class GatewayLike(ZMQChannelsWebsocketConnection):
        pass

    app = fake_serverapp(GatewayLike)
    server._load_jupyter_server_extension(app)
    assert app.web_app.settings[server.SETTING] is GatewayLike


def test_connect_sets_nodelay_before_connecting(monkeypatch):
    calls = []
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", lambda self: calls.append("connect"))
    connection = server.LowLatencyKernelConnection.__new__(server.LowLatencyKernelConnection)
    handler = SimpleNamespace(set_nodelay=lambda value: calls.append(("nodelay", value)))
    monkeypatch.setattr(server.LowLatencyKernelConnection, "websocket_handler", handler,
                        raising=False)
    connection.connect()
    assert calls == [("nodelay", True), "connect"]
