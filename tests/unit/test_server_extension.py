"""The course's Jupyter server extension swaps in the low-latency kernel websocket, and only
over jupyter_server's stock connection class."""

import logging
from types import SimpleNamespace

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from painlab import server


def fake_serverapp(connection_class):
    return SimpleNamespace(web_app=SimpleNamespace(settings={server.SETTING: connection_class}),
                           log=logging.getLogger("test"))


def test_extension_point_names_the_module():
    assert server._jupyter_server_extension_points() == [{"module": "painlab.server"}]


def test_stock_connection_is_replaced():
    app = fake_serverapp(ZMQChannelsWebsocketConnection)
    server._load_jupyter_server_extension(app)
    assert app.web_app.settings[server.SETTING] is server.LowLatencyKernelConnection


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
