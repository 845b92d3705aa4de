"""Sign a PDF at a PAdES baseline level (B-B, B-T, B-LT, B-LTA) as one incremental revision.

    service = PadesSigningService(trust_roots=[root], tsa_url="http://127.0.0.1:9780/eoffice-test/tsa/tsa")
    signed = service.sign(pdf, signer, level=PadesLevel.B_LTA, field="Sig1",
                          block=SignatureBlock("นายสมชาย ใจดี", "ผู้อำนวยการกองกลาง"), reason="...")

One service per process (a warm Lambda keeps it): it owns the event loop, the HTTP session and the
timestamper, so the TSA's dummy token (used to size document timestamps) and TSA certificate paths are
fetched once. Every signature reserves its /Contents size up front (sizing.py), so pyHanko never builds
a throw-away signature. Revocation data for B-LT/B-LTA is fetched fresh for every document
(revocation_mode="require": no OCSP/CRL, no signature).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import (
    DSSContentSettings,
    PdfSigningSession,
    PdfTimeStamper,
    SigDSSPlacementPreference,
)
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
from pyhanko_certvalidator.fetchers.aiohttp_fetchers.util import LazySession
from pyhanko_certvalidator.fetchers.api import FetcherBackend

from chalicelib.signing.appearance import TEXT_PARAM, AppearanceSettings, SignatureBlock, stamp_style
from chalicelib.signing.errors import FieldError, InvalidPdfError, SigningCoreError, SigningFailed
from chalicelib.signing.policy import PadesLevel
from chalicelib.signing.sizing import reserve_bytes
from chalicelib.thai import now_bangkok

DIGEST = "sha256"
# the DSS goes into the signature's own revision (no VRI: deprecated in current PAdES), so B-LT is one
# revision and B-LTA two (signature + DSS, then the document timestamp)
DSS_SETTINGS = DSSContentSettings(
    include_vri=False, placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE
)


@dataclass(frozen=True)
class NewField:
    """A signature field to create: `box` = (x1, y1, x2, y2) in PDF points on 0-based `page`."""

    name: str
    page: int = 0
    box: tuple[float, float, float, float] | None = None  # None: an invisible signature


FieldRef = str | NewField  # str: an existing empty field, e.g. the one the letter renderer reserved


@dataclass(frozen=True)
class SignedPdf:
    pdf: bytes
    field_name: str
    level: PadesLevel
    signed_at: datetime
    bytes_reserved: int
    retried: bool = False


@dataclass(frozen=True)
class SignStep:
    """One signer of a multi-signer document (see PadesSigningService.sign_in_order)."""

    signer: signers.Signer
    field: FieldRef
    level: PadesLevel
    block: SignatureBlock | None = None
    reason: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class _Request:
    pdf: bytes
    signer: signers.Signer
    level: PadesLevel
    field: FieldRef
    block: SignatureBlock | None
    reason: str | None
    location: str | None
    contact_info: str | None
    signed_at: datetime


class _FixedTimePdfSigner(signers.PdfSigner):
    """PdfSigner whose session time is the one shown in the appearance (so /M and the stamp agree)."""

    def __init__(self, *args: Any, signing_time: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


@dataclass
class PadesSigningService:
    """Signs PDFs for any signer against one trust list and one TSA.

    Not thread-safe: one service per thread (a Lambda container runs one invocation at a time). Use either
    sign() / add_archive_timestamp() (the service runs its own event loop; close() at the end) or the
    async_* methods from one event loop of yours (aclose() at the end), not both.
    """

    trust_roots: Sequence[x509.Certificate]
    tsa_url: str | None = None
    timestamper: TimeStamper | None = None  # overrides tsa_url (e.g. an in-process test TSA)
    fetcher_backend: FetcherBackend | None = None  # OCSP/CRL fetching for B-LT/B-LTA
    other_certs: Sequence[x509.Certificate] = ()
    appearance: AppearanceSettings = field(default_factory=AppearanceSettings)
    http_timeout: float = 10.0
    _runner: asyncio.Runner | None = field(default=None, init=False, repr=False)
    _session: LazySession | None = field(default=None, init=False, repr=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.trust_roots:
            raise ValueError("PadesSigningService needs at least one trust root")
        if self.timestamper is None and self.tsa_url:
            self._session = LazySession()
            self.timestamper = HTTPTimeStamper(
                self.tsa_url, timeout=int(self.http_timeout), session=self._session
            )
        if self.fetcher_backend is None:
            if self._session is None:
                self._session = LazySession()
            backend = AIOHttpFetcherBackend(per_request_timeout=int(self.http_timeout))
            backend.session = self._session
            self.fetcher_backend = backend

    # -- sync façade (Lambda handlers, scripts) ------------------------------------------------------

    def sign(
        self,
        pdf: bytes,
        signer: signers.Signer,
        *,
        level: PadesLevel,
        field: FieldRef,
        block: SignatureBlock | None = None,
        reason: str | None = None,
        location: str | None = None,
        contact_info: str | None = None,
    ) -> SignedPdf:
        """Add one signature (an incremental revision) and return the new PDF bytes."""
        coro = self.async_sign(
            pdf,
            signer,
            level=level,
            field=field,
            block=block,
            reason=reason,
            location=location,
            contact_info=contact_info,
        )
        signed: SignedPdf = self._run(coro)
        return signed

    def add_archive_timestamp(self, pdf: bytes) -> bytes:
        """Extend a B-LTA document's life: fresh revocation data for the last document timestamp, then a
        new document timestamp over everything (run before the TSA certificate or algorithms age out)."""
        extended: bytes = self._run(self.async_add_archive_timestamp(pdf))
        return extended

    def sign_in_order(self, pdf: bytes, steps: Sequence[SignStep]) -> list[SignedPdf]:
        """Several signers one after the other; each result's pdf is the input of the next step."""
        results: list[SignedPdf] = []
        for step in steps:
            signed = self.sign(
                pdf,
                step.signer,
                level=step.level,
                field=step.field,
                block=step.block,
                reason=step.reason,
                location=step.location,
            )
            results.append(signed)
            pdf = signed.pdf
        return results

    async def aclose(self) -> None:
        """For async_sign() users: close the HTTP session on the loop that used it."""
        if self._session is not None:
            await self._session.close()

    def close(self) -> None:
        """For sign() users: close the HTTP session and the service's event loop."""
        if self._runner is not None:
            if self._session is not None:
                self._runner.run(self._session.close())
            self._runner.close()
            self._runner = None
            self._loop = None

    def __enter__(self) -> PadesSigningService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, coro: Any) -> Any:
        if self._runner is None:
            self._runner = asyncio.Runner()
        return self._runner.run(coro)

    # -- async core ----------------------------------------------------------------------------------

    async def async_sign(
        self,
        pdf: bytes,
        signer: signers.Signer,
        *,
        level: PadesLevel,
        field: FieldRef,
        block: SignatureBlock | None = None,
        reason: str | None = None,
        location: str | None = None,
        contact_info: str | None = None,
    ) -> SignedPdf:
        self._check_loop()
        if signer.signing_cert is None:
            raise SigningFailed("the signer has no certificate")
        timestamper = self.timestamper if level.at_least(PadesLevel.B_T) else None
        if level.at_least(PadesLevel.B_T) and timestamper is None:
            raise SigningFailed(f"{level} needs a timestamping service (tsa_url)")
        signed_at = now_bangkok()
        token_size = 0
        if timestamper is not None:
            with _translate_errors():
                token_size = len((await timestamper.async_dummy_response(DIGEST)).dump())
        reserved = reserve_bytes(signer.signing_cert, signer.cert_registry, timestamp_token_size=token_size)
        request = _Request(pdf, signer, level, field, block, reason, location, contact_info, signed_at)
        retried = False
        while True:
            try:
                out = await self._sign_once(request, reserved, timestamper)
                break
            except SigningError as exc:
                if retried or "larger than expected" not in str(exc):
                    raise SigningFailed(str(exc)) from exc
                # a TSA answered with a bigger token than its first one: once more, with twice the room
                reserved *= 2
                retried = True
        name = field.name if isinstance(field, NewField) else field
        return SignedPdf(out, name, level, signed_at, reserved, retried)

    async def _sign_once(self, req: _Request, reserved: int, timestamper: TimeStamper | None) -> bytes:
        writer = open_incremental(req.pdf)
        name, new_field_spec = _resolve_field(writer, req.field)
        long_term = req.level.at_least(PadesLevel.B_LT)
        meta = signers.PdfSignatureMetadata(
            field_name=name,
            md_algorithm=DIGEST,
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=req.reason,
            location=req.location,
            contact_info=req.contact_info,
            embed_validation_info=long_term,
            use_pades_lta=req.level is PadesLevel.B_LTA,
            validation_context=self._validation_context(req.signer) if long_term else None,
            dss_settings=DSS_SETTINGS,
        )
        if req.block is not None:
            text = req.block.text(req.signed_at)
        else:
            text = _fallback_text(req.signer, req.signed_at)
        pdf_signer = _FixedTimePdfSigner(
            meta,
            req.signer,
            timestamper=timestamper,
            stamp_style=stamp_style(self.appearance),
            new_field_spec=new_field_spec,
            signing_time=req.signed_at,
        )
        output = BytesIO()
        with _translate_errors():
            await pdf_signer.async_sign_pdf(
                writer,
                existing_fields_only=new_field_spec is None,
                bytes_reserved=reserved,
                appearance_text_params={TEXT_PARAM: text},
                output=output,
            )
        return output.getvalue()

    async def async_add_archive_timestamp(self, pdf: bytes) -> bytes:
        self._check_loop()
        if self.timestamper is None:
            raise SigningFailed("an archive timestamp needs a timestamping service (tsa_url)")
        try:
            reader = PdfFileReader(BytesIO(pdf))
            signed = bool(reader.embedded_signatures)
        except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise InvalidPdfError(f"not a readable PDF: {exc}") from exc
        if not signed:
            raise SigningFailed("the document has no signature or timestamp to extend")
        output = BytesIO()
        with _translate_errors():
            await PdfTimeStamper(self.timestamper).async_update_archival_timestamp_chain(
                reader, self._validation_context(), in_place=False, output=output
            )
        return output.getvalue()

    def _validation_context(self, signer: signers.Signer | None = None) -> ValidationContext:
        return ValidationContext(
            trust_roots=list(self.trust_roots),
            other_certs=[*self.other_certs, *(signer.cert_registry if signer is not None else ())],
            allow_fetching=True,
            revocation_mode="require",
            fetcher_backend=self.fetcher_backend,
        )

    def _check_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif self._loop is not loop and self._session is not None:
            raise SigningCoreError(
                "PadesSigningService keeps an HTTP session bound to one event loop: use either sign() "
                "or async_sign() from a single loop, not both"
            )


