"""The WSGI entry point for a process manager: `gunicorn -k gevent -w 1 workshop.wsgi:app`.

gunicorn's gevent worker patches the standard library before it imports this module, so
nothing here patches. One worker per process: Socket.IO sessions live in the process that
accepted them; several processes share Redis and PostgreSQL (docs/deploy.md).
"""
from workshop import create_app

app = create_app()
