"""`uvicorn --factory fazhi_api.main:create` serves the API with settings from the environment."""

from fastapi import FastAPI

from fazhi_api.app import create_app


def create() -> FastAPI:
    return create_app()
