//! The core's modules import one another without cycles: arrows run from the kinds down to the
//! mechanisms (`handoff/`, `paste.rs`, `validate/`, `check/`…), never back. Read from the
//! source as it is: every `use` and every `crate::`, `super::` or `self::` path outside test
//! modules, resolved to the file module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Every file module of `src`, with its text (test modules cut off).
fn modules(src: &Path) -> BTreeMap<Module, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap().with_extension("");
            let mut module: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let text = match text.find("#[cfg(test)]\nmod tests") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            let text: String = text
                .lines()
                .map(|l| l.split("//").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            out.insert(module, text);
        }
    }
    out
}

/// The paths that start at `at` in `text` (`a::b`, or each member of a `{…}` group).
fn paths_after(text: &str) -> Vec<Vec<String>> {
    let mut segments = Vec::new();
    let mut rest = text;
    loop {
        let ident: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if ident.is_empty() {
            break;
        }
        segments.push(ident.clone());
        rest = &rest[ident.len()..];
        if let Some(r) = rest.strip_prefix("::") {
            rest = r;
            if let Some(group) = rest.strip_prefix('{') {
                let mut depth = 1;
                let end = group
                    .char_indices()
                    .find(|(_, c)| {
                        depth += match c {
                            '{' => 1,
                            '}' => -1,
                            _ => 0,
                        };
                        depth == 0
                    })
                    .map_or(group.len(), |(i, _)| i);
                let mut members = Vec::new();
                let (mut depth, mut start) = (0, 0);
                let inner = &group[..end];
                for (i, c) in inner.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            members.push(&inner[start..i]);
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
                members.push(&inner[start..]);
                return members
                    .into_iter()
                    .flat_map(|m| paths_after(m.trim()))
                    .map(|tail| segments.iter().cloned().chain(tail).collect())
                    .collect();
            }
        } else {
            break;
        }
    }
    vec![segments]
}

/// The paths of `text` that start with `root` (followed by `::`), each joined to `base`.
fn rooted(text: &str, root: &str, base: &[String]) -> Vec<Module> {
    let token = format!("{root}::");
    let mut out = Vec::new();
    for (at, _) in text.match_indices(&token) {
        let before = text[..at].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        for tail in paths_after(&text[at + token.len()..]) {
            out.push(base.iter().cloned().chain(tail).collect());
        }
    }
    out
}

/// The longest prefix of `path` that is a file module.
fn file_module(path: &[String], known: &BTreeMap<Module, String>) -> Option<Module> {
    (1..=path.len())
        .rev()
        .map(|k| path[..k].to_vec())
        .find(|m| known.contains_key(m))
}

/// The modules `text` (the file of `module`) names: through `crate::`, `super::` and `self::`
/// paths, and through a module it brought in by name (`use crate::kinds;` then `kinds::gcs::…`).
fn imports(module: &Module, text: &str, known: &BTreeMap<Module, String>) -> BTreeSet<Module> {
    let parent = module[..module.len().saturating_sub(1)].to_vec();
    let mut paths: Vec<Module> = [
        ("crate", Vec::new()),
        ("super", parent),
        ("self", module.clone()),
    ]
    .iter()
    .flat_map(|(root, base)| rooted(text, root, base))
    .collect();
    let aliases: BTreeMap<String, Module> = paths
        .iter()
        .filter(|p| known.contains_key(*p))
        .map(|p| (p.last().cloned().unwrap_or_default(), p.clone()))
        .filter(|(name, _)| !["crate", "super", "self"].contains(&name.as_str()))
        .collect();
    for (name, base) in &aliases {
        paths.extend(rooted(text, name, base));
    }
    paths
        .iter()
        .filter_map(|p| file_module(p, known))
        .filter(|m| m != module)
        .collect()
}

/// The strongly connected components of more than one module (Tarjan's algorithm).
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on: BTreeSet<&'a Module>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        for w in &s.graph[v] {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                component.push(w.join("/"));
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.found
}

#[test]
fn the_cores_modules_import_one_another_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let known = modules(&src);
    let graph: BTreeMap<Module, BTreeSet<Module>> = known
        .iter()
        .map(|(m, text)| (m.clone(), imports(m, text, &known)))
        .collect();
    // The reading itself works: a kind's module is seen using the mechanisms it uses.
    let database = ["kinds", "database"].map(String::from).to_vec();
    for mechanism in ["handoff", "paste", "validate"] {
        assert!(
            graph[&database].contains(&vec![mechanism.to_string()]),
            "kinds/database uses {mechanism}: {:?}",
            graph[&database]
        );
    }
    assert_eq!(cycles(&graph), Vec::<Vec<String>>::new());
}

#[test]
fn a_cycle_is_found_where_there_is_one() {
    let m = |p: &str| -> Module { p.split('/').map(String::from).collect() };
    let graph: BTreeMap<Module, BTreeSet<Module>> = [
        (m("kinds"), [m("handoff")].into()),
        (m("handoff"), [m("kinds/gcs")].into()),
        (m("kinds/gcs"), [m("kinds")].into()),
        (m("vault"), BTreeSet::new()),
    ]
    .into();
    assert_eq!(cycles(&graph), vec![vec!["handoff", "kinds", "kinds/gcs"]]);
}
