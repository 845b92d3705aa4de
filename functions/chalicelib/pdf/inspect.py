"""Is this a PDF we can work with, and does it carry active content? Parsed with pyHanko's reader.

``inspect_pdf`` answers three questions for the upload checker and the signer: is the file encrypted, does
it parse (with a page tree we can stamp page 1 of), and what active content does it carry: JavaScript,
Launch actions, embedded files, RichMedia and other multimedia, XFA forms, SubmitForm and ImportData
actions, and links that leave the document (GoToR, GoToE, URI). Each finding says where it is
("catalog /OpenAction", "page 1 annotation 3 /A", "form field 'total' /AA /C") so that a rejection can say
why. Every kind is refused as a letter except URI: a web link in a letter is ordinary and opens nothing by
itself (the viewer asks first); it is reported so that it can be shown, not refused.

Where active content is looked for: everything reachable from the document catalog (so /OpenAction, /AA,
the /Names trees, /AcroForm and its /Fields, /Outlines, every page and its /AA and /Annots, every
annotation's /A and /AA, /Next chains, and whatever else an object points to), except the structure tree,
which holds no actions a viewer runs. Objects nothing points to are not looked at: no viewer reaches them.

A crafted file must never crash the checker or its caller, so a file that cannot be judged comes back
unreadable with a reason, never as an exception. The budget, and why it is enforced the way it is:

* The parse runs in a child process with hard limits. pyHanko's object parser is recursive and builds
  every object in memory: 50,000 nested arrays exhaust the recursion limit, and a 20 MB file of empty
  dictionaries needs gigabytes. Catching RecursionError and walking objects iteratively (both done, see
  below) bounds our code but not the library's, and a multi-threaded Lambda or dev server cannot cap the
  memory or the time of one call in-process. So the first call starts one long-lived helper process
  (``python -I -c ...``, pyHanko preloaded, single-threaded) and every inspection is a ``fork`` of that
  helper: the caller itself never forks (fork in a multi-threaded process can deadlock). The forked child
  sets RLIMIT_AS (its current size plus ``Budget.memory_bytes``), RLIMIT_CPU and RLIMIT_FSIZE=0, inspects,
  and writes its answer as JSON (never pickle: the child parsed hostile input) to a pipe; the helper kills
  it at ``Budget.seconds`` of wall-clock time. A child that reached its memory cap (VmPeak) and failed
  reports "needs more memory", whatever odd error the failed allocation surfaced as. Only pipes, fork
  and select are used: no multiprocessing.Queue/Pool/Lock, which need /dev/shm and so do not work in AWS
  Lambda.
  multiprocessing's "forkserver" would be the stock tool, but every child it starts re-imports the
  caller's ``__main__`` (the Lambda bootstrap, or pytest), which costs more than the inspection itself.
* Inside that child (and in the fallback below) the inspection is bounded on its own: pyHanko's decode
  limits (tightened document budget) stop decompression bombs such as an object stream that inflates to
  gigabytes; our walk is iterative with a visited set (reference cycles, /Kids loops, /Parent loops), a
  page tree depth limit, an object budget (``Budget.objects``) and a deadline; RecursionError from the
  library (also when it arrives wrapped in a PdfReadError) becomes "nested too deeply".
* If the helper cannot be started at all (no fork on the platform, no interpreter to run), the inspection
  runs in-process with those same bounds, and a warning is logged. ``inspect_pdf(data, isolated=False)``
  asks for that directly.

Calls are serialised through the one helper (a lock): a file that runs to its time limit delays other
threads' checks by that much. Cost for a normal 2-page letter (fpdf2, 1.4 KB; median of 200 calls): about
0.8 ms in-process, about 6.5 ms isolated (mostly fork and exit); the first isolated call in a process also
starts the helper, about 0.2 s.
"""

from __future__ import annotations

import atexit
import gc
import json
import logging
import math
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from pyhanko.pdf_utils.decode_limits import DecodeLimits
    from pyhanko.pdf_utils.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        NullObject,
        PdfObject,
    )
    from pyhanko.pdf_utils.reader import PdfFileReader

log = logging.getLogger(__name__)

MiB: Final = 1024 * 1024


