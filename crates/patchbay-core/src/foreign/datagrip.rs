//! DataGrip's (and IntelliJ's) data sources: `.idea/dataSources.xml` (`<data-source name uuid>`
//! with `<driver-ref>` and `<jdbc-url>`) and, beside it, `dataSources.local.xml` (the
//! `<user-name>` by uuid). Passwords live in the IDE's own keychain entry, never in these files.

use std::collections::BTreeMap;

use quick_xml::events::Event;
use quick_xml::Reader;

/// One data source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataSource {
    pub name: String,
    pub uuid: String,
    pub driver: String,
    pub url: String,
    pub user: Option<String>,
}

/// The data sources of `xml`, each `<data-source>` with its child elements' text.
fn sources(xml: &str) -> Result<Vec<BTreeMap<String, String>>, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<BTreeMap<String, String>> = None;
    let mut element = String::new();
    loop {
        match reader
            .read_event()
            .map_err(|e| format!("is not well-formed XML ({e})"))?
        {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "data-source" => {
                let mut attrs = BTreeMap::new();
                for a in e.attributes().flatten() {
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| format!("is not well-formed XML ({e})"))?;
                    attrs.insert(a.key.as_ref().to_string(), v.into_owned());
                }
                current = Some(attrs);
            }
            Event::Start(e) => element = e.name().as_ref().to_string(),
            Event::Text(t) => {
                if let Some(c) = current.as_mut().filter(|_| !element.is_empty()) {
                    c.entry(element.clone())
                        .or_default()
                        .push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let ch = match r.into_inner().as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => continue,
                };
                if let Some(c) = current.as_mut().filter(|_| !element.is_empty()) {
                    c.entry(element.clone()).or_default().push(ch);
                }
            }
            Event::End(e) if e.name().as_ref() == "data-source" => out.extend(current.take()),
            Event::End(_) => element.clear(),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// The data sources of `dataSources.xml`, with the user names of `dataSources.local.xml` (if
/// given) by uuid.
pub fn read(shared: &str, local: Option<&str>) -> Result<Vec<DataSource>, String> {
    let users: BTreeMap<String, String> = match local {
        Some(l) => sources(l)?
            .into_iter()
            .filter_map(|s| {
                Some((
                    s.get("uuid")?.clone(),
                    s.get("user-name")?.trim().to_string(),
                ))
            })
            .collect(),
        None => BTreeMap::new(),
    };
    let all = sources(shared)?;
    if all.is_empty() && !shared.contains("DataSourceManager") {
        return Err("is not DataGrip's dataSources.xml (no data sources)".into());
    }
    Ok(all
        .into_iter()
        .map(|s| {
            let get = |k: &str| s.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
            DataSource {
                user: users.get(&get("uuid")).cloned().filter(|u| !u.is_empty()),
                name: get("name"),
                uuid: get("uuid"),
                driver: get("driver-ref"),
                url: get("jdbc-url"),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_sources_read_with_their_users_and_entities() {
        let shared = r#"<?xml version="1.0" encoding="UTF-8"?>
<project version="4"><component name="DataSourceManagerImpl" format="xml" multifile-model="true">
  <data-source source="LOCAL" name="orders &amp; co" uuid="u1"><driver-ref>postgresql</driver-ref>
    <jdbc-url>jdbc:postgresql://db:5432/orders?ssl=true&amp;sslmode=require</jdbc-url></data-source>
</component></project>"#;
        let local = r#"<project version="4"><component name="dataSourceStorageLocal"><data-source name="orders &amp; co" uuid="u1"><user-name>app</user-name></data-source></component></project>"#;
        let got = super::read(shared, Some(local)).unwrap();
        assert_eq!(got[0].name, "orders & co");
        assert_eq!(
            got[0].url,
            "jdbc:postgresql://db:5432/orders?ssl=true&sslmode=require"
        );
        assert_eq!(
            (got[0].driver.as_str(), got[0].user.as_deref()),
            ("postgresql", Some("app"))
        );
        assert!(super::read("<x><y></x>", None).is_err());
    }
}
