//! Factur-X / ZUGFeRD: the invoice PDF finished as PDF/A-3b with the CII XML
//! embedded as `factur-x.xml`.
//!
//! printpdf writes the pages; this module adds what PDF/A-3 and Factur-X
//! require on top, with lopdf (the version printpdf itself uses):
//! - the CII XML as an embedded file (`/Subtype /text#2Fxml`, `/Params` with
//!   size and dates) behind a file specification with `/AFRelationship
//!   /Alternative`, listed in the catalog's `/AF` array and `/Names
//!   /EmbeddedFiles` tree;
//! - XMP metadata: `pdfaid:part 3`, `conformance B`, the Factur-X `fx:`
//!   properties and their PDF/A extension schema description, with a
//!   document information dictionary that agrees with it;
//! - an sRGB output intent (`GTS_PDFA1`) carrying the ICC profile shipped in
//!   `assets/icc/sRGB.icc`;
//! - a document ID in the trailer.
//!
//! The embedded XML is produced by the same function as the stand-alone CII
//! export, so the two are byte-identical.

use chrono::NaiveDate;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use md5::{Digest, Md5};
use quick_xml::escape::escape;

use super::{xml, Format};
use crate::document::InvoiceDocument;
use crate::error::{DocsError, DocsResult};

/// The name Factur-X mandates for the embedded XML.
pub const XML_FILE_NAME: &str = "factur-x.xml";
/// The sRGB profile of the output intent (Zlib licence, see `assets/icc/README.md`).
const SRGB_ICC: &[u8] = include_bytes!("../../../../assets/icc/sRGB.icc");
const PRODUCER: &str = "Billable";

/// Turns the invoice PDF into a Factur-X (EN 16931 profile) PDF/A-3b with
/// the CII XML of `doc` embedded.
pub fn facturx(pdf: &[u8], doc: &InvoiceDocument) -> DocsResult<Vec<u8>> {
    let xml = xml(doc, Format::Cii)?;
    let fail = |reason: String| DocsError::Pdf { number: doc.number.clone(), reason };
    let mut pdf_doc =
        Document::load_mem(pdf).map_err(|e| fail(format!("could not read the PDF to embed the e-invoice: {e}")))?;
    pdf_doc.version = "1.7".to_string();
    // PDF/A: a comment of at least four bytes above 127 right after the header.
    pdf_doc.binary_mark = vec![0xE2, 0xE3, 0xCF, 0xD3];

    let date = creation_date(&pdf_doc).unwrap_or_else(|| PdfDate::midnight(doc.issue_date));
    let title = match doc.kind {
        crate::document::DocumentKind::Invoice => format!("Invoice {}", doc.number.trim()),
        crate::document::DocumentKind::Estimate => format!("Estimate {}", doc.number.trim()),
        crate::document::DocumentKind::CreditNote { .. } => format!("Credit note {}", doc.number.trim()),
    };

    // The embedded file and its specification.
    let mut params = Dictionary::new();
    params.set("Size", Object::Integer(xml.len() as i64));
    params.set("CreationDate", Object::string_literal(date.pdf.clone()));
    params.set("ModDate", Object::string_literal(date.pdf.clone()));
    let mut file_dict = Dictionary::new();
    file_dict.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
    file_dict.set("Subtype", Object::Name(b"text/xml".to_vec()));
    file_dict.set("Params", Object::Dictionary(params));
    let mut file_stream = Stream::new(file_dict, xml.clone());
    file_stream.allows_compression = true;
    let file_id = pdf_doc.add_object(Object::Stream(file_stream));
    let mut ef = Dictionary::new();
    ef.set("F", Object::Reference(file_id));
    ef.set("UF", Object::Reference(file_id));
    let mut filespec = Dictionary::new();
    filespec.set("Type", Object::Name(b"Filespec".to_vec()));
    filespec.set("F", Object::string_literal(XML_FILE_NAME));
    filespec.set("UF", Object::string_literal(XML_FILE_NAME));
    filespec.set("Desc", Object::string_literal("Factur-X invoice (EN 16931)"));
    filespec.set("AFRelationship", Object::Name(b"Alternative".to_vec()));
    filespec.set("EF", Object::Dictionary(ef));
    let filespec_id = pdf_doc.add_object(Object::Dictionary(filespec));

    // The output intent.
    let mut icc_dict = Dictionary::new();
    icc_dict.set("N", Object::Integer(3));
    icc_dict.set("Alternate", Object::Name(b"DeviceRGB".to_vec()));
    let icc_id = pdf_doc.add_object(Object::Stream(Stream::new(icc_dict, SRGB_ICC.to_vec())));
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
    intent.set("OutputConditionIdentifier", Object::string_literal("sRGB IEC61966-2.1"));
    intent.set("RegistryName", Object::string_literal("http://www.color.org"));
    intent.set("Info", Object::string_literal("sRGB IEC61966-2.1"));
    intent.set("DestOutputProfile", Object::Reference(icc_id));

    // XMP metadata, never compressed.
    let mut meta_dict = Dictionary::new();
    meta_dict.set("Type", Object::Name(b"Metadata".to_vec()));
    meta_dict.set("Subtype", Object::Name(b"XML".to_vec()));
    let mut meta = Stream::new(meta_dict, xmp(&title, &date.xmp).into_bytes());
    meta.allows_compression = false;
    let meta_id = pdf_doc.add_object(Object::Stream(meta));

    // The document information dictionary, in agreement with the XMP.
    let mut info = Dictionary::new();
    info.set("Title", text_string(&title));
    info.set("Creator", text_string(PRODUCER));
    info.set("Producer", text_string(PRODUCER));
    info.set("CreationDate", Object::string_literal(date.pdf.clone()));
    info.set("ModDate", Object::string_literal(date.pdf.clone()));
    let info_id = pdf_doc.add_object(Object::Dictionary(info));

    let names_id = embedded_files_names(&mut pdf_doc, filespec_id).map_err(|e| fail(e.to_string()))?;
    let catalog = pdf_doc.catalog_mut().map_err(|e| fail(format!("the PDF has no catalog: {e}")))?;
    catalog.set("Metadata", Object::Reference(meta_id));
    catalog.set("OutputIntents", Object::Array(vec![Object::Dictionary(intent)]));
    catalog.set("AF", Object::Array(vec![Object::Reference(filespec_id)]));
    catalog.set("Names", Object::Reference(names_id));

    let mut hash = Md5::new();
    hash.update(pdf);
    hash.update(&xml);
    let id = hash.finalize().to_vec();
    pdf_doc.trailer.set("Info", Object::Reference(info_id));
    pdf_doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    pdf_doc.compress();
    let mut out = Vec::with_capacity(pdf.len() + xml.len() + SRGB_ICC.len() + 8192);
    pdf_doc.save_to(&mut out).map_err(|e| fail(format!("could not write the Factur-X PDF: {e}")))?;
    Ok(out)
}