class ActiveContentKind(StrEnum):
    JAVASCRIPT = "javascript"
    LAUNCH = "launch"  # runs a program or opens a file outside the viewer
    EMBEDDED_FILE = "embedded_file"  # /EmbeddedFiles tree, /FileAttachment, a file spec with /EF
    RICH_MEDIA = "rich_media"  # /RichMedia annotations (Flash), /RichMediaExecute
    MULTIMEDIA = "multimedia"  # /Screen, /Movie, /Sound, /3D annotations; Rendition, Movie, Sound actions
    XFA = "xfa"  # an XFA form (/AcroForm /XFA, /NeedsRendering)
    SUBMIT_FORM = "submit_form"  # sends form data somewhere
    IMPORT_DATA = "import_data"  # reads form data from a file
    GOTO_REMOTE = "goto_remote"  # /GoToR: opens another PDF (a local, network or web path)
    GOTO_EMBEDDED = "goto_embedded"  # /GoToE: opens a PDF embedded in this one (or in another)
    URI = "uri"  # a web link: reported, not refused

    @property
    def refused(self) -> bool:
        """Whether a document's main file (and anything to be signed) with this content is refused."""
        return self is not ActiveContentKind.URI

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]

    @property
    def label_th(self) -> str:
        return _LABELS[self][0]


_LABELS: Final[dict[ActiveContentKind, tuple[str, str]]] = {
    ActiveContentKind.JAVASCRIPT: ("สคริปต์ JavaScript", "JavaScript"),
    ActiveContentKind.LAUNCH: (
        "คำสั่งเปิดโปรแกรมหรือไฟล์ภายนอก (Launch)",
        "a Launch action (runs a program or file)",
    ),
    ActiveContentKind.EMBEDDED_FILE: ("ไฟล์ที่ฝังหรือแนบไว้ในเอกสาร", "an embedded file"),
    ActiveContentKind.RICH_MEDIA: ("สื่อแบบโต้ตอบ (RichMedia/Flash)", "RichMedia (Flash) content"),
    ActiveContentKind.MULTIMEDIA: ("สื่อเสียง วิดีโอ หรือภาพสามมิติ", "sound, video or 3D content"),
    ActiveContentKind.XFA: ("แบบฟอร์ม XFA", "an XFA form"),
    ActiveContentKind.SUBMIT_FORM: ("คำสั่งส่งข้อมูลแบบฟอร์มออกไปภายนอก", "a SubmitForm action (sends form data)"),
    ActiveContentKind.IMPORT_DATA: ("คำสั่งนำเข้าข้อมูลจากไฟล์ภายนอก", "an ImportData action (reads a file)"),
    ActiveContentKind.GOTO_REMOTE: ("ลิงก์เปิดไฟล์ PDF อื่น (GoToR)", "a link that opens another PDF (GoToR)"),
    ActiveContentKind.GOTO_EMBEDDED: ("ลิงก์เปิดไฟล์ PDF ที่ฝังไว้ (GoToE)", "a link into an embedded PDF (GoToE)"),
    ActiveContentKind.URI: ("ลิงก์เว็บไซต์", "a web link"),
}


@dataclass(frozen=True)
class ActiveContent:
    kind: ActiveContentKind
    where: str  # e.g. "catalog /OpenAction", "page 1 annotation 3 /A", "form field 'total' /AA /C"

    def __str__(self) -> str:
        return self.message_en

    @property
    def message_en(self) -> str:
        return f"{self.where}: {self.kind.label_en}"  # e.g. "page 1 annotation 3 /A: JavaScript"

    @property
    def message_th(self) -> str:
        return f"{self.where}: {self.kind.label_th}"


@dataclass(frozen=True)
class PdfFacts:
    encrypted: bool
    pages: int
    error: str | None = None
    active_content: tuple[ActiveContent, ...] = ()

    @property
    def readable(self) -> bool:
        return self.error is None

    @property
    def refused_content(self) -> tuple[ActiveContent, ...]:
        """The active content that keeps this file from being a letter or being signed (all but web links)."""
        return tuple(found for found in self.active_content if found.kind.refused)


@dataclass(frozen=True)
class Budget:
    """What one inspection may spend; beyond it the file is reported unreadable."""

    seconds: float = 15.0  # wall clock
    memory_bytes: int = 512 * MiB  # address space the child may add (isolated runs only)
    objects: int = 300_000  # dictionaries, arrays and references the walk may visit


DEFAULT_BUDGET: Final = Budget()


