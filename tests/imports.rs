//! No module imports a module that imports it back, in the core and in the Python binding.
//!
//! Each `.rs` file under a crate's `src/` is a module; it uses another when its code names
//! a path into it: `crate::a::b::Item`, `crate::a::{b::Item, c}`, or, from a parent, a
//! child's `child::item`. A path counts for the longest module it names, so a child using
//! `crate::parent::sibling` uses the sibling, not the parent. `mod child;` is a declaration,
//! not a use, and comments do not count. The graph must have no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`""` for the crate root, `"plan::read"`) to the module's code.
type Sources = BTreeMap<String, String>;

fn sources_of(src: &Path) -> Sources {
    let mut files = Vec::new();
    collect_rs(src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(src).unwrap().with_extension("");
            let mut parts: Vec<String> = relative
                .iter()
                .map(|part| part.to_str().unwrap().to_owned())
                .collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            (parts.join("::"), std::fs::read_to_string(&file).unwrap())
        })
        .collect()
}

fn collect_rs(folder: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rs(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

fn without_comments(code: &str) -> String {
    code.lines()
        .map(|line| line.split("//").next().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The full paths of a use tree starting at `rest`: `a::b::{c, d::e}` gives `a::b::c`
/// and `a::b::d::e`; returns them with the text after the tree.
fn use_tree<'a>(prefix: &[String], rest: &'a str) -> (Vec<Vec<String>>, &'a str) {
    let mut path = prefix.to_vec();
    let mut rest = rest;
    loop {
        rest = rest.trim_start();
        if let Some(mut group) = rest.strip_prefix('{') {
            let mut paths = Vec::new();
            loop {
                group = group.trim_start();
                if let Some(after) = group.strip_prefix('}') {
                    return (paths, after);
                }
                let (inner, after) = use_tree(&path, group);
                paths.extend(inner);
                group = after.trim_start();
                group = group.strip_prefix(',').unwrap_or(group);
            }
        }
        let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        if end == 0 {
            return (vec![path], rest);
        }
        path.push(rest[..end].to_owned());
        rest = &rest[end..];
        match rest.strip_prefix("::") {
            Some(after) => rest = after,
            None => return (vec![path], rest),
        }
    }
}

/// The modules `module` uses.
fn uses(module: &str, code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let code = without_comments(code);
    let own: Vec<String> = module
        .split("::")
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    let children: BTreeSet<&str> = modules
        .iter()
        .filter_map(|m| m.strip_prefix(module))
        .filter_map(|m| {
            if module.is_empty() {
                Some(m)
            } else {
                m.strip_prefix("::")
            }
        })
        .filter(|m| !m.is_empty() && !m.contains("::"))
        .collect();
    let mut paths = Vec::new();
    let mut index = 0;
    while index < code.len() {
        let rest = &code[index..];
        let starts_path = index == 0 || {
            let before = code[..index].chars().next_back().unwrap();
            !is_ident(before) && before != ':'
        };
        let word_end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        let word = &rest[..word_end];
        if starts_path && word_end > 0 && rest[word_end..].starts_with("::") {
            let prefix = match word {
                "crate" => Some(Vec::new()),
                _ if children.contains(word) => Some(own.clone()),
                _ => None,
            };
            if let Some(prefix) = prefix {
                let start = if word == "crate" {
                    &rest[word_end + 2..]
                } else {
                    rest
                };
                let (found, after) = use_tree(&prefix, start);
                paths.extend(found);
                index = code.len() - after.len();
                continue;
            }
        }
        index += word_end.max(rest.chars().next().map_or(1, char::len_utf8));
    }
    paths
        .into_iter()
        .filter_map(|path| {
            (0..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|candidate| modules.contains(candidate))
        })
        .filter(|target| target != module)
        .collect()
}

/// Every cycle of the graph, each as the modules along it.
fn cycles(sources: &Sources) -> Vec<Vec<String>> {
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    let graph: BTreeMap<&str, BTreeSet<String>> = sources
        .iter()
        .map(|(module, code)| (module.as_str(), uses(module, code, &modules)))
        .collect();
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for start in graph.keys() {
        let mut stack = vec![start.to_string()];
        walk(&graph, &mut stack, &mut done, &mut found);
    }
    found
}

fn walk(
    graph: &BTreeMap<&str, BTreeSet<String>>,
    stack: &mut Vec<String>,
    done: &mut BTreeSet<String>,
    found: &mut Vec<Vec<String>>,
) {
    let current = stack.last().unwrap().clone();
    if done.contains(&current) {
        return;
    }
    for next in &graph[current.as_str()] {
        if let Some(position) = stack.iter().position(|m| m == next) {
            let mut cycle = stack[position..].to_vec();
            cycle.push(next.clone());
            found.push(cycle);
        } else {
            stack.push(next.clone());
            walk(graph, stack, done, found);
            stack.pop();
        }
    }
    done.insert(current);
}

fn root_name(module: &str) -> &str {
    if module.is_empty() { "crate" } else { module }
}

fn assert_acyclic(src: &Path) {
    let sources = sources_of(src);
    assert!(sources.len() > 1, "no modules under {}", src.display());
    let found: Vec<String> = cycles(&sources)
        .iter()
        .map(|cycle| {
            let names: Vec<&str> = cycle.iter().map(|m| root_name(m)).collect();
            names.join(" -> ")
        })
        .collect();
    assert!(
        found.is_empty(),
        "import cycles under {}:\n{}",
        src.display(),
        found.join("\n")
    );
}

#[test]
fn no_module_of_the_core_imports_a_module_that_imports_it_back() {
    assert_acyclic(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
}

#[test]
fn no_module_of_the_python_binding_imports_a_module_that_imports_it_back() {
    assert_acyclic(&Path::new(env!("CARGO_MANIFEST_DIR")).join("bindings/python/src"));
}

fn sources(files: &[(&str, &str)]) -> Sources {
    files
        .iter()
        .map(|(module, code)| ((*module).to_owned(), (*code).to_owned()))
        .collect()
}

#[test]
fn cycles_through_groups_parents_and_children_are_found() {
    let found = cycles(&sources(&[
        ("", "mod plan; mod read; pub use plan::Plan;"),
        (
            "plan",
            "mod read; use crate::plan::read::{self, BodyReader};",
        ),
        (
            "plan::read",
            "use crate::{error::Error, plan::{Body, Plan}};",
        ),
        ("error", "// use crate::plan::Plan;\npub enum Error {}"),
    ]));
    assert_eq!(found, [["plan", "plan::read", "plan"]]);
    let found = cycles(&sources(&[
        ("", ""),
        ("a", "mod b; fn f() { b::g() }"),
        ("a::b", "fn g() { crate::a::h() }"),
    ]));
    assert_eq!(found, [["a", "a::b", "a"]]);
}

#[test]
fn siblings_under_one_parent_and_the_root_are_no_cycle() {
    let found = cycles(&sources(&[
        ("", "mod backends; pub use backends::plan;"),
        (
            "backends",
            "mod served; mod url; fn plan() { served::plan() }",
        ),
        (
            "backends::served",
            "use crate::backends::url::url_of; use std::fs::File;",
        ),
        ("backends::url", "pub fn url_of() {}"),
    ]));
    assert!(found.is_empty(), "{found:?}");
}
