"""Label documents as a carrier would return them: a PDF page or a ZPL string per parcel.

Every label carries a Code128 barcode whose content is exactly the parcel's tracking number,
so a barcode scanner (or a decoding library in the tests) reads the tracking number back.
"""

import io

from reportlab.graphics.barcode import code128
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

A6 = (105 * mm, 148 * mm)


def pdf_labels(parcels):
    """One A6 page per parcel; ``parcels`` is a list of dicts (number, carrier, name, city)."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A6)
    width, height = A6
    for parcel in parcels:
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(8 * mm, height - 14 * mm, parcel.get("carrier", "CARRIER"))
        pdf.setFont("Helvetica", 9)
        y = height - 24 * mm
        for line in (
            parcel.get("name") or "",
            parcel.get("street") or "",
            parcel.get("city") or "",
        ):
            pdf.drawString(8 * mm, y, line[:60])
            y -= 5 * mm
        barcode = code128.Code128(parcel["number"], barHeight=25 * mm, barWidth=0.42 * mm)
        barcode.drawOn(pdf, max(2 * mm, (width - barcode.width) / 2), 30 * mm)
        pdf.setFont("Helvetica", 10)
        pdf.drawCentredString(width / 2, 22 * mm, parcel["number"])
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def zpl_label(parcel):
    """A ZPL II label with a Code128 (^BC) barcode of the tracking number."""
    return (
        "^XA^CI28"
        f"^FO40,30^A0N,40,40^FD{parcel.get('carrier', 'CARRIER')}^FS"
        f"^FO40,90^A0N,28,28^FD{(parcel.get('name') or '')[:40]}^FS"
        f"^FO40,130^A0N,28,28^FD{(parcel.get('city') or '')[:40]}^FS"
        f"^FO40,200^BY3^BCN,200,Y,N,N^FD{parcel['number']}^FS"
        "^XZ"
    )
