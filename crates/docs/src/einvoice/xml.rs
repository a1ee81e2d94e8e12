//! A small element tree, serialised with quick-xml: every text and attribute
//! value is escaped by the writer, characters XML 1.0 cannot carry are
//! dropped, and empty optional values never produce empty elements.

use std::io;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// One element: a name, attributes, and either text or children.
#[derive(Debug, Clone)]
pub(crate) struct El {
    name: &'static str,
    attrs: Vec<(&'static str, String)>,
    text: Option<String>,
    children: Vec<El>,
}

impl El {
    pub(crate) fn new(name: &'static str) -> El {
        El { name, attrs: Vec::new(), text: None, children: Vec::new() }
    }

    /// An element holding text.
    pub(crate) fn text(name: &'static str, text: impl AsRef<str>) -> El {
        El { text: Some(clean(text.as_ref())), ..El::new(name) }
    }

    /// An element holding text whose line breaks at either end count (an
    /// early-payment discount's line in the payment terms); otherwise as
    /// [`El::text`].
    pub(crate) fn text_untrimmed(name: &'static str, text: impl AsRef<str>) -> El {
        El { text: Some(drop_controls(text.as_ref())), ..El::new(name) }
    }

    pub(crate) fn attr(mut self, name: &'static str, value: impl AsRef<str>) -> El {
        self.attrs.push((name, clean(value.as_ref())));
        self
    }

    pub(crate) fn child(mut self, child: El) -> El {
        self.children.push(child);
        self
    }

    pub(crate) fn children(mut self, children: impl IntoIterator<Item = El>) -> El {
        self.children.extend(children);
        self
    }

    /// Adds `<name>text</name>` only when the trimmed text is not empty.
    pub(crate) fn opt(self, name: &'static str, text: &str) -> El {
        let t = text.trim();
        if t.is_empty() {
            self
        } else {
            self.child(El::text(name, t))
        }
    }

    /// Adds the child when there is one.
    pub(crate) fn maybe(self, child: Option<El>) -> El {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    pub(crate) fn push(&mut self, child: El) {
        self.children.push(child);
    }

    pub(crate) fn has_children(&self) -> bool {
        !self.children.is_empty()
    }

    fn write(&self, w: &mut Writer<Vec<u8>>) -> io::Result<()> {
        let mut start = BytesStart::new(self.name);
        for (k, v) in &self.attrs {
            start.push_attribute((*k, v.as_str()));
        }
        match (&self.text, self.children.is_empty()) {
            (Some(text), _) => {
                w.write_event(Event::Start(start))?;
                w.write_event(Event::Text(BytesText::new(text)))?;
                w.write_event(Event::End(BytesEnd::new(self.name)))?;
            }
            (None, true) => w.write_event(Event::Empty(start))?,
            (None, false) => {
                w.write_event(Event::Start(start))?;
                for c in &self.children {
                    c.write(w)?;
                }
                w.write_event(Event::End(BytesEnd::new(self.name)))?;
            }
        }
        Ok(())
    }
}

/// Serialises a document: the XML declaration, then the tree indented by two spaces.
pub(crate) fn to_bytes(root: &El) -> io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    root.write(&mut w)?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

/// Drops the characters XML 1.0 forbids (most C0 controls) and trims.
fn clean(text: &str) -> String {
    drop_controls(text.trim())
}

fn drop_controls(text: &str) -> String {
    text.chars().filter(|&c| matches!(c, '\t' | '\n' | '\r') || !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_controls_dropped() {
        let root = El::new("a").child(El::text("b", "x < y & \"z\"\u{1}").attr("k", "1 & 2")).opt("c", "  ");
        let out = String::from_utf8(to_bytes(&root).unwrap()).unwrap();
        assert!(out.contains("<b k=\"1 &amp; 2\">x &lt; y &amp; &quot;z&quot;</b>"), "{out}");
        assert!(!out.contains("<c"), "{out}");
        assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    }
}
