from feedbackgis import create_app

app = create_app()
