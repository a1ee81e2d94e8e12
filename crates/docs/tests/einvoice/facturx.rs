//! Factur-X: the rendered invoice PDF finished as PDF/A-3 with the CII XML
//! embedded. The embedded file is read back twice (lopdf here, and the
//! factur-x package's own extractor), compared byte for byte with the
//! stand-alone CII export, validated, and its amounts compared with the
//! engine's; qpdf checks the file's structure.

use std::path::Path;
use std::process::Command;

use billable_docs::einvoice::{facturx, xml, Format};
use billable_docs::pdf::render;
use lopdf::{Document, Object};
use rust_decimal::Decimal;

use super::fixture::{repo_root, validate};
use super::formats::amount;
use super::matrix;

fn name(o: &Object) -> String {
    String::from_utf8_lossy(o.as_name().expect("a name")).into_owned()
}

/// The embedded file's bytes and its file specification, found through the
/// catalog's /AF array.
fn embedded(pdf: &Document) -> (Vec<u8>, lopdf::Dictionary) {
    let catalog = pdf.catalog().unwrap();
    let af = catalog.get_deref(b"AF", pdf).unwrap().as_array().unwrap();
    assert_eq!(af.len(), 1, "one associated file");
    let spec = pdf.dereference(&af[0]).unwrap().1.as_dict().unwrap().clone();
    let ef = spec.get_deref(b"EF", pdf).unwrap().as_dict().unwrap();
    let stream = ef.get_deref(b"F", pdf).unwrap().as_stream().unwrap();
    assert_eq!(name(stream.dict.get(b"Type").unwrap()), "EmbeddedFile");
    assert_eq!(name(stream.dict.get(b"Subtype").unwrap()), "text/xml");
    let params = stream.dict.get_deref(b"Params", pdf).unwrap().as_dict().unwrap();
    assert!(params.get(b"ModDate").is_ok(), "Params carries ModDate");
    let bytes =
        if stream.dict.has(b"Filter") { stream.decompressed_content().unwrap() } else { stream.content.clone() };
    (bytes, spec)
}

/// Every font is embedded: each font descriptor carries a font file.
fn assert_fonts_embedded(pdf: &Document) {
    let mut fonts = 0;
    for obj in pdf.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Type").ok().and_then(|t| t.as_name().ok()) != Some(b"FontDescriptor") {
            continue;
        }
        fonts += 1;
        assert!(
            dict.has(b"FontFile") || dict.has(b"FontFile2") || dict.has(b"FontFile3"),
            "a font is not embedded: {dict:?}"
        );
    }
    for obj in pdf.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Font") {
            let subtype = name(dict.get(b"Subtype").unwrap());
            assert!(
                subtype == "Type0" || dict.has(b"FontDescriptor"),
                "font without descriptor (a standard font?): {dict:?}"
            );
        }
    }
    assert!(fonts > 0, "the invoice uses fonts");
}

