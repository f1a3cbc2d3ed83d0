"""Extension objects created once and bound to the app in `create_app`."""
from flask_babel import Babel
from flask_socketio import SocketIO

babel = Babel()
socketio = SocketIO()