def inspect_pdf(data: bytes, *, budget: Budget = DEFAULT_BUDGET, isolated: bool = True) -> PdfFacts:
    """The facts about a PDF; never raises for anything in ``data``.

    ``isolated`` (the default) parses in a child process with hard memory and time limits; without it, or
    where no child process can be started, the parse runs here with the same soft bounds.
    """
    if isolated:
        try:
            return _WORKER.inspect(data, budget)
        except _WorkerUnavailable as error:
            log.warning("PDF check runs in-process: %s", error)
        except Exception:  # a bug in the isolation itself: refuse the file, never crash the caller
            log.exception("PDF check helper failed")
            return _unreadable("the PDF checker failed on this file")
    return _inspect_here(data, budget)


# --------------------------------------------------------------------------------------------------
# The inspection itself (in the child, or in-process)

MAX_PAGE_TREE_DEPTH: Final = 64
MAX_FINDINGS: Final = 50
_REFERENCE_HOPS: Final = 16  # "1 0 obj 2 0 R endobj" chains: legal, but never long
_SKIPPED_KEYS: Final = frozenset({"/StructTreeRoot"})  # big, and holds nothing a viewer runs

_ACTIONS: Final = {
    "/JavaScript": ActiveContentKind.JAVASCRIPT,
    "/Launch": ActiveContentKind.LAUNCH,
    "/SubmitForm": ActiveContentKind.SUBMIT_FORM,
    "/ImportData": ActiveContentKind.IMPORT_DATA,
    "/GoToR": ActiveContentKind.GOTO_REMOTE,
    "/GoToE": ActiveContentKind.GOTO_EMBEDDED,
    "/URI": ActiveContentKind.URI,
    "/RichMediaExecute": ActiveContentKind.RICH_MEDIA,
    "/Rendition": ActiveContentKind.MULTIMEDIA,
    "/Movie": ActiveContentKind.MULTIMEDIA,
    "/Sound": ActiveContentKind.MULTIMEDIA,
    "/GoTo3DView": ActiveContentKind.MULTIMEDIA,
}
_ANNOTATIONS: Final = {
    "/FileAttachment": ActiveContentKind.EMBEDDED_FILE,
    "/RichMedia": ActiveContentKind.RICH_MEDIA,
    "/Screen": ActiveContentKind.MULTIMEDIA,
    "/Movie": ActiveContentKind.MULTIMEDIA,
    "/Sound": ActiveContentKind.MULTIMEDIA,
    "/3D": ActiveContentKind.MULTIMEDIA,
}
_TRIGGERS: Final = frozenset({"/S", "/JS", "/Subtype", "/EF", "/RF", "/Type", "/XFA"})
_NAME_TREES: Final = {
    "/JavaScript": ActiveContentKind.JAVASCRIPT,
    "/EmbeddedFiles": ActiveContentKind.EMBEDDED_FILE,
}

Path = tuple[str, ...]
Key = tuple[int, int]


_NEEDS_MEMORY: Final = "the file needs more memory to read than the checker allows"


class _Unreadable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _inspect_here(data: bytes, budget: Budget) -> PdfFacts:
    try:
        return _Inspection(data, budget).run()
    except _Unreadable as error:
        return PdfFacts(encrypted=False, pages=0, error=error.reason)
    except Exception as error:  # anything the library raises on a crafted file
        return PdfFacts(encrypted=False, pages=0, error=_explain(error))


def _explain(error: BaseException) -> str:
    chain: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and len(chain) < 8:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    names = {type(link).__name__ for link in chain}
    if any(isinstance(link, RecursionError) for link in chain):
        return "objects are nested too deeply (or refer to themselves) to be read"
    if any(isinstance(link, MemoryError) for link in chain):
        return _NEEDS_MEMORY
    if "PdfDecodeLimitError" in names:
        return f"a compressed stream expands beyond the decoding limit ({error})"[:200]
    return f"{type(error).__name__}: {error}"[:200]


def _decode_limits() -> DecodeLimits:
    from pyhanko.pdf_utils.decode_limits import DecodeLimits, DocumentDecodeBudget

    # We decode only object and cross-reference streams, never page content or images: at most 10x the
    # file (or 96 MiB) in all, where pyHanko's default allows 100x.
    return DecodeLimits(document_budget=DocumentDecodeBudget(base_allowance=96 * MiB, max_ratio=10))


