"""Flask's signed-cookie session, not opened for Socket.IO events.

Flask-SocketIO runs every socket event inside a request context built from the socket's
handshake, and Flask opens the cookie session on every push: each vote verified the handshake's
cookie signature again (a tenth of a vote's cost). Socket handlers identify a socket by its
`auth`, never by the cookie, so for the Socket.IO path the session is an empty, unsaved one.
Pages and the organizer dashboard keep the cookie session as before.
"""
from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

SOCKET_PATH = "/socket.io"


class PageSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app, request):
        if request.path.startswith(SOCKET_PATH):
            return self.session_class()
        return super().open_session(app, request)