def open_incremental(pdf: bytes) -> IncrementalPdfFileWriter:
    try:
        return IncrementalPdfFileWriter(BytesIO(pdf))
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise InvalidPdfError(f"not a readable PDF: {exc}") from exc


def _resolve_field(writer: IncrementalPdfFileWriter, ref: FieldRef) -> tuple[str, fields.SigFieldSpec | None]:
    """(field name, spec of a field to create or None to fill an existing empty one)."""
    name = ref.name if isinstance(ref, NewField) else ref
    found = list(fields.enumerate_sig_fields(writer, with_name=name))
    if found:
        _, value, _ = found[0]
        if value is not None:
            raise FieldError(f"signature field {name!r} is already signed")
        return name, None
    if not isinstance(ref, NewField):
        raise FieldError(f"no signature field named {name!r} in the document")
    box = None if ref.box is None else tuple(round(v) for v in ref.box)
    spec = fields.SigFieldSpec(sig_field_name=name, on_page=ref.page, box=box)  # type: ignore[arg-type]
    return name, spec


def _fallback_text(signer: signers.Signer, signed_at: datetime) -> str:
    cert = signer.signing_cert
    name = cert.subject.native.get("common_name", "") if cert is not None else ""
    return SignatureBlock(name=str(name), position="", name_in_parentheses=False).text(signed_at)


@contextmanager
def _translate_errors() -> Iterator[None]:
    try:
        yield
    except SigningCoreError:
        raise
    except SigningError as exc:
        if "larger than expected" in str(exc):
            raise
        raise SigningFailed(str(exc)) from exc
    except TimestampRequestError as exc:
        raise SigningFailed(f"timestamping service failed: {exc}") from exc
    except PdfError as exc:
        raise InvalidPdfError(str(exc)) from exc
