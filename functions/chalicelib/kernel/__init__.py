"""The kernel: what every operation needs and none owns. It knows no operation.

errors     domain errors, each an RFC 9457 problem with Thai and English messages
settings   configuration from the environment;  clock   the one clock
log        structured logs, request state cleared per request and event; EMF metrics
schema     the types models are built from (well-formed text, ids) and the model bases
http       the `operation` decorator: auth, parsing at the door, problems, the OpenAPI record
identity   token verification and the caller (the directory is handed in at start-up)
principal  who the caller is and what their clearance lets them see
keys       every key of the table and the bucket
ddb        the table binding, get-or-none, partition reads, the transaction collector
audit      the audit log, written in each change's own transaction
aws, objects, queues, batch   AWS clients, S3, typed SQS messages, batch handlers
"""
