import app  # noqa: F401 (registers every operation)
from chalicelib.openapi import openapi_document
from openapi_spec_validator import validate


def test_the_document_is_valid_openapi_3_1_with_unique_operation_ids() -> None:
    document = openapi_document()
    validate(document)  # raises on any schema violation
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_every_operation_documents_its_problems() -> None:
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            assert "500" in operation["responses"], (path, method)
            if "requestBody" in operation:
                assert "400" in operation["responses"], (path, method)
