"""A searchable text layer for the addon's PDFs.

wkhtmltopdf prints through Qt, whose PDF engine writes each embedded font's
ToUnicode map (the text a reader copies or searches) by asking the font, for
each glyph, the *lowest* code point that maps to it. The CJK fonts share one
glyph between a unified ideograph and its radical (土 U+571F and the Kangxi
radical ⼟ U+2F1F, 门 and ⻔ U+2ED4, 黄 and ⻩...; the en dash and the figure
dash...), so the text layer holds radicals and searching the PDF for 土城 or
黄龙村 finds nothing.

The reports print in a local font (Noto Sans CJK SC, see the template
`report_village_fonts`: web fonts are drawn as outlines, without text), and
this module rewrites the ToUnicode maps of the PDF wkhtmltopdf returns: a
radical or a rare Extension A ideograph that shares its glyph with a common
ideograph becomes that ideograph. The PDF gets an incremental update (new
versions of the ToUnicode streams appended after the original bytes), so its
pages, outlines and everything else stay as wkhtmltopdf wrote them.
"""

import io
import logging
import re
import unicodedata

from odoo import models
from odoo.tools.pdf import IndirectObject, PdfFileReader

_logger = logging.getLogger(__name__)

# Pairs "radical, ideograph" whose glyph is the same in Noto Sans/Serif CJK SC
# and where Qt writes the first (lower) one: the CJK Radicals Supplement
# (U+2E80-U+2EFF) and a few Extension A ideographs. Computed from the fonts'
# cmap tables (fonts-noto-cjk, Debian 12). The Kangxi radicals (U+2F00-U+2FD5)
# come from their Unicode compatibility decomposition (NFKC), except ⼾ whose
# SC glyph is 户, not 戶.
_SHARED_GLYPHS = (
    "⺂乛⺃乚⺅亻⺉刂⺋㔾⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵"
    "⺣灬⺤爫⺦丬⺨犭⺫罒⺭礻⺯糹⺰纟⺱罓⺳㓁⺹耂⺺肀⺾艹⻁虎⻂衤⻃覀⻅见⻆角⻈讠⻉贝"
    "⻋车⻌辶⻐钅⻑長⻒镸⻓长⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼"
    "⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟⼾户㫚曶㬵胶㬺幐㮣槩"
    "⺇\U00020628⺍\U0002d544⺩\U000248e9⺮\U00025ad7⺽\U00026951⻇\U000278b2⻊\U00027fb7⻕\U00028e0f⻞\U0002967f⻡\U00029810"
)
# Punctuation of Chinese text whose glyph the font shares with a rarer,
# lower code point: en dash (figure dash), ideographic space (em space),
# fullwidth solidus (division slash), angle brackets 〈〉 (deprecated ones).
_SHARED_PUNCTUATION = "\u2012\u2013\u2003\u3000\u2215\uff0f\u2329\u3008\u232a\u3009"
TEXT_FIXES = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0x2F00, 0x2FD6)}
for _pairs in (_SHARED_GLYPHS, _SHARED_PUNCTUATION):
    TEXT_FIXES.update(zip(_pairs[::2], _pairs[1::2], strict=True))

_CMAP_BLOCK = re.compile(rb"beginbf(char|range)(.*?)endbf\1", re.S)
_CMAP_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_CMAP_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]*)>|\[([^\]]*)\])")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def fix_text(text):
    """`text` with the radicals Qt writes for shared glyphs replaced by
    their ideographs."""
    return "".join(TEXT_FIXES.get(char, char) for char in text)


def _utf16(hex_bytes):
    return bytes.fromhex(hex_bytes.decode()).decode("utf-16-be", "replace")


