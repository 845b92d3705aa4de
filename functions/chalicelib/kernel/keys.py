"""Every key of the records table and the files bucket, composed here and nowhere else.

One table holds every operation's items (single-table design), so their key shapes are one schema:
kept together, a new operation sees at once which prefixes are taken. The agency id always comes
first, and it is always the principal's (never the request's): tenancy by construction.

    partition                          sort key              item (module)
    <agency>                           AGENCY | UNIT#u | USER#s   the directory (directory)
    <agency>#DOC#<doc>                 DOC | FILE#f | SIGNJOB#nn  a document, its files, sign jobs
                                       VERSION#0001               a revision of its content (documents)
                                       ROUTE | INBOX#i | DUE#i    its route, inbox items, due markers
                                       ENDORSE#t#i | ASSIGN#i     endorsements, assignments (routing)
    <agency>                           ROUTETPL#<kind>            a route template (routing)
    <agency>#NOTIF#<user>              <time>#<id>                a user's notifications (notifications)
    <agency>                           NOTIFYPREF#<user>          how the user wants e-mail (notifications)
    MAILOUT#<shard>                    <agency>#<user>#<id>       notifications waiting to be e-mailed
    <agency>#CONN#<user>               <connection id>            a browser's open WebSocket (push)
    WSCONN#<connection id>             WSCONN                     whose connection it is (push: disconnect)
    <agency>#BOOK#<book>#<year>        COUNTER | ENTRY#00000042   a register book-year (registers)
                                       LETTER#<digest>            an incoming letter's marker (duplicates)
    <agency>#IDEM#<user>:<key>         IDEM                       a remembered answer (registers)
    <agency>#DOC#<doc>                 SEND#<recipient>#<n>       a letter's delivery to an agency (exchange)
    <agency>#EXCHANGE-IN               DELIVERY#<id>              a letter delivered to the agency (exchange)
    PLATFORM#AGENCIES                  <agency>                   the agencies on the platform (directory)
    PLATFORM#ECMS-OUT                  <letter id>                a letter handed to e-CMS (exchange)
    PLATFORM#ECMS-DEPTS                <department id>            whose e-CMS department id it is (directory)
    <agency>#AUDIT#<yyyy-mm-dd>        <time>#<rand>              the audit log (kernel/audit.py)
    gsi1: <agency>#TARGET#<target>     <time>#<rand>              a record's own history
    gsi2: <agency>#PENDING-UPLOAD      <expiry>                   uploads not yet arrived (sparse)
    gsi3: <agency>#INBOX#<holder>      <rank>#<due>#<time>#<id>   what waits for a user/position/unit
    gsi3: DUE#<shard> | STUCK#<shard>  <time>#...                 due inbox items; stuck routes
"""

from __future__ import annotations

import re
import secrets
import time

AGENCY_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,39}$"
_AGENCY_ID = re.compile(AGENCY_ID_PATTERN)
_OPAQUE_ID = re.compile(r"^[A-Za-z0-9_-]{6,64}$")

AGENCY_SK = "AGENCY"
DOCUMENT_SK = "DOC"
COUNTER_SK = "COUNTER"
IDEMPOTENCY_SK = "IDEM"
UNIT_PREFIX = "UNIT#"
USER_PREFIX = "USER#"
FILE_PREFIX = "FILE#"
SIGN_JOB_PREFIX = "SIGNJOB#"
VERSION_PREFIX = "VERSION#"
ROUTE_SK = "ROUTE"
INBOX_PREFIX = "INBOX#"
DUE_PREFIX = "DUE#"
ENDORSEMENT_PREFIX = "ENDORSE#"
ASSIGNMENT_PREFIX = "ASSIGN#"
ROUTE_TEMPLATE_PREFIX = "ROUTETPL#"
SHARDS = 16  # platform-wide queues (due items, stuck routes) are spread over this many partitions
ENTRY_PREFIX = "ENTRY#"
SEND_PREFIX = "SEND#"
DELIVERY_PREFIX = "DELIVERY#"
# The one partition that is not an agency's: the list of agencies others may send letters to (no
# agency's records are in it, only each agency's name and codes).
PLATFORM_AGENCIES_PK = "PLATFORM#AGENCIES"
# The e-CMS node's notifiers name a letter by its ที่ only: which agency's letter that is.
ECMS_OUT_PK = "PLATFORM#ECMS-OUT"
# A letter coming in through e-CMS names its receiver by department id only: which agency that is.
ECMS_DEPARTMENTS_PK = "PLATFORM#ECMS-DEPTS"
_DOC_INFIX = "#DOC#"


