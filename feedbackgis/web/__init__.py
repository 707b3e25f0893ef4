"""HTML pages: the resident map and forms; staff and contractor views come later."""
from flask import Blueprint

web_blueprint = Blueprint("web", __name__)
