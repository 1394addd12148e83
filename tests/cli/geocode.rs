//! `routemap geocode`: every spelling of every curated place, typos, JSON.

use crate::util::{repo, stderr, stdout, Env};
use routemap::gazetteer::fold;
use serde_json::Value;
use std::collections::HashMap;

/// (id, name, every name) for each row of the curated gazetteer, read
/// straight from the TSV rather than through the library.
fn curated_rows() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(repo().join("gazetteer/places.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let mut names = vec![f[1].to_string()];
            names.extend(
                f[2].split('|')
                    .filter(|s| !s.trim().is_empty())
                    .map(String::from),
            );
            (f[0].to_string(), names)
        })
        .collect()
}

fn batch(env: &Env, names: &[String], extra: &[&str]) -> (Vec<Value>, std::process::Output) {
    let out = env
        .cmd()
        .args(["geocode", "--batch", "--json"])
        .args(extra)
        .write_stdin(names.join("\n") + "\n")
        .output()
        .unwrap();
    let rows = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (rows, out)
}

#[test]
fn every_spelling_of_every_curated_place_resolves_to_it() {
    let rows = curated_rows();
    // Which rows carry each folded name: a name two rows share may go to either.
    let mut owners: HashMap<String, Vec<String>> = HashMap::new();
    for (id, names) in &rows {
        for n in names {
            owners.entry(fold(n)).or_default().push(id.clone());
        }
    }
    let queries: Vec<(String, String)> = rows
        .iter()
        .flat_map(|(id, names)| names.iter().map(move |n| (id.clone(), n.clone())))
        .collect();
    let env = Env::new();
    let names: Vec<String> = queries.iter().map(|(_, n)| n.clone()).collect();
    let (results, out) = batch(&env, &names, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(results.len(), queries.len());
    let id_of: HashMap<String, String> = rows
        .iter()
        .map(|(id, names)| (names[0].clone(), id.clone()))
        .collect();
    let mut wrong = Vec::new();
    for ((id, name), r) in queries.iter().zip(&results) {
        assert_eq!(r["query"], name.as_str());
        let got = id_of
            .get(r["name"].as_str().unwrap())
            .cloned()
            .unwrap_or_default();
        let allowed = &owners[&fold(name)];
        if !allowed.contains(&got) {
            wrong.push(format!("{name:?} (row {id}) -> {got}"));
        }
        assert!(r["score"].as_f64().unwrap() >= 0.9, "{name}: {r}");
    }
    assert!(
        wrong.is_empty(),
        "names resolving to another place: {wrong:#?}"
    );
}

/// A one-letter substitution in the middle of a name.
fn typo(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let i = chars.len() / 2;
    let replacement = if chars[i] == 'x' { 'q' } else { 'x' };
    chars
        .iter()
        .enumerate()
        .map(|(j, &c)| if j == i { replacement } else { c })
        .collect()
}

#[test]
fn seed_places_survive_a_one_letter_typo() {
    let seed = [
        ("Pyongyang", "Pyongyang"),
        ("Vladivostok", "Vladivostok"),
        ("Khabarovsk", "Khabarovsk"),
        ("Ussuriysk", "Ussuriysk"),
        ("Tsiolkovsky", "Tsiolkovsky"),
        ("Tumangang", "Tumangang"),
        ("Vostochny Cosmodrome", "Vostochny Cosmodrome"),
        ("Belogorsk", "Belogorsk"),
        ("Tallinn", "Tallinn"),
        ("Brussels", "Brussels"),
        ("Fangchuan", "Fangchuan"),
    ];
    let env = Env::new();
    let names: Vec<String> = seed.iter().map(|(q, _)| typo(q)).collect();
    let (results, out) = batch(&env, &names, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    for ((_, expected), r) in seed.iter().zip(&results) {
        assert_eq!(r["name"], *expected, "{r}");
        assert_eq!(r["match"], "fuzzy");
        assert!(r["score"].as_f64().unwrap() < 0.9);
    }
}

#[test]
fn json_has_the_contract_fields() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["geocode", "--json", "Wladiwostok"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    for key in [
        "query",
        "name",
        "lat",
        "lon",
        "country",
        "kind",
        "score",
        "source",
        "alternatives",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    assert_eq!(v["name"], "Vladivostok");
    assert_eq!(v["country"], "RU");
    // GeoNames 2013348 Vladivostok: 43.10562, 131.87353.
    assert!((v["lat"].as_f64().unwrap() - 43.10562).abs() < 0.01);
    assert!((v["lon"].as_f64().unwrap() - 131.87353).abs() < 0.01);
}

#[test]
fn country_qualifier_and_flag() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["geocode", "--json", "Khasan, Russia", "Khasan, RU"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for line in stdout(&out).lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["country"], "RU");
    }
    let out = env
        .cmd()
        .args(["geocode", "--country", "JP", "Pyongyang"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "no Pyongyang in Japan");
}

#[test]
fn unresolved_name_exits_one_and_suggests() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["geocode", "Seoul", "Vladivostokskaya Gavan"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("Seoul"),
        "resolved names are still printed"
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("unknown place \"Vladivostokskaya Gavan\""),
        "{err}"
    );
}

#[test]
fn suggestions_name_close_places() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["geocode", "Ussurisky Krai"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("did you mean"), "{}", stderr(&out));
}

#[test]
fn coordinates_pass_through() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["geocode", "--json", "42.43,130.64"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["lat"], 42.43);
    assert_eq!(v["lon"], 130.64);
    assert_eq!(v["kind"], "point");
}

/// Places of the news: how each matched is said, with the area's box.
#[test]
fn news_places_say_how_they_matched() {
    let env = Env::new();
    let names: Vec<String> = [
        "Springfield, IL",
        "Russia",
        "Russian",
        "Vladivostk",
        "Vladiwostk",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (rows, out) = batch(&env, &names, &[]);
    // One name (two edits) is refused: exit 1, every row answered.
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["match"], "qualified");
    assert_eq!(rows[0]["admin1"], "Illinois");
    assert_eq!(rows[1]["kind"], "country");
    assert_eq!(rows[1]["match"], "exact");
    // Russia spans the antimeridian: its box has west > east.
    let b: Vec<f64> = rows[1]["bbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(b[0] > b[2] && b[1] < 42.0 && b[3] > 77.0, "{b:?}");
    assert_eq!(rows[2]["match"], "alternate");
    assert_eq!(rows[3]["match"], "fuzzy");
    assert_eq!(rows[4]["resolved"], false);
}