class _Inspection:
    def __init__(self, data: bytes, budget: Budget) -> None:
        self.data = data
        self.budget = budget
        self.deadline = time.monotonic() + budget.seconds
        self.visits = 0
        self.findings: list[tuple[ActiveContentKind, Path]] = []
        from pyhanko.pdf_utils import generic  # here, not at import: the isolated caller never needs it

        self.indirect: type[IndirectObject] = generic.IndirectObject
        self.dictionary: type[DictionaryObject] = generic.DictionaryObject
        self.array: type[ArrayObject] = generic.ArrayObject
        self.name_type: type[NameObject] = generic.NameObject
        self.null: type[NullObject] = generic.NullObject
        self.containers = (generic.DictionaryObject, generic.ArrayObject, generic.IndirectObject)

    # -- budget and dereferencing --------------------------------------------------------------

    def tick(self) -> None:
        self.visits += 1
        if self.visits > self.budget.objects:
            raise _Unreadable(f"too many objects to check (more than {self.budget.objects:,})")
        if self.visits % 512 == 0 and time.monotonic() > self.deadline:
            raise _Unreadable(f"checking took longer than {self.budget.seconds:g} seconds")

    def deref(self, value: PdfObject | None) -> PdfObject | None:
        """The object behind a (chain of) indirect reference(s), without pyHanko's unbounded recursion."""

        hops = 0
        while isinstance(value, self.indirect):
            hops += 1
            if hops > _REFERENCE_HOPS:
                raise _Unreadable(
                    f"object {value.idnum} {value.generation} refers to itself through references"
                )
            self.tick()
            value = self.reader.get_object(value.reference)
        return value

    def entry(self, container: PdfObject | None, key: str) -> PdfObject | None:

        if not isinstance(container, self.dictionary):
            return None
        value = self.deref(dict.get(container, key))
        return None if isinstance(value, self.null) else value

    def name(self, container: PdfObject | None, key: str) -> str | None:
        """A name entry (as "/Name"), or None when absent or not a name."""

        value = self.entry(container, key)
        return str(value) if isinstance(value, self.name_type) else None

    # -- the steps -----------------------------------------------------------------------------

    def run(self) -> PdfFacts:
        from pyhanko.pdf_utils.reader import PdfFileReader

        self.reader: PdfFileReader = PdfFileReader(
            BytesIO(self.data),
            strict=False,
            decode_limits=_decode_limits(),
        )
        if self.reader.encrypted:
            return PdfFacts(encrypted=True, pages=0)
        root_ref = dict.get(self.reader.trailer_view, "/Root")
        root = self.deref(root_ref)
        if not isinstance(root, self.dictionary):
            raise _Unreadable("the document catalog (/Root) is missing or not a dictionary")
        pages_ref = dict.get(root, "/Pages")
        if pages_ref is None:
            raise _Unreadable("the catalog has no page tree (/Pages)")
        if not isinstance(pages_ref, self.indirect):
            raise _Unreadable("the catalog's /Pages is not an indirect reference")
        pages = self.page_tree(pages_ref)
        if not pages:
            raise _Unreadable("the document has no pages")
        self.reader.find_page_for_modification(0)  # page 1 must resolve: the receipt stamp goes there
        self.active_content(root_ref if isinstance(root_ref, self.indirect) else root, pages)
        found = tuple(ActiveContent(kind, _where(path)) for kind, path in self.findings)
        return PdfFacts(encrypted=False, pages=len(pages), active_content=found)

    def page_tree(self, root_ref: IndirectObject) -> list[tuple[Key, DictionaryObject]]:
        """The pages in order; refuses what pyHanko's own (recursive, /Count-guided) walk would trip on."""

        root_key = (root_ref.idnum, root_ref.generation)
        root = self.deref(root_ref)
        kids = self.entry(root, "/Kids")
        if not isinstance(root, self.dictionary) or not isinstance(kids, self.array):
            raise _Unreadable("the page tree root is not a /Pages node with /Kids")
        pages: list[tuple[Key, DictionaryObject]] = []
        seen = {root_key}
        # each frame: the node's key, the node, its kids, the next kid's index, pages before the node
        stack: list[tuple[Key, DictionaryObject, ArrayObject, list[int]]] = [(root_key, root, kids, [0, 0])]
        while stack:
            node_key, node, kids, state = stack[-1]
            if state[0] == len(kids):
                stack.pop()
                self.check_count(node_key, node, len(pages) - state[1])
                continue
            raw = list.__getitem__(kids, state[0])
            state[0] += 1
            self.tick()
            if not isinstance(raw, self.indirect):
                raise _Unreadable(
                    f"page tree node {_ref(node_key)} has a kid that is not an indirect reference"
                )
            key = (raw.idnum, raw.generation)
            if key in seen:
                raise _Unreadable(
                    f"the page tree reaches object {_ref(key)} twice (a cycle or a shared node)"
                )
            seen.add(key)
            kid = self.deref(raw)
            if not isinstance(kid, self.dictionary):
                raise _Unreadable(f"page tree object {_ref(key)} is not a dictionary")
            parent = dict.get(kid, "/Parent")
            if parent is not None and (
                not isinstance(parent, self.indirect) or (parent.idnum, parent.generation) != node_key
            ):
                raise _Unreadable(
                    f"the /Parent of page tree object {_ref(key)} is not the node that lists it"
                )
            node_type = self.name(kid, "/Type")
            if node_type == "/Page":
                pages.append((key, kid))
            elif node_type == "/Pages":
                grandkids = self.entry(kid, "/Kids")
                if not isinstance(grandkids, self.array):
                    raise _Unreadable(f"page tree node {_ref(key)} has no /Kids array")
                if len(stack) >= MAX_PAGE_TREE_DEPTH:
                    raise _Unreadable(f"the page tree is deeper than {MAX_PAGE_TREE_DEPTH} levels")
                stack.append((key, kid, grandkids, [0, len(pages)]))
            else:
                raise _Unreadable(f"page tree object {_ref(key)} is neither /Pages nor /Page")
        return pages

    def check_count(self, key: Key, node: PdfObject, leaves: int) -> None:
        count = self.entry(node, "/Count")
        if not isinstance(count, int) or isinstance(count, bool) or count != leaves:
            shown = str(count)[:20] if count is not None else "nothing"
            raise _Unreadable(f"page tree node {_ref(key)} says /Count {shown} but holds {leaves} pages")

    def active_content(self, root: PdfObject, pages: list[tuple[Key, DictionaryObject]]) -> None:
        """A breadth-first walk over everything reachable from the catalog, naming where things are."""

        names, annotations = self.name_pages(pages)
        self.name_fields(self.entry(self.deref(root), "/AcroForm"), names)
        queue: deque[tuple[PdfObject, Path]] = deque([(root, ("catalog",))])
        visited: set[Key] = set()
        while queue and len(self.findings) < MAX_FINDINGS:
            raw, path = queue.popleft()
            self.tick()
            ref: Key | None = None
            if isinstance(raw, self.indirect):
                ref = (raw.idnum, raw.generation)
                if ref in visited:
                    continue
                visited.add(ref)
                path = names.get(ref, path)
            value = self.deref(raw)
            if isinstance(value, self.dictionary):
                self.classify(value, path)
                on_page = annotations.get(ref) if ref is not None else None
                for name, item in dict.items(value):
                    if name in _SKIPPED_KEYS or (on_page is not None and name == "/Annots"):
                        continue
                    if isinstance(item, self.containers):
                        queue.append((item, (*path, _show(name))))
                queue.extend(on_page or ())
            elif isinstance(value, self.array):
                for index, item in enumerate(list.__iter__(value)):
                    if isinstance(item, self.containers):
                        queue.append((item, (*path[:-1], f"{path[-1]}[{index}]")))

    def name_pages(
        self, pages: list[tuple[Key, DictionaryObject]]
    ) -> tuple[dict[Key, Path], dict[Key, list[tuple[PdfObject, Path]]]]:
        """Names for pages and their annotations ("page 2 annotation 3"), and each page's annotations."""

        names: dict[Key, Path] = {}
        annotations: dict[Key, list[tuple[PdfObject, Path]]] = {}
        for number, (key, page) in enumerate(pages, start=1):
            names[key] = (f"page {number}",)
            listed = self.entry(page, "/Annots")
            if not isinstance(listed, self.array):
                continue
            annotations[key] = []
            for index, raw in enumerate(list.__iter__(listed), start=1):
                self.tick()
                path: Path = (f"page {number} annotation {index}",)
                annotations[key].append((raw, path))
                if isinstance(raw, self.indirect):
                    names.setdefault((raw.idnum, raw.generation), path)
        return names, annotations

    def name_fields(self, form: PdfObject | None, names: dict[Key, Path]) -> None:
        """Form fields that are not annotations on a page are named by their full field name."""

        fields = self.entry(form, "/Fields")
        if not isinstance(fields, self.array):
            return
        stack: list[tuple[PdfObject, str]] = [(raw, "") for raw in list.__iter__(fields)]
        seen: set[Key] = set()
        while stack:
            raw, prefix = stack.pop()
            self.tick()
            if not isinstance(raw, self.indirect) or (raw.idnum, raw.generation) in seen:
                continue
            key = (raw.idnum, raw.generation)
            seen.add(key)
            field = self.deref(raw)
            title = self.entry(field, "/T")
            name = prefix
            if isinstance(title, str):
                name = f"{prefix}.{title}" if prefix else title
                names.setdefault(key, (f"form field '{_show(name, 60)}'",))
            kids = self.entry(field, "/Kids")
            if isinstance(kids, self.array):
                stack.extend((kid, name) for kid in list.__iter__(kids))

    def classify(self, value: DictionaryObject, path: Path) -> None:
        if _TRIGGERS.isdisjoint(value) and path != ("catalog",):
            return  # most dictionaries (resources, graphics states, empty ones)
        action, kind, subtype = (
            self.name(value, "/S"),
            self.name(value, "/Type"),
            self.name(value, "/Subtype"),
        )
        if action in _ACTIONS and kind in (None, "/Action"):
            self.found(_ACTIONS[action], path)
        if "/JS" in value:
            self.found(ActiveContentKind.JAVASCRIPT, path)
        if subtype in _ANNOTATIONS:
            self.found(_ANNOTATIONS[subtype], path)
        if "/EF" in value or "/RF" in value or kind == "/EmbeddedFile":
            self.found(ActiveContentKind.EMBEDDED_FILE, path)
        if "/XFA" in value:
            self.found(ActiveContentKind.XFA, (*path, "/XFA"))
        if path == ("catalog",):
            if self.entry(value, "/NeedsRendering"):
                self.found(ActiveContentKind.XFA, (*path, "/NeedsRendering"))
            trees = self.entry(value, "/Names")
            for tree, tree_kind in _NAME_TREES.items():
                if self.entry(trees, tree) is not None:
                    self.found(tree_kind, (*path, "/Names", tree))

    def found(self, kind: ActiveContentKind, path: Path) -> None:
        """Record a finding unless the same kind was already found here or at an enclosing place."""
        for seen_kind, seen_path in self.findings:
            if seen_kind is kind and path[: len(seen_path)] == seen_path:
                return
        self.findings.append((kind, path))