/// Adds `factur-x.xml` to the catalog's `/Names /EmbeddedFiles` tree (made
/// when missing); returns the names dictionary's id.
fn embedded_files_names(pdf: &mut Document, filespec_id: ObjectId) -> lopdf::Result<ObjectId> {
    let existing = pdf.catalog()?.get(b"Names").ok().cloned();
    let mut names = match existing {
        Some(Object::Reference(id)) => pdf.get_dictionary(id)?.clone(),
        Some(Object::Dictionary(d)) => d,
        _ => Dictionary::new(),
    };
    let mut tree = Dictionary::new();
    tree.set("Names", Object::Array(vec![Object::string_literal(XML_FILE_NAME), Object::Reference(filespec_id)]));
    names.set("EmbeddedFiles", Object::Dictionary(tree));
    Ok(pdf.add_object(Object::Dictionary(names)))
}

/// A PDF text string: PDFDocEncoding for ASCII, else UTF-16BE with a BOM.
fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        return Object::string_literal(s);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A date in the two spellings PDF/A wants to agree: `D:20260115093000+00'00'`
/// in the info dictionary, `2026-01-15T09:30:00+00:00` in the XMP.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PdfDate {
    pdf: String,
    xmp: String,
}

impl PdfDate {
    fn midnight(d: NaiveDate) -> PdfDate {
        PdfDate::from_parts(&d.format("%Y%m%d000000").to_string(), '+', "00", "00")
    }

    fn from_parts(digits: &str, sign: char, tz_h: &str, tz_m: &str) -> PdfDate {
        let (y, mo, d, h, mi, s) =
            (&digits[0..4], &digits[4..6], &digits[6..8], &digits[8..10], &digits[10..12], &digits[12..14]);
        PdfDate {
            pdf: format!("D:{y}{mo}{d}{h}{mi}{s}{sign}{tz_h}'{tz_m}'"),
            xmp: format!("{y}-{mo}-{d}T{h}:{mi}:{s}{sign}{tz_h}:{tz_m}"),
        }
    }

