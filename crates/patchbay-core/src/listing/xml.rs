//! The XML of a listing answer (S3's and Azure's) as a small tree of elements, with entity and
//! character references resolved, so that each kind reads its fields by name. Bounded: a tree
//! deeper than a listing ever is, is refused.

use quick_xml::events::Event;
use quick_xml::Reader;

/// How deep a listing's XML may nest.
const MAX_DEPTH: usize = 16;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child called `name`.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix('x').or_else(|| n.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// The root element of `body`.
pub fn parse(body: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(body);
    let mut open: Vec<Element> = Vec::new();
    let bad = |e: &dyn std::fmt::Display| format!("the answer is not well-formed XML ({e})");
    loop {
        let event = reader.read_event().map_err(|e| bad(&e))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                if open.len() >= MAX_DEPTH {
                    return Err(format!("the answer nests deeper than {MAX_DEPTH} elements"));
                }
                let mut el = Element {
                    name: e.name().as_ref().to_string(),
                    ..Element::default()
                };
                for a in e.attributes().flatten() {
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| bad(&e))?;
                    let k = a.key.as_ref().to_string();
                    el.attributes.push((k, v.into_owned()));
                }
                open.push(el);
                if empty && open.len() == 1 {
                    return Ok(open.pop().expect("one open element"));
                }
                if empty {
                    close(&mut open);
                }
            }
            Event::Text(t) => {
                if let Some(el) = open.last_mut() {
                    el.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(el) = open.last_mut() {
                    el.text.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                let name = r.into_inner().into_owned();
                let c = reference(&name).ok_or_else(|| bad(&format!("unknown entity &{name};")))?;
                if let Some(el) = open.last_mut() {
                    el.text.push(c);
                }
            }
            Event::End(_) => {
                if open.len() == 1 {
                    return Ok(open.pop().expect("one open element"));
                }
                close(&mut open);
            }
            Event::Eof => return Err(bad(&"it ends early")),
            _ => {}
        }
    }
}

/// Closes the innermost open element into its parent.
fn close(open: &mut Vec<Element>) {
    if open.len() < 2 {
        return;
    }
    let el = open.pop().expect("an open element");
    open.last_mut().expect("a parent").children.push(el);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_text_and_references_are_read() {
        let root = parse(
            r#"<?xml version="1.0"?><R><C><Key>a&amp;b&#x1b;</Key><Key/></C><N Encoded="true">x%2Fy</N></R>"#,
        )
        .unwrap();
        let c = root.child("C").unwrap();
        let keys: Vec<_> = c.all("Key").map(|k| k.text.as_str()).collect();
        assert_eq!(keys, ["a&b\u{1b}", ""]);
        assert_eq!(root.child("N").unwrap().attribute("Encoded"), Some("true"));
    }

    #[test]
    fn cut_or_too_deep_xml_is_refused() {
        assert!(parse("<R><C>").is_err());
        let deep = "<a>".repeat(40) + &"</a>".repeat(40);
        assert!(parse(&deep).unwrap_err().contains("deeper"));
    }
}