def _ref(key: Key) -> str:
    return f"{key[0]} {key[1]} R"


def _show(text: str, limit: int = 40) -> str:
    """A name or field title fit for a message: printable, and not too long."""
    cleaned = "".join(char if char.isprintable() else "?" for char in text[:limit])
    return cleaned + ("…" if len(text) > limit else "")


def _where(path: Path) -> str:
    return " ".join(path)


# --------------------------------------------------------------------------------------------------
# Isolation: a long-lived helper process that forks one limited child per inspection

_REQUEST: Final = struct.Struct("!dQQQ")  # seconds, memory bytes, objects, data length
_LENGTH: Final = struct.Struct("!I")
_READY: Final = b"ready\n"
_START_SECONDS: Final = 60.0  # a cold Lambda importing pyHanko from a zip can be slow
_SLACK_SECONDS: Final = 5.0  # the helper answers within the budget plus this, or is replaced


class _WorkerUnavailable(Exception):
    """No helper process can be run here (no fork, no interpreter): inspect in-process instead."""


class _WorkerBroken(Exception):
    """The helper died or stopped answering in the middle of a request."""


class _Worker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = os.getpid()
        self._unavailable: str | None = None

    def inspect(self, data: bytes, budget: Budget) -> PdfFacts:
        with self._lock:
            for attempt in (1, 2):
                process = self._running()
                try:
                    head = _REQUEST.pack(budget.seconds, budget.memory_bytes, budget.objects, len(data))
                    _write_all(_stdin(process), head, _SLACK_SECONDS)
                    _write_all(_stdin(process), data, _SLACK_SECONDS + len(data) / MiB)
                    reply = _read_exact(_stdout(process), _LENGTH.size, budget.seconds + _SLACK_SECONDS)
                    (length,) = _LENGTH.unpack(reply)
                    return _decode(_read_exact(_stdout(process), length, _SLACK_SECONDS))
                except (OSError, _WorkerBroken) as error:
                    self._stop()
                    if isinstance(error, TimeoutError):
                        return _unreadable(f"checking took longer than {budget.seconds:g} seconds")
                    if attempt == 2:
                        log.error("PDF check helper failed twice: %s", error)
                        return _unreadable("the PDF checker failed on this file")
            raise AssertionError("unreachable")  # pragma: no cover

    def _running(self) -> subprocess.Popen[bytes]:
        if self._unavailable is not None:
            raise _WorkerUnavailable(self._unavailable)
        if self._owner != os.getpid():  # we are a fork of the process that started the helper: not ours
            self._process, self._owner = None, os.getpid()
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()
        try:
            self._process = _start_worker()
        except (OSError, _WorkerBroken, ValueError) as error:
            self._unavailable = f"the helper process did not start: {error}"
            raise _WorkerUnavailable(self._unavailable) from error
        return self._process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def close(self) -> None:
        with self._lock:
            self._stop()