def new_id() -> str:
    """Time-ordered, unguessable: 11 hex digits of milliseconds, 10 of randomness."""
    return f"{int(time.time() * 1000):011x}{secrets.token_hex(5)}"


def is_agency_id(value: str) -> bool:
    return bool(_AGENCY_ID.match(value))


def check_agency(agency_id: str) -> str:
    if not is_agency_id(agency_id):
        raise ValueError(f"bad agency id {agency_id!r}")
    return agency_id


def is_opaque_id(value: str) -> bool:
    return bool(_OPAQUE_ID.match(value))


# -- the directory ---------------------------------------------------------------------------
def agency_pk(agency_id: str) -> str:
    return check_agency(agency_id)


def unit_sk(unit_id: str) -> str:
    return UNIT_PREFIX + unit_id


def user_sk(user_id: str) -> str:
    return USER_PREFIX + user_id


def suffix(sort_key: str, prefix: str) -> str:
    """The id in a sort key such as USER#<sub> or FILE#<id>."""
    return sort_key.removeprefix(prefix)


# -- documents -------------------------------------------------------------------------------
def document_pk(agency_id: str, document_id: str) -> str:
    return f"{check_agency(agency_id)}{_DOC_INFIX}{document_id}"


def document_of_pk(pk: str) -> tuple[str, str]:
    """(agency, document) of a document partition key."""
    agency, _, document = pk.partition(_DOC_INFIX)
    return agency, document


def is_document_pk(pk: str) -> bool:
    return _DOC_INFIX in pk


def file_sk(file_id: str) -> str:
    return FILE_PREFIX + file_id


def sign_job_sk(slot: int) -> str:
    return f"{SIGN_JOB_PREFIX}{slot:02d}"


def version_sk(revision: int) -> str:
    return f"{VERSION_PREFIX}{revision:04d}"


def route_template_sk(kind: str) -> str:
    return ROUTE_TEMPLATE_PREFIX + kind


def inbox_sk(item_id: str) -> str:
    return INBOX_PREFIX + item_id


def due_sk(item_id: str) -> str:
    return DUE_PREFIX + item_id


def endorsement_sk(at_iso: str, item_id: str) -> str:
    return f"{ENDORSEMENT_PREFIX}{at_iso}#{item_id}"


def assignment_sk(item_id: str) -> str:
    return ASSIGNMENT_PREFIX + item_id


def inbox_pk(agency_id: str, holder: str) -> str:
    """A holder is `user:<id>`, `pos:<position>` or `unit:<id>`: the gsi3 partition of their inbox."""
    return f"{check_agency(agency_id)}#INBOX#{holder}"


def shard_of(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode()) % SHARDS


def due_pk(shard: int) -> str:
    return f"DUE#{shard:02d}"


def stuck_pk(shard: int) -> str:
    return f"STUCK#{shard:02d}"


def notifications_pk(agency_id: str, user_id: str) -> str:
    return f"{check_agency(agency_id)}#NOTIF#{user_id}"


def notify_pref_sk(user_id: str) -> str:
    return f"NOTIFYPREF#{user_id}"


def mail_out_pk(shard: int) -> str:
    """The e-mail outbox, spread over SHARDS partitions (no agency's records: who, what, when)."""
    return f"MAILOUT#{shard:02d}"


