"""Property: whatever a broken CSV, XLSX or event file holds, the readers answer with a result or a
message (a ``UserError``), never a traceback."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import hostile_files as hostile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkin.domain.errors import UserError
from checkin.domain.eventfile import load_event_file
from checkin.io.importing.reading import read_table
from checkin.resources import demo_event_file

_SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _outcome(read: Callable[[Path], object], path: Path) -> str:
    """ "read", or the message of the refusal (a traceback fails the test)."""
    try:
        read(path)
    except UserError as exc:
        return str(exc)
    return "read"


def _read_or_refuse(path: Path) -> None:
    assert _outcome(read_table, path)  # a refusal says why


@_SETTINGS
@given(data=st.data())
def test_broken_xlsx_reads_or_refuses(tmp_path_factory, data: st.DataObject):
    folder = tmp_path_factory.mktemp("xlsx")
    base = hostile.base_workbook()
    kind = data.draw(st.sampled_from(["flip", "truncate", "sheet"]))
    if kind == "flip":
        blob = bytearray(base)
        for offset in data.draw(st.lists(st.integers(0, len(blob) - 1), min_size=1, max_size=20)):
            blob[offset] ^= data.draw(st.integers(1, 255))
        content = bytes(blob)
    elif kind == "truncate":
        content = base[: data.draw(st.integers(4, len(base) - 1))]
    else:
        xml = data.draw(
            st.text(alphabet=st.sampled_from(list('<>/="&;!?[] rowcAB12tisvDOCTYPEENTITY')), max_size=300)
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                member = source.read(info.filename)
                target.writestr(info.filename, xml.encode() if info.filename == hostile.SHEET else member)
        content = buffer.getvalue()
    path = folder / "broken.xlsx"
    path.write_bytes(content)
    _read_or_refuse(path)


@_SETTINGS
@given(
    lines=st.lists(
        st.one_of(
            st.binary(max_size=40),
            st.text(max_size=40).map(lambda t: t.encode("utf-8")),
            st.text(alphabet='äöüßé;,"\t', max_size=20).map(lambda t: t.encode("cp1252")),
        ),
        max_size=12,
    ),
    bom=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]),
)
def test_broken_csv_reads_or_refuses(tmp_path_factory, lines: list[bytes], bom: bytes):
    path = tmp_path_factory.mktemp("csv") / "broken.csv"
    path.write_bytes(bom + b"\n".join(lines))
    _read_or_refuse(path)


_DEMO = demo_event_file().read_text(encoding="utf-8")


@_SETTINGS
@given(data=st.data())
def test_broken_event_files_load_or_refuse(tmp_path_factory, data: st.DataObject):
    kind = data.draw(st.sampled_from(["cut", "replace", "text"]))
    if kind == "cut":
        text = _DEMO[: data.draw(st.integers(0, len(_DEMO)))]
    elif kind == "replace":
        start = data.draw(st.integers(0, len(_DEMO) - 1))
        insert = data.draw(
            st.text(alphabet=st.sampled_from(list('[]{}="\n,.#-:0123456789truefalsx ')), max_size=30)
        )
        text = _DEMO[:start] + insert + _DEMO[start + data.draw(st.integers(0, 30)) :]
    else:
        text = data.draw(st.text(max_size=200))
    path = tmp_path_factory.mktemp("toml") / "event.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert _outcome(load_event_file, path)