def _start_worker() -> subprocess.Popen[bytes]:
    if not hasattr(os, "fork") or not sys.executable:
        raise _WorkerBroken("this platform cannot fork")
    boot = f"import json, sys; sys.path[:] = json.loads(sys.argv[1]); import {__name__} as m; m._serve()"
    process = subprocess.Popen(  # noqa: S603 -- our own interpreter, our own code, no shell
        [sys.executable, "-I", "-c", boot, json.dumps(sys.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        bufsize=0,
        close_fds=True,
    )
    try:
        if _read_exact(_stdout(process), len(_READY), _START_SECONDS) != _READY:
            raise _WorkerBroken("the helper process did not say it was ready")
    except (OSError, _WorkerBroken):
        process.kill()
        process.wait()
        raise
    return process


def _stdin(process: subprocess.Popen[bytes]) -> int:
    assert process.stdin is not None
    return process.stdin.fileno()


def _stdout(process: subprocess.Popen[bytes]) -> int:
    assert process.stdout is not None
    return process.stdout.fileno()


def _write_all(fd: int, data: bytes, timeout: float | None = None) -> None:
    """All of ``data`` to ``fd`` (within ``timeout`` seconds: TimeoutError)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    view = memoryview(data)
    while view:
        _wait(fd, select.POLLOUT, deadline)
        written = os.write(fd, view[: 1 << 20])
        view = view[written:]


def _read_exact(fd: int, size: int, timeout: float) -> bytes:
    """``size`` bytes from ``fd`` within ``timeout`` seconds (TimeoutError), or _WorkerBroken at EOF."""
    deadline = time.monotonic() + timeout
    chunks, missing = [], size
    while missing:
        _wait(fd, select.POLLIN, deadline)
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise _WorkerBroken("the helper process ended")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _wait(fd: int, events: int, deadline: float | None) -> None:
    """Until ``fd`` is ready (or hung up), else TimeoutError at ``deadline`` (poll: any fd number works)."""
    poller = select.poll()
    poller.register(fd, events)
    while True:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise TimeoutError("no answer in time")
        if poller.poll(None if remaining is None else max(1, math.ceil(remaining * 1000))):
            return


def _unreadable(reason: str) -> PdfFacts:
    return PdfFacts(encrypted=False, pages=0, error=reason)


def _encode(facts: PdfFacts) -> bytes:
    return json.dumps(
        {
            "encrypted": facts.encrypted,
            "pages": facts.pages,
            "error": facts.error,
            "active": [[found.kind.value, found.where] for found in facts.active_content],
        }
    ).encode()


def _decode(payload: bytes) -> PdfFacts:
    """The child's answer, checked field by field: it comes from a process that parsed hostile input."""
    try:
        raw = json.loads(payload)
        encrypted, pages, error, active = raw["encrypted"], raw["pages"], raw["error"], raw["active"]
        if not (
            isinstance(encrypted, bool)
            and isinstance(pages, int)
            and (error is None or isinstance(error, str))
            and isinstance(active, list)
            and len(active) <= MAX_FINDINGS
        ):
            raise ValueError("unexpected field types")
        found = tuple(ActiveContent(ActiveContentKind(kind), str(where)[:300]) for kind, where in active)
    except (ValueError, KeyError, TypeError) as problem:
        return _unreadable(f"the PDF checker gave no usable answer ({problem})"[:200])
    return PdfFacts(encrypted=encrypted, pages=pages, error=error, active_content=found)


# -- in the helper process ---------------------------------------------------------------------


def _serve() -> None:
    """The helper's loop: read a request on stdin, fork a limited child to inspect it, answer on stdout."""
    import pyhanko.pdf_utils.generic
    import pyhanko.pdf_utils.reader  # noqa: F401 -- preloaded once, shared by every forked child

    logging.basicConfig(handlers=[logging.NullHandler()])  # pyHanko's warnings about broken files
    gc.freeze()  # the children's garbage collector leaves the preloaded heap alone: fewer copied pages
    answers = os.dup(1)
    os.dup2(2, 1)  # a stray print must not corrupt the answers
    _write_all(answers, _READY)
    while True:
        try:
            head = _read_blocking(0, _REQUEST.size)
            seconds, memory_bytes, objects, size = _REQUEST.unpack(head)
            data = _read_blocking(0, size)
        except _WorkerBroken:
            return  # the caller went away
        reply = _fork_and_inspect(data, Budget(seconds, memory_bytes, objects), answers)
        try:
            _write_all(answers, _LENGTH.pack(len(reply)) + reply)
        except OSError:
            return  # the caller went away


def _read_blocking(fd: int, size: int) -> bytes:
    chunks, missing = [], size
    while missing:
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise _WorkerBroken("end of input")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _fork_and_inspect(data: bytes, budget: Budget, answers: int) -> bytes:
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError as error:  # out of processes or memory: this file cannot be judged now
        return _encode(_unreadable(f"the PDF checker could not start a process ({error})"))
    if pid == 0:  # the child: limit, inspect, answer, exit without cleanup
        payload = b""
        try:
            os.close(read_end)
            os.close(answers)
            os.close(0)
            cap = _limit(budget)
            facts = _inspect_here(data, budget)
            if facts.error is not None and cap is not None and _peak_address_space() >= cap - MiB:
                # at the cap, allocations fail in odd ways (MemoryError, SystemError, a library's own error)
                facts = _unreadable(_NEEDS_MEMORY)
            payload = _encode(facts)
        except BaseException as error:  # the child must always reach os._exit
            payload = _encode(_unreadable(f"the PDF checker failed ({type(error).__name__})"))
        finally:
            try:
                _write_all(write_end, payload)
            finally:
                os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + budget.seconds
    timed_out = False
    try:
        while chunk := _read_some(read_end, deadline):
            chunks.append(chunk)
    except TimeoutError:
        timed_out = True
        os.kill(pid, signal.SIGKILL)
    finally:
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return _encode(_unreadable(f"checking took longer than {budget.seconds:g} seconds"))
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.valid_signals() else f"signal {number}"
        if name == "SIGXCPU":
            return _encode(_unreadable(f"checking took longer than {budget.seconds:g} seconds of CPU"))
        return _encode(_unreadable(f"the PDF checker process died ({name})"))
    return b"".join(chunks) or _encode(_unreadable("the PDF checker process ended without an answer"))


def _read_some(fd: int, deadline: float) -> bytes:
    _wait(fd, select.POLLIN, deadline)
    return os.read(fd, 1 << 16)


def _limit(budget: Budget) -> int | None:
    """Caps for the child: no core or other files, CPU time, address space (returned, if capped)."""
    import resource

    def lower(limit: int, soft: int, hard: int) -> None:
        _, current = resource.getrlimit(limit)
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(limit, (soft, hard))

    lower(resource.RLIMIT_CORE, 0, 0)
    lower(resource.RLIMIT_FSIZE, 0, 0)
    cpu = math.ceil(budget.seconds) + 1
    lower(resource.RLIMIT_CPU, cpu, cpu + 1)  # SIGXCPU, then SIGKILL: a backstop to the wall clock
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            cap = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") + budget.memory_bytes
    except (OSError, ValueError):
        return None  # no /proc: no address-space cap (not Linux; the time limits still hold)
    lower(resource.RLIMIT_AS, cap, cap)
    return cap


def _peak_address_space() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


_WORKER: Final = _Worker()
atexit.register(_WORKER.close)
