"""Extension objects created once and bound to the app in `create_app`."""
from flask_babel import Babel
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect

babel = Babel()
socketio = SocketIO()
# The organizer's login session (workshop/web/organizer/guard.py) and the CSRF tokens of the
# pages a login authorizes; both scoped there, never in front of the phones or Socket.IO.
login_manager = LoginManager()
csrf = CSRFProtect()
