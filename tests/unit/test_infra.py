import json

from chalice.app import Chalice

from infra.chalice_config import policies, rendered
from infra.resources import cloudformation_template, environment


def test_committed_chalice_config_is_rendered_from_infra() -> None:
    from infra.chalice_config import CONFIG_DIR

    for name, text in rendered().items():
        assert (CONFIG_DIR / name).read_text(encoding="utf-8") == text, name


def test_template_defines_stream_dlq_and_s3_to_sqs() -> None:
    resources = cloudformation_template("prod")["Resources"]
    table = resources["RecordsTable"]["Properties"]
    assert table["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert resources["UploadsQueue"]["Properties"]["RedrivePolicy"]["maxReceiveCount"] == 3
    notify = resources["FilesBucket"]["Properties"]["NotificationConfiguration"]["QueueConfigurations"][0]
    assert notify["Queue"] == {"Fn::GetAtt": ["UploadsQueue", "Arn"]}


def test_every_function_has_its_own_scoped_policy() -> None:
    for name, policy in policies("prod").items():
        for statement in policy["Statement"]:
            assert "*" not in statement["Action"], name
            # A key's tag, or for kms:CreateKey (no resource to name) the tag the new key must carry.
            condition = str(statement.get("Condition", {}))
            scoped_by_tag = any(f"aws:{t}Tag/eoffice:purpose" in condition for t in ("Resource", "Request"))
            # Sending mail is scoped by SES itself: only the account's verified identities send at all.
            mail_only = statement["Action"] == ["ses:SendEmail"] and name == "send_notifications"
            # Push: the connections of the stack's own WebSocket API, which CloudFormation names.
            own_websocket_api = statement["Resource"] == [
                {
                    "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
                    "${WebsocketAPI}/prod/POST/@connections/*"
                }
            ]
            assert (
                scoped_by_tag
                or mail_only
                or own_websocket_api
                or all(":*:*:*" in r or "eoffice-prod" in r for r in statement["Resource"])
            ), (
                name,
                statement,
            )
    api_actions = {a for s in policies("prod")["api_handler"]["Statement"] for a in s["Action"]}
    assert "s3:DeleteObject" not in api_actions  # the API never deletes bytes
    # Only the sign worker uses signing keys; the API only opens sealed letters, with secrecy keys only.
    assert {a for a in api_actions if a.startswith("kms:")} == {"kms:Decrypt"}
    opening = next(s for s in policies("prod")["api_handler"]["Statement"] if "kms:Decrypt" in s["Action"])
    assert opening["Condition"] == {"StringEquals": {"aws:ResourceTag/eoffice:purpose": "document-secrecy"}}
    signing = {a for s in policies("prod")["sign_documents"]["Statement"] for a in s["Action"]}
    assert "kms:Decrypt" not in signing and "kms:Sign" in signing


def test_app_functions_match_configured_functions() -> None:
    import app

    assert isinstance(app.app, Chalice)
    config = json.loads(rendered()["config.json"])
    configured = set(config["stages"]["prod"]["lambda_functions"])
    assert {"api_handler", "check_uploads", "on_records_change"} <= configured
    assert environment("prod")["EOFFICE_TABLE_RECORDS"] == "eoffice-prod-records"