    /// Parses `D:YYYYMMDDHHmmSS` followed by `Z`, `+HH'mm'` or `-HH'mm'`.
    fn parse(text: &str) -> Option<PdfDate> {
        let rest = text.strip_prefix("D:")?;
        let digits = rest.get(0..14)?;
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let tz = &rest[14..];
        match tz.chars().next() {
            None | Some('Z') => Some(PdfDate::from_parts(digits, '+', "00", "00")),
            Some(sign @ ('+' | '-')) => {
                let h = tz.get(1..3)?;
                let m = tz.get(4..6).unwrap_or("00");
                if !(h.chars().all(|c| c.is_ascii_digit()) && m.chars().all(|c| c.is_ascii_digit())) {
                    return None;
                }
                Some(PdfDate::from_parts(digits, sign, h, m))
            }
            _ => None,
        }
    }
}

/// The creation date printpdf wrote in the document information dictionary.
fn creation_date(pdf: &Document) -> Option<PdfDate> {
    let info = match pdf.trailer.get(b"Info").ok()? {
        Object::Reference(id) => pdf.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    match info.get(b"CreationDate").ok()? {
        Object::String(bytes, _) => PdfDate::parse(std::str::from_utf8(bytes).ok()?),
        _ => None,
    }
}

/// The XMP packet: PDF/A-3b identification, Dublin Core title, producer and
/// dates, and the Factur-X properties with their extension schema.
fn xmp(title: &str, date: &str) -> String {
    let title = escape(title);
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:format>application/pdf</dc:format>
      <dc:title>
        <rdf:Alt>
          <rdf:li xml:lang="x-default">{title}</rdf:li>
        </rdf:Alt>
      </dc:title>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdf:Producer>{producer}</pdf:Producer>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreatorTool>{producer}</xmp:CreatorTool>
      <xmp:CreateDate>{date}</xmp:CreateDate>
      <xmp:ModifyDate>{date}</xmp:ModifyDate>
      <xmp:MetadataDate>{date}</xmp:MetadataDate>
    </rdf:Description>
    <rdf:Description rdf:about=""
        xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
        xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
        xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>fx</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>
                <rdf:li rdf:parseType="Resource">
                  <pdfaProperty:name>DocumentFileName</pdfaProperty:name>
                  <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                  <pdfaProperty:category>external</pdfaProperty:category>
                  <pdfaProperty:description>The name of the embedded XML document</pdfaProperty:description>
                </rdf:li>
                <rdf:li rdf:parseType="Resource">
                  <pdfaProperty:name>DocumentType</pdfaProperty:name>
                  <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                  <pdfaProperty:category>external</pdfaProperty:category>
                  <pdfaProperty:description>The type of the hybrid document in capital letters, e.g. INVOICE or ORDER</pdfaProperty:description>
                </rdf:li>
                <rdf:li rdf:parseType="Resource">
                  <pdfaProperty:name>Version</pdfaProperty:name>
                  <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                  <pdfaProperty:category>external</pdfaProperty:category>
                  <pdfaProperty:description>The actual version of the standard applying to the embedded XML document</pdfaProperty:description>
                </rdf:li>
                <rdf:li rdf:parseType="Resource">
                  <pdfaProperty:name>ConformanceLevel</pdfaProperty:name>
                  <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                  <pdfaProperty:category>external</pdfaProperty:category>
                  <pdfaProperty:description>The conformance level of the embedded XML document</pdfaProperty:description>
                </rdf:li>
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
      <fx:DocumentType>INVOICE</fx:DocumentType>
      <fx:DocumentFileName>{file}</fx:DocumentFileName>
      <fx:Version>1.0</fx:Version>
      <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}',
        producer = PRODUCER,
        file = XML_FILE_NAME,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_parse_in_both_spellings() {
        let d = PdfDate::parse("D:20260115093000+01'00'").unwrap();
        assert_eq!(d.pdf, "D:20260115093000+01'00'");
        assert_eq!(d.xmp, "2026-01-15T09:30:00+01:00");
        assert_eq!(PdfDate::parse("D:20260115093000Z").unwrap().xmp, "2026-01-15T09:30:00+00:00");
        assert_eq!(PdfDate::parse("D:2026"), None);
        assert_eq!(PdfDate::parse("yesterday"), None);
    }
}
