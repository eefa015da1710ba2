"""Writing a report: one self-contained HTML file (charts embedded as PNG `data:` URIs), a PDF
by Qt's own writer (A4, page numbers, the community and period on every page), or the same
pages on a printer."""

from __future__ import annotations

import base64
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QRectF,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from viva_desktop.rendering.charts import chart_image, report_charts
from viva_desktop.rendering.document import period_text, report_html
from viva_desktop.services.reports import ActivityReport

CONTEXT = "ReportDocument"
MARGIN_MM = 15.0
BAND = 0.06  # share of the page height for the header and for the footer


def chart_images(report: ActivityReport) -> dict[str, QImage]:
    """The report's charts drawn into images (needs a `QApplication`)."""
    return {name: chart_image(chart) for name, chart in report_charts(report).items()}


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def html_text(report: ActivityReport, images: Mapping[str, QImage] | None = None) -> str:
    """The self-contained HTML of the report."""
    drawn = chart_images(report) if images is None else images
    sources = {
        name: "data:image/png;base64," + base64.b64encode(png_bytes(image)).decode("ascii")
        for name, image in drawn.items()
    }
    return report_html(report, sources)


def atomic_write(path: Path, data: bytes) -> None:
    """`data` at `path`, all or nothing (a temporary file renamed at the end)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_html(report: ActivityReport, path: Path) -> None:
    atomic_write(path, html_text(report).encode("utf-8"))


def text_document(
    report: ActivityReport, images: Mapping[str, QImage] | None = None
) -> QTextDocument:
    """The report as a `QTextDocument`, charts as its image resources."""
    drawn = chart_images(report) if images is None else images
    document = QTextDocument()
    for name, image in drawn.items():
        document.addResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl(f"chart:{name}"), image
        )
    document.setHtml(report_html(report, {name: f"chart:{name}" for name in drawn}))
    return document


def paint_pages(report: ActivityReport, device: QPagedPaintDevice, document: QTextDocument) -> int:
    """Lay `document` out on `device`'s pages under a header (community, period) and over a
    footer (page n of m); returns the page count."""
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("could not start drawing on the output")
    try:
        page = QRectF(0, 0, device.width(), device.height())
        band = page.height() * BAND
        body = QRectF(0, band, page.width(), page.height() - 2 * band)
        document.documentLayout().setPaintDevice(device)
        document.setPageSize(QSizeF(body.width(), body.height()))
        document.setDocumentMargin(0)
        pages = document.pageCount()
        header = f"{report.community_name} · {period_text(report)}"
        small = QFont(document.defaultFont())
        small.setPointSizeF(8)
        for number in range(pages):
            if number:
                device.newPage()
            painter.save()
            painter.translate(body.left(), body.top() - number * body.height())
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, number * body.height(), body.width(), body.height())
            painter.setClipRect(context.clip)
            document.documentLayout().draw(painter, context)
            painter.restore()
            painter.setFont(small)
            painter.setPen(Qt.GlobalColor.darkGray)
            top = QRectF(0, 0, page.width(), band * 0.7)
            painter.drawText(
                top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, header
            )
            bottom = QRectF(0, page.height() - band * 0.7, page.width(), band * 0.7)
            footer = QCoreApplication.translate(CONTEXT, "Page {n} of {total}").format(
                n=number + 1, total=pages
            )
            painter.drawText(
                bottom, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, footer
            )
        return pages
    finally:
        painter.end()


def pdf_bytes(report: ActivityReport) -> tuple[bytes, int]:
    """The report as an A4 PDF, in memory (the GUI draws it and a worker writes the file);
    the bytes and the page count."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pages = _draw_pdf(report, QPdfWriter(buffer))
    buffer.close()
    return bytes(data.data()), pages


def _draw_pdf(report: ActivityReport, writer: QPdfWriter) -> int:
    writer.setResolution(150)
    writer.setTitle(f"{report.community_name} — {period_text(report)}")
    writer.setCreator("Viva Desktop")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    return paint_pages(report, writer, text_document(report))


def write_pdf(report: ActivityReport, path: Path) -> int:
    """The report as an A4 PDF; the page count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        writer = QPdfWriter(temp)
        pages = _draw_pdf(report, writer)
        del writer  # flushes and closes the file
        os.replace(temp, path)
        return pages
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_report(report: ActivityReport, path: Path) -> None:
    """HTML or PDF by the file's suffix."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        write_html(report, path)
    elif suffix == ".pdf":
        write_pdf(report, path)
    else:
        raise ValueError(f"{path.name}: the report is written as .html or .pdf")
