#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora: the samples as each reader takes them, and issue 22's
hostile inputs made small (a name tree whose /Kids list itself, a cell at XFD1048576, shared
strings that inflate far beyond their zip, object streams, a seal path in an attached answer
set). Made here from the samples rather than committed as binaries.

    python3 fuzz/seeds.py SECFORM_BINARY OUT_DIR     # OUT_DIR/{json,workbook,pdf,seal}/
"""

import io
import json
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
ATTACHMENT = "secform-answers.json"


def write(out, target, name, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def run(binary, *args):
    subprocess.run([binary, *args], check=True, stdout=subprocess.DEVNULL)


# ---- PDF by hand: objects numbered from 1, a classic xref table ----------------------------------


def pdf(objects, root=1):
    """A PDF of `objects` (bytes each, without `N 0 obj`), catalog `root`."""
    body = b"%PDF-1.7\n"
    offsets = []
    for i, o in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    body += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return body


def stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def attachment_pdf(answers, flate=False):
    """A one-page PDF carrying `answers` as secform attaches them (catalog /Names /EmbeddedFiles)."""
    data = zlib.compress(answers) if flate else answers
    filt = b"/Filter /FlateDecode " if flate else b""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Names [(" + ATTACHMENT.encode() + b") 5 0 R] >>",
            b"<< /Type /Filespec /F (" + ATTACHMENT.encode() + b") /EF << /F 6 0 R >> >>",
            stream(data, b"/Type /EmbeddedFile /Subtype /application#2Fjson " + filt),
        ]
    )


def self_listing_kids_pdf():
    """Issue 22's 413-byte PDF: the attachment name tree lists itself four times in its /Kids."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>",
            b"<< /Type /Pages /Kids [] /Count 0 >>",
            b"<< /Kids [3 0 R 3 0 R 3 0 R 3 0 R] >>",
        ]
    )


def object_stream_pdf(count, answers):
    """A PDF 1.5 whose objects sit in one object stream of `count` objects (a small-ratio version
    of issue 22's big object streams), found through an xref stream: the catalog, the name tree and
    the file specification among them, the attached `answers` (a stream) beside it."""
    name = ATTACHMENT.encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Names [(" + name + b") 4 0 R] >>",
        b"<< /Type /Filespec /F (" + name + b") /EF << /F %d 0 R >> >>" % (count + 1),
    ]
    objs += [b"<< /N %d /S (%s) >>" % (i, b"x" * 16) for i in range(count - len(objs))]
    header, body = b"", b""
    for i, o in enumerate(objs):
        header += b"%d %d " % (i + 1, len(body))
        body += o + b" "
    out = b"%PDF-1.5\n"
    offsets = {}
    file_num, objstm_num, xref_num = count + 1, count + 2, count + 3
    offsets[file_num] = len(out)
    out += b"%d 0 obj\n" % file_num + stream(answers, b"/Type /EmbeddedFile ") + b"\nendobj\n"
    offsets[objstm_num] = len(out)
    out += b"%d 0 obj\n" % objstm_num
    out += stream(
        zlib.compress(header + body),
        b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode " % (count, len(header)),
    )
    out += b"\nendobj\n"
    offsets[xref_num] = len(out)
    rows = [b"\x00\x00\x00\x00\xff\xff"]
    rows += [b"\x02" + struct.pack(">I", objstm_num)[1:] + struct.pack(">H", i) for i in range(count)]
    rows += [b"\x01" + struct.pack(">I", offsets[n])[1:] + b"\x00\x00" for n in (file_num, objstm_num, xref_num)]
    out += b"%d 0 obj\n" % xref_num
    out += stream(
        zlib.compress(b"".join(rows)),
        b"/Type /XRef /Size %d /W [1 3 2] /Root 1 0 R /Filter /FlateDecode " % (xref_num + 1),
    )
    out += b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref_num]
    return out


# ---- workbooks: a secform workbook with one part changed -----------------------------------------


def rezip(xlsx, change):
    """`xlsx` with each part's bytes passed through `change(name, bytes)`."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info)))
    return buf.getvalue()


def with_far_cell(xlsx, ref, row):
    """The workbook with one more cell, at `ref` (row `row`), on the form's sheet."""

    def change(name, data):
        if name != "xl/worksheets/sheet1.xml":
            return data
        cell = b'<row r="%d"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row>' % (row, ref)
        data = data.replace(b"</sheetData>", cell + b"</sheetData>")
        # The dimension Excel writes, to the far cell.
        return re.sub(rb'<dimension ref="([A-Z]+[0-9]+):[A-Z]+[0-9]+"', rb'<dimension ref="\1:' + ref + b'"', data)

    return rezip(xlsx, change)