fn qpdf_check(path: &Path) {
    let out =
        Command::new("qpdf").arg("--check").arg(path).output().expect("qpdf is installed (scripts/install-deps.sh)");
    assert!(
        out.status.success(),
        "qpdf --check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The factur-x package's own extractor finds the same XML.
fn extracted_by_factur_x_package(path: &Path) -> Vec<u8> {
    let script = "import sys\nfrom facturx import get_xml_from_pdf\nname, xml = get_xml_from_pdf(open(sys.argv[1], 'rb').read(), check_xsd=True)\nassert name == 'factur-x.xml', name\nsys.stdout.buffer.write(xml)\n";
    let out = Command::new(repo_root().join(".venv/bin/python")).arg("-c").arg(script).arg(path).output().unwrap();
    assert!(out.status.success(), "factur-x could not extract the XML: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn factur_x_pdfs_embed_the_cii_export_byte_for_byte_and_pass_qpdf() {
    let dir = tempfile::tempdir().unwrap();
    let mut extracted_files = Vec::new();
    for wanted in ["several-rates", "jpy", "sixty-lines", "line-and-document-discounts", "credit-note"] {
        let (_, doc) = matrix().into_iter().find(|(n, _)| *n == wanted).unwrap();
        let pdf = render(&doc).unwrap();
        let fx = facturx(&pdf, &doc).unwrap();
        let path = dir.path().join(format!("{wanted}.pdf"));
        std::fs::write(&path, &fx).unwrap();
        qpdf_check(&path);

        let standalone = xml(&doc, Format::Cii).unwrap();
        let parsed = Document::load_mem(&fx).unwrap();
        let (inside, spec) = embedded(&parsed);
        assert!(inside == standalone, "{wanted}: the embedded XML differs from the CII export");
        assert_eq!(extracted_by_factur_x_package(&path), standalone, "{wanted}");
        assert_eq!(name(spec.get(b"AFRelationship").unwrap()), "Alternative");
        assert_eq!(spec.get(b"F").unwrap().as_str().unwrap(), b"factur-x.xml");
        assert_eq!(spec.get(b"UF").unwrap().as_str().unwrap(), b"factur-x.xml");

        // Its amounts are the engine's.
        let sum = "SpecifiedTradeSettlementHeaderMonetarySummation/";
        assert_eq!(amount(&inside, &format!("{sum}GrandTotalAmount")), doc.total);
        assert_eq!(amount(&inside, &format!("{sum}TaxTotalAmount")), doc.tax_total);
        assert_eq!(amount(&inside, &format!("{sum}LineTotalAmount")), doc.subtotal);
        assert_eq!(amount(&inside, &format!("{sum}DuePayableAmount")), doc.balance_due);
        assert_ne!(doc.total, Decimal::ZERO);

        let file = dir.path().join(format!("{wanted}.factur-x.xml"));
        std::fs::write(&file, &inside).unwrap();
        extracted_files.push(file);
    }
    validate(&extracted_files);
}

#[test]
fn factur_x_pdf_is_declared_pdf_a_3b_with_the_fx_schema_an_srgb_intent_and_embedded_fonts() {
    let (_, doc) = matrix().into_iter().next().unwrap();
    let fx = facturx(&render(&doc).unwrap(), &doc).unwrap();
    // PDF 1.7 header, then a binary comment (PDF/A 6.1.2).
    assert!(fx.starts_with(b"%PDF-1.7\n%"), "{:?}", &fx[..12]);
    assert!(fx[10..14].iter().all(|&b| b > 127), "{:?}", &fx[..16]);
    let pdf = Document::load_mem(&fx).unwrap();
    let catalog = pdf.catalog().unwrap();

    // XMP: PDF/A-3b and the Factur-X extension schema with its properties.
    let meta = catalog.get_deref(b"Metadata", &pdf).unwrap().as_stream().unwrap();
    assert!(!meta.dict.has(b"Filter"), "the XMP stays uncompressed");
    let xmp = String::from_utf8(meta.content.clone()).unwrap();
    for needle in [
        "<pdfaid:part>3</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>",
        "<pdfaSchema:prefix>fx</pdfaSchema:prefix>",
        "<fx:DocumentType>INVOICE</fx:DocumentType>",
        "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
        "<fx:Version>1.0</fx:Version>",
        "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>",
    ] {
        assert!(xmp.contains(needle), "XMP lacks {needle}:\n{xmp}");
    }

    // The sRGB output intent with its ICC profile.
    let intents = catalog.get_deref(b"OutputIntents", &pdf).unwrap().as_array().unwrap();
    assert_eq!(intents.len(), 1);
    let intent = pdf.dereference(&intents[0]).unwrap().1.as_dict().unwrap();
    assert_eq!(name(intent.get(b"S").unwrap()), "GTS_PDFA1");
    let icc = intent.get_deref(b"DestOutputProfile", &pdf).unwrap().as_stream().unwrap();
    assert_eq!(icc.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
    let profile = if icc.dict.has(b"Filter") { icc.decompressed_content().unwrap() } else { icc.content.clone() };
    assert_eq!(&profile[12..20], b"mntrRGB ", "an RGB display profile");

    // The embedded-files name tree lists factur-x.xml.
    let names = catalog.get_deref(b"Names", &pdf).unwrap().as_dict().unwrap();
    let tree = names.get_deref(b"EmbeddedFiles", &pdf).unwrap().as_dict().unwrap();
    let list = tree.get(b"Names").unwrap().as_array().unwrap();
    assert_eq!(list[0].as_str().unwrap(), b"factur-x.xml");

    // A document ID, and an information dictionary that agrees with the XMP.
    let id = pdf.trailer.get(b"ID").unwrap().as_array().unwrap();
    assert_eq!(id.len(), 2);
    let info = pdf.trailer.get_deref(b"Info", &pdf).unwrap().as_dict().unwrap();
    let title = String::from_utf8_lossy(info.get(b"Title").unwrap().as_str().unwrap()).into_owned();
    assert!(xmp.contains(&format!("<rdf:li xml:lang=\"x-default\">{title}</rdf:li>")), "{title}");
    assert!(title.contains(&doc.number));

    assert_fonts_embedded(&pdf);
}

#[test]
fn factur_x_refuses_an_invoice_with_missing_data_and_a_file_that_is_not_a_pdf() {
    let (_, mut doc) = matrix().into_iter().next().unwrap();
    let pdf = render(&doc).unwrap();
    assert!(matches!(facturx(b"not a pdf", &doc), Err(billable_docs::DocsError::Pdf { .. })));
    doc.buyer.name.clear();
    match facturx(&pdf, &doc) {
        Err(billable_docs::DocsError::Incomplete { fields, .. }) => {
            assert_eq!(fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["client.name"])
        }
        other => panic!("expected the missing client name, got {:?}", other.map(|b| b.len())),
    }
}
