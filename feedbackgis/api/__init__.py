"""JSON API blueprints: load -> service -> dump."""
from flask import Blueprint

api_blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