def connections_pk(agency_id: str, user_id: str) -> str:
    """A user's open WebSocket connections (push): one item per connection, sort key its id."""
    return f"{check_agency(agency_id)}#CONN#{user_id}"


CONNECTION_SK = "WSCONN"


def connection_pk(connection_id: str) -> str:
    """A connection by its id alone: a disconnect names nothing else (no agency's records: whose it is)."""
    return f"WSCONN#{connection_id}"


def pending_upload_pk(agency_id: str) -> str:
    return f"{check_agency(agency_id)}#PENDING-UPLOAD"


def signing_keys_pk(agency_id: str) -> str:
    """The agency's inventory of signer keys (signing_keys/store.py): one item per user, sk=user id."""
    return f"{check_agency(agency_id)}#SIGNKEYS"


# -- register books --------------------------------------------------------------------------
def book_pk(agency_id: str, book: str, year: int) -> str:
    return f"{check_agency(agency_id)}#BOOK#{book}#{year}"


def agency_of_pk(pk: str) -> str:
    return pk.split("#", 1)[0]


def entry_sk(number: int) -> str:
    return f"{ENTRY_PREFIX}{number:08d}"


def is_entry_sk(value: str) -> bool:
    return value.startswith(ENTRY_PREFIX) and len(value) == 14 and value[6:].isdigit()


LETTER_PREFIX = "LETTER#"


def letter_sk(digest: str) -> str:
    """The marker of one incoming letter (sender, ที่, ลงวันที่) in a book-year: duplicates are found by key."""
    return LETTER_PREFIX + digest


def idempotency_pk(agency_id: str, key: str) -> str:
    return f"{check_agency(agency_id)}#IDEM#{key}"


# -- the audit log ---------------------------------------------------------------------------
def audit_pk(agency_id: str, day: str) -> str:
    return f"{check_agency(agency_id)}#AUDIT#{day}"


def audit_target_pk(agency_id: str, target: str) -> str:
    return f"{check_agency(agency_id)}#TARGET#{target}"


# -- the files bucket ------------------------------------------------------------------------
def file_object_key(agency_id: str, document_id: str, file_id: str) -> str:
    """S3 key of an uploaded original; the agency prefix is what the IAM policies scope to."""
    return f"{check_agency(agency_id)}/documents/{document_id}/files/{file_id}/original"


def stamped_object_key(agency_id: str, document_id: str, file_id: str) -> str:
    return f"{check_agency(agency_id)}/documents/{document_id}/files/{file_id}/received-stamped.pdf"


def emblem_object_key(agency_id: str, sha256: str) -> str:
    return f"{check_agency(agency_id)}/agency/emblem-{sha256[:20]}"


def signed_object_key(agency_id: str, document_id: str, slot: int, source_sha256: str) -> str:
    """A signed version, named by the PDF it signs (a retry finds its own result)."""
    return f"{check_agency(agency_id)}/documents/{document_id}/signed/{slot:02d}-{source_sha256[:20]}.pdf"


_OBJECT_KEY = re.compile(
    r"^(?P<agency>[a-z0-9][a-z0-9-]{1,39})/documents/(?P<document>[A-Za-z0-9_-]{6,64})"
    r"/files/(?P<file>[A-Za-z0-9_-]{6,64})/original$"
)


def parse_file_object_key(key: str) -> tuple[str, str, str] | None:
    """(agency, document, file) of an uploaded original, or None for any other key."""
    match = _OBJECT_KEY.match(key)
    if not match:
        return None
    return match["agency"], match["document"], match["file"]


# -- exchange -------------------------------------------------------------------------------------
def send_sk(recipient: str, attempt: int) -> str:
    return f"{SEND_PREFIX}{check_agency(recipient)}#{attempt:03d}"


def exchange_in_pk(agency_id: str) -> str:
    return f"{check_agency(agency_id)}#EXCHANGE-IN"


def delivery_sk(delivery_id: str) -> str:
    return f"{DELIVERY_PREFIX}{delivery_id}"
