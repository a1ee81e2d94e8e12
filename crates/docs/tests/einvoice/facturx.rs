//! Factur-X: see the tests once the PDF renderer is in.
