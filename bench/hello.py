"""The yardstick: the smallest Flask app, served exactly like the site (`gunicorn 'bench.hello:app'`)."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, world!"
