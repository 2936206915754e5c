"""`python app.py` launches the app (the Gradio/Spaces convention): page at /, REST API under /api."""

from interviewer.config import Settings
from interviewer.web import serve

if __name__ == "__main__":
    serve(Settings())