def with_inflating_strings(xlsx, size):
    """The workbook whose shared strings hold one more string of `size` repeated bytes: a zip
    entry far larger than its compressed self (issue 22's 600 MB, at a small ratio)."""

    def change(name, data):
        if name != "xl/sharedStrings.xml":
            return data
        return data.replace(b"</sst>", b"<si><t>" + b"A" * size + b"</t></si></sst>")

    return rezip(xlsx, change)


def one_cell_xlsx(ref):
    """A minimal workbook (not secform's: no names) with one cell at `ref`."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="確認書" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="secform_layout">確認書!$A$1</definedName></definedNames></workbook>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="%s"><c r="%s%s"><v>1</v></c></row></sheetData></worksheet>'
        % (re.sub("[A-Z]", "", ref), re.sub("[0-9]", "", ref), re.sub("[A-Z]", "", ref)),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode())
    return buf.getvalue()


# ---- seals ---------------------------------------------------------------------------------------


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width, height):
    """A PNG header that claims `width` × `height` pixels, with one row of data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1)))
        + png_chunk(b"IEND", b"")
    )


def main():
    binary, out = sys.argv[1], pathlib.Path(sys.argv[2])
    tmp = pathlib.Path(tempfile.mkdtemp())
    try:
        # JSON: the samples, the starters, the hand-made corpus of tests/fuzz.rs, other encodings.
        for f in sorted((ROOT / "samples").glob("*.json")):
            write(out, "json", f.name, f.read_bytes())
        for f in sorted((ROOT / "tests/fuzz-corpus").glob("*.json")):
            if f.stat().st_size <= 32 * 1024:
                write(out, "json", "corpus-" + f.name, f.read_bytes())
        run(binary, "init", "-o", str(tmp / "init.json"))
        write(out, "json", "init.json", (tmp / "init.json").read_bytes())
        main_json = (ROOT / "samples/main-contractor.json").read_text(encoding="utf-8")
        write(out, "json", "shift-jis.json", main_json.encode("shift_jis", "replace"))
        write(out, "json", "utf-16.json", main_json.encode("utf-16"))

        # Workbooks: secform's, each hostile case of issue 22 made small, the fixtures it refuses.
        run(binary, "convert", str(ROOT / "samples/incident.json"), "-o", str(tmp / "incident.xlsx"))
        run(binary, "init", "--format", "xlsx", "-o", str(tmp / "empty.xlsx"))
        incident = (tmp / "incident.xlsx").read_bytes()
        write(out, "workbook", "incident.xlsx", incident)
        write(out, "workbook", "empty.xlsx", (tmp / "empty.xlsx").read_bytes())
        write(out, "workbook", "cell-at-XFD1048576.xlsx", with_far_cell(incident, b"XFD1048576", 1048576))
        write(out, "workbook", "cell-at-XFD2000.xlsx", with_far_cell(incident, b"XFD2000", 2000))
        write(out, "workbook", "one-cell-at-XFD1048576.xlsx", one_cell_xlsx("XFD1048576"))
        write(out, "workbook", "shared-strings-inflate.xlsx", with_inflating_strings(incident, 4 << 20))
        for f in ["workbook-old.xls", "workbook-encrypted.xlsx"]:
            write(out, "workbook", f, (ROOT / "tests/fixtures" / f).read_bytes())

        # PDFs: secform's, an attachment by hand (plain and deflated), the hostile ones.
        run(binary, "render", str(ROOT / "samples/main-contractor.json"), "-o", str(tmp / "mc.pdf"))
        write(out, "pdf", "main-contractor.pdf", (tmp / "mc.pdf").read_bytes())
        small = json.dumps({"layout": "npa-2022", "items": {"1": {"status": "実施"}}}, ensure_ascii=False)
        write(out, "pdf", "attachment.pdf", attachment_pdf(small.encode()))
        write(out, "pdf", "attachment-flate.pdf", attachment_pdf(main_json.encode(), flate=True))
        sealed = json.loads(main_json)
        sealed["seal"] = {"image": "印影.png"}
        write(out, "pdf", "seal-image-path.pdf", attachment_pdf(json.dumps(sealed, ensure_ascii=False).encode()))
        write(out, "pdf", "kids-list-themselves.pdf", self_listing_kids_pdf())
        write(out, "pdf", "object-stream.pdf", object_stream_pdf(2000, main_json.encode()))

        # Seals: the sample PNG, a JPEG, a header claiming a huge picture, a cut-off PNG.
        png = (ROOT / "samples/seal.png").read_bytes()
        write(out, "seal", "seal.png", png)
        write(out, "seal", "seal-wide.jpg", (ROOT / "tests/fixtures/seal-wide.jpg").read_bytes())
        write(out, "seal", "claims-20000x20000.png", png_claiming(20000, 20000))
        write(out, "seal", "claims-2000x1.png", png_claiming(2000, 1))
        write(out, "seal", "truncated.png", png[: len(png) // 2])
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