def _parse_to_unicode(data):
    """The {(code, its width in hex digits): text} map of a ToUnicode CMap
    and the text before its first bfchar/bfrange block (the header, with the
    codespace ranges), or None if it has no such block."""
    first = _CMAP_BLOCK.search(data)
    if not first:
        return None
    header = re.sub(rb"\d+\s*$", b"", data[: first.start()])
    mapping = {}
    for block in _CMAP_BLOCK.finditer(data):
        if block.group(1) == b"char":
            values = _CMAP_HEX.findall(block.group(2))
            for code, text in zip(values[::2], values[1::2], strict=False):
                mapping[(int(code, 16), len(code))] = _utf16(text)
            continue
        for low, high, start, array in _CMAP_RANGE.findall(block.group(2)):
            codes = range(int(low, 16), int(high, 16) + 1)
            if array:
                texts = [_utf16(value) for value in _CMAP_HEX.findall(array)]
            else:  # consecutive: the last character of the text increases
                text = _utf16(start)
                texts = [text[:-1] + chr(ord(text[-1]) + offset) for offset in range(len(codes))] if text else []
            for code, text in zip(codes, texts, strict=False):
                mapping[(code, len(low))] = text
    return header, mapping


def _to_unicode_cmap(header, mapping):
    lines = [header.decode("latin-1")]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        block = items[start : start + 100]
        lines.append(f"{len(block)} beginbfchar\n")
        for (code, width), text in block:
            lines.append(f"<{code:0{width}X}> <{text.encode('utf-16-be').hex().upper()}>\n")
        lines.append("endbfchar\n")
    lines.append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
    return "".join(lines).encode("latin-1")


def _fonts(resources, seen):
    """The font dictionaries of a resources dictionary and of its forms."""
    if not resources or id(resources) in seen:
        return
    seen.add(id(resources))
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for reference in (resources.get("/XObject") or {}).values():
        xobject = reference.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject.get("/Resources"), seen)


def fix_pdf_text_layer(pdf):
    """The PDF bytes `pdf` with the ToUnicode maps of its fonts corrected
    (see the module's docstring), or `pdf` unchanged when nothing needs it or
    the PDF is not one wkhtmltopdf writes (a classic xref table)."""
    tail = _STARTXREF.search(pdf[-64:])
    if not tail or pdf[int(tail.group(1)) : int(tail.group(1)) + 4] != b"xref":
        return pdf
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        updates = {}
        seen = set()
        for page in reader.pages:
            for font in _fonts(page.get("/Resources"), seen):
                reference = dict.get(font, "/ToUnicode")
                if not isinstance(reference, IndirectObject) or reference.idnum in updates:
                    continue
                parsed = _parse_to_unicode(reference.get_object().get_data())
                if not parsed:
                    continue
                header, mapping = parsed
                fixed = {key: fix_text(text) for key, text in mapping.items()}
                if fixed != mapping:
                    updates[reference.idnum] = (reference.generation, _to_unicode_cmap(header, fixed))
        if not updates:
            return pdf
        trailer = reader.trailer
        size = trailer["/Size"]
        root = dict.get(trailer, "/Root")
        info = dict.get(trailer, "/Info")
    except Exception:  # a PDF this module cannot read is printed as it is
        _logger.warning("Could not correct the text layer of a PDF", exc_info=True)
        return pdf
    out = io.BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    for idnum, (generation, data) in sorted(updates.items()):
        offsets[idnum] = (out.tell(), generation)
        out.write(b"%d %d obj\n<< /Length %d >>\nstream\n" % (idnum, generation, len(data)))
        out.write(data + b"\nendstream\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f \n")
    for idnum, (offset, generation) in sorted(offsets.items()):
        out.write(b"%d 1\n%010d %05d n \n" % (idnum, offset, generation))
    out.write(b"trailer\n<< /Size %d /Root %d %d R" % (size, root.idnum, root.generation))
    if isinstance(info, IndirectObject):
        out.write(b" /Info %d %d R" % (info.idnum, info.generation))
    out.write(b" /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (int(tail.group(1)), xref))
    return out.getvalue()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(self, bodies, report_ref=False, *args, **kwargs):
        pdf = super()._run_wkhtmltopdf(bodies, report_ref, *args, **kwargs)
        report = self._get_report(report_ref) if report_ref else self
        if len(report) == 1 and report.report_name.startswith("village_service."):
            pdf = fix_pdf_text_layer(pdf)
        return pdf
