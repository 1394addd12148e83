//! `routemap extract`, `map --from-text`, `route --from-text`.

use crate::util::{repo, Env};
use serde_json::Value;
use std::path::PathBuf;

fn seeds() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("../shared/seeds"))
        .expect("../shared/seeds beside the repository")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

fn seed(n: &str) -> PathBuf {
    seeds()
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(n))
        .expect("seed article")
}

/// The JSON Lines of `routemap extract ARGS`.
fn mentions(env: &Env, args: &[&str]) -> Vec<Value> {
    let out = env.ok(&[&["extract"], args].concat());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn texts(ms: &[Value]) -> Vec<&str> {
    ms.iter().map(|m| m["text"].as_str().unwrap()).collect()
}

fn place<'a>(ms: &'a [Value], text: &str) -> &'a Value {
    ms.iter()
        .find(|m| m["text"] == text)
        .unwrap_or_else(|| panic!("{text} not found in {:?}", texts(ms)))
}

#[test]
fn seed_offsets_slice_the_text_exactly() {
    let env = Env::new();
    let files = seeds();
    assert_eq!(files.len(), 5);
    let args: Vec<&str> = files.iter().map(|p| p.to_str().unwrap()).collect();
    let ms = mentions(&env, &args);
    for f in &files {
        let text: Vec<char> = std::fs::read_to_string(f).unwrap().chars().collect();
        let mine: Vec<&Value> = ms
            .iter()
            .filter(|m| m["file"] == f.to_str().unwrap())
            .collect();
        assert!(mine.len() >= 5, "{}: {} mentions", f.display(), mine.len());
        for m in mine {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            let slice: String = text[s..e].iter().collect();
            assert_eq!(slice, m["text"].as_str().unwrap());
        }
    }
}

#[test]
fn seed_article_places_are_found_and_people_are_not() {
    let env = Env::new();
    let ms = mentions(&env, &[seed("001").to_str().unwrap()]);
    let names: Vec<&str> = ms.iter().filter_map(|m| m["name"].as_str()).collect();
    for want in [
        "Pyongyang",
        "Khasan",
        "Vostochny Cosmodrome",
        "Russia",
        "North Korea",
        "South Korea",
        "Ukraine",
        "Moscow",
        "Amur Oblast",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    for person in ["Kim", "Putin", "Peskov", "Tass"] {
        assert!(!texts(&ms).contains(&person), "{person} taken as a place");
    }
    // Khasan on the Tumen, not Kazan: GeoNames 2039713 is at 42.43 N 130.65 E.
    let k = place(&ms, "Khasan");
    assert!((k["lat"].as_f64().unwrap() - 42.43).abs() < 0.1);
    assert!((k["lon"].as_f64().unwrap() - 130.65).abs() < 0.1);
}

#[test]
fn seed_journey_in_travel_order() {
    let env = Env::new();
    let out = env.ok(&["extract", "--journey", seed("001").to_str().unwrap()]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Pyongyang\nKhasan\nVostochny Cosmodrome\n"
    );
    let out = env.ok(&["route", "--from-text", seed("001").to_str().unwrap()]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("Pyongyang  Khasan"), "{table}");
    assert!(table.contains("3 stops"), "{table}");
}

#[test]
fn unclear_journey_is_said_not_guessed() {
    let env = Env::new();
    let f = env.write(
        "a.txt",
        "Officials in Tokyo and Osaka met delegates from Seoul.",
    );
    let out = env
        .cmd()
        .args(["route", "--from-text", f.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no clear journey"), "{err}");
}

#[test]
fn people_months_and_organisations_are_not_places() {
    let env = Env::new();
    let f = env.write(
        "a.txt",
        "President Vladimir Putin met Kim Jong Un in May. The New York Times and the \
         Korean Central News Agency reported from Vladivostok. Reading the \
         report, a scholar at the Brussels School of Governance said more.",
    );
    let ms = mentions(&env, &[f.to_str().unwrap()]);
    assert_eq!(texts(&ms), ["Vladivostok"]);
}

#[test]
fn adjectives_only_when_asked() {
    let env = Env::new();
    let f = env.write(
        "a.txt",
        "The North Korean and Russian leaders met in Vladivostok.",
    );
    let plain = mentions(&env, &[f.to_str().unwrap()]);
    assert_eq!(texts(&plain), ["Vladivostok"]);
    let adj = mentions(&env, &["--adjectives", f.to_str().unwrap()]);
    assert_eq!(texts(&adj), ["North Korean", "Russian", "Vladivostok"]);
    assert_eq!(place(&adj, "North Korean")["country"], "KP");
    assert_eq!(place(&adj, "Russian")["country"], "RU");
    assert_eq!(place(&adj, "Russian")["adjective"], true);
}

/// Latitude of the place chosen for `name` in `text`, with the states of
/// the fixture gazetteer.
fn lat_in_context(env: &Env, text: &str, name: &str) -> (f64, String) {
    let f = env.write("ctx.txt", text);
    let states = repo().join("tests/fixtures/extract/us-states.tsv");
    let ms = mentions(
        env,
        &["--gazetteer", states.to_str().unwrap(), f.to_str().unwrap()],
    );
    let m = place(&ms, name);
    (
        m["lat"].as_f64().unwrap(),
        m["country"].as_str().unwrap().to_string(),
    )
}

#[test]
fn context_chooses_the_place_meant() {
    let env = Env::new();
    // Portland, Maine 43.66 N (GeoNames 4975802); Portland, Oregon 45.52 N.
    let (lat, cc) = lat_in_context(
        &env,
        "Ferries leave Portland for the islands of Maine.",
        "Portland",
    );
    assert_eq!(cc, "US");
    assert!((lat - 43.66).abs() < 0.2, "Portland at {lat}");
    // Paris, Texas 33.66 N (GeoNames 4717560); Paris, France 48.85 N.
    let (lat, cc) = lat_in_context(&env, "Paris, Texas, lies near the Red River.", "Paris");
    assert_eq!(cc, "US");
    assert!((lat - 33.66).abs() < 0.2, "Paris at {lat}");
    let (lat, cc) = lat_in_context(&env, "Paris is the capital of France.", "Paris");
    assert_eq!(cc, "FR");
    assert!((lat - 48.85).abs() < 0.2, "Paris at {lat}");
    // Georgia next to Tbilisi is the country (GE), not the US state.
    let f = env.write(
        "g.txt",
        "Protesters gathered in Tbilisi, the capital of Georgia.",
    );
    let ms = mentions(&env, &[f.to_str().unwrap()]);
    assert_eq!(place(&ms, "Georgia")["country"], "GE");
    assert_eq!(place(&ms, "Georgia")["kind"], "country");
}

#[test]
fn html_input_is_read_as_shown() {
    let env = Env::new();
    let f = env.write(
        "page.html",
        "<!DOCTYPE html><html><head><title>Train</title><script>var s='Paris';</script></head>\
         <body><p>The train left <b>Pyongyang</b> &amp; reached&nbsp;Khasan.</p></body></html>",
    );
    let ms = mentions(&env, &[f.to_str().unwrap()]);
    assert_eq!(texts(&ms), ["Pyongyang", "Khasan"]);
    // Offsets into the text shown: "The train left Pyongyang & reached Khasan."
    assert_eq!(place(&ms, "Pyongyang")["start"], 15);
    assert_eq!(place(&ms, "Khasan")["start"], 35);
}

#[test]
fn empty_and_non_utf8_input_are_clear_errors() {
    let env = Env::new();
    let empty = env.write("empty.txt", "  \n");
    let out = env
        .cmd()
        .args(["extract", empty.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("empty.txt: empty input"), "{err}");
    assert_eq!(err.lines().count(), 1);
    let bad = env.path("latin1.txt");
    std::fs::write(&bad, b"Caf\xe9 in Paris\n").unwrap();
    let out = env
        .cmd()
        .args(["extract", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("latin1.txt: not UTF-8 text (invalid byte at offset 3, line 1)"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn formats_and_map_from_text() {
    let env = Env::new();
    let s = seed("001");
    let s = s.to_str().unwrap();
    let out = env.ok(&["extract", "--format", "geojson", s]);
    let fc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let feats = fc["features"].as_array().unwrap();
    // One point per place, most mentioned first.
    let counts: Vec<u64> = feats
        .iter()
        .map(|f| f["properties"]["count"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let out = env.ok(&["extract", "--format", "csv", s]);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("file,start,end,text,name,kind,lat,lon,country,id,source,confidence\n"));
    env.ok(&["map", "--from-text", s, "-o", "places"]);
    assert_eq!(env.files(), ["places.geojson", "places.png"]);
}

#[test]
fn names_of_an_imported_index_are_found() {
    let env = Env::new();
    // A made-up landmark: only the index knows the name.
    let tsv = env.write(
        "mine.tsv",
        "name\tlat\tlon\tkind\tcountry\nQuarry Gate Seven\t42.40\t130.60\tlandmark\tRU\n",
    );
    env.ok(&[
        "gazetteer",
        "import",
        tsv.to_str().unwrap(),
        "--index",
        "mine.rmidx",
    ]);
    let f = env.write(
        "a.txt",
        "The convoy waited at Quarry Gate Seven for an hour.",
    );
    let ms = mentions(&env, &["--gazetteer", "mine.rmidx", f.to_str().unwrap()]);
    assert_eq!(texts(&ms), ["Quarry Gate Seven"]);
    assert_eq!(ms[0]["lat"], 42.4);
}

#[test]
fn a_place_opening_a_longer_name() {
    let env = Env::new();
    // Used alone elsewhere, the name is the place in the name of its
    // police too; a state opening a name is the state ("Minnesota
    // House"); a legislator's party and home town ("D-Plymouth").
    let f = env.write(
        "a.txt",
        "Shots were fired in Columbus on Friday. The Columbus Police Department \
         said no one was hurt. The Minnesota House voted on the bill. Rep. Jane \
         Doe, D-Plymouth, said the Gainesville Sun reported it first.",
    );
    let ms = mentions(&env, &[f.to_str().unwrap()]);
    assert_eq!(
        texts(&ms),
        ["Columbus", "Columbus", "Minnesota", "Plymouth"],
        "{ms:?}"
    );
    assert_eq!(ms[2]["kind"], "region");
}

#[test]
fn a_public_service_called_after_its_town() {
    let env = Env::new();
    // A school, library or chamber of commerce named after the town it
    // serves names that town where the town is named alone too; a
    // university does not.
    let f = env.write(
        "a.txt",
        "Students in Gainesville returned on Monday. Gainesville High School \
         opened a new wing and the Gainesville Public Library extended its \
         hours. Classes at Gainesville University resume next week.",
    );
    let ms = mentions(&env, &[f.to_str().unwrap()]);
    let starts: Vec<u64> = ms.iter().map(|m| m["start"].as_u64().unwrap()).collect();
    assert_eq!(texts(&ms), ["Gainesville"; 3], "{ms:?}");
    assert_eq!(starts, [12, 44, 94], "{ms:?}");
}

#[test]
fn an_article_opening_a_sentence_yields_to_the_name_after_it() {
    let env = Env::new();
    // Not "A New" (a name in the gazetteer) but New Jersey.
    let f = env.write("a.txt", "A New Jersey woman fell ill in May.");
    let ms = mentions(&env, &[f.to_str().unwrap()]);
    assert_eq!(texts(&ms), ["New Jersey"], "{ms:?}");
    assert_eq!(ms[0]["start"], 2);
    assert_eq!(ms[0]["end"], 12);
}

#[test]
fn streets_people_and_common_words_of_local_news() {
    let env = Env::new();
    let ms = |text: &str| {
        let f = env.write("local.txt", text);
        mentions(&env, &[f.to_str().unwrap()])
    };
    // A street is a place named by its form, reported without a point.
    let found = ms("Police closed Clinton Street after the fire on Main St. in Alexandria.");
    assert_eq!(
        texts(&found),
        ["Clinton Street", "Main St.", "Alexandria"],
        "{found:?}"
    );
    assert!(place(&found, "Clinton Street")["lat"].is_null());
    // A name given an age is a person throughout (Keith is also a town in
    // Scotland).
    let found = ms("Keith, 51, of Blue Springs, was charged on Monday. Keith pleaded guilty.");
    assert_eq!(texts(&found), ["Blue Springs"], "{found:?}");
    // A word the text also writes in lower case is that word (Section,
    // Alabama); a name before "&" is a firm.
    let found = ms("The Section 2AA title went to Delano. The section has eight teams.");
    assert_eq!(texts(&found), ["Delano"], "{found:?}");
    // A name before "virus" or "fever" is a disease, there and alone (the
    // Ebola is a river of Congo).
    let found = ms("The Ebola virus killed dozens near Kikwit. Ebola spreads fast.");
    assert_eq!(texts(&found), ["Kikwit"], "{found:?}");
    let found = ms("The city paid Stevens & Wilkinson for the design of the hotel in Columbia.");
    assert_eq!(texts(&found), ["Columbia"], "{found:?}");
    // "in Ozark" says place: so is the name in "Ozark police" and "Ozark
    // Dodge" (Ozark, Missouri, 37.02 N, GeoNames 4402245).
    let found = ms(
        "Ozark police cordoned off Ozark Dodge on Monday. The shooting in Ozark \
         was the first this year.",
    );
    assert_eq!(texts(&found), ["Ozark", "Ozark", "Ozark"], "{found:?}");
    assert!((found[2]["lat"].as_f64().unwrap() - 37.02).abs() < 0.1);
}

#[test]
fn a_county_without_its_word_needs_its_state_in_the_text() {
    let env = Env::new();
    let ms = |text: &str| {
        let f = env.write("county.txt", text);
        mentions(&env, &[f.to_str().unwrap()])
    };
    // Kanawha County, West Virginia (38.3 N), beside Charleston, W.Va.
    let found = ms("Schools in Kanawha closed on Monday, and Charleston cleared the debris.");
    assert_eq!(place(&found, "Kanawha")["kind"], "county", "{found:?}");
    assert!((place(&found, "Kanawha")["lat"].as_f64().unwrap() - 38.3).abs() < 0.2);
    // Chambers County, Alabama is no reading of a man's name.
    let found = ms(
        "Ray Chambers, a special envoy, said the funds will be given. \
         A statement from Chambers followed.",
    );
    assert!(found.is_empty(), "{found:?}");
    // Nor is Būsh in Egypt one of George Bush, after a title.
    let found = ms("President George Bush met Mayor Smith in Columbus. Later Bush flew to Dayton.");
    assert_eq!(texts(&found), ["Columbus", "Dayton"], "{found:?}");
}

#[test]
fn a_country_is_not_a_town_of_its_name_for_being_near_others() {
    let env = Env::new();
    // Mexico, Missouri and Mexico, New York are towns; with US states
    // around it and no "Mexico, Mo." the name is the country.
    let f = env.write(
        "a.txt",
        "Flu cases rose in Mexico, and in Texas, California and New York.",
    );
    let ms = mentions(&env, &[f.to_str().unwrap()]);
    assert_eq!(place(&ms, "Mexico")["country"], "MX");
    assert_eq!(place(&ms, "Mexico")["kind"], "country");
}

#[test]
fn explain_says_why_a_name_was_set_aside() {
    let env = Env::new();
    let f = env.write(
        "a.txt",
        "President Putin met Kim Jong Un in May in Vladivostok.",
    );
    let out = env.ok(&["extract", "--explain", f.to_str().unwrap()]);
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let why = |text: &str| {
        lines
            .iter()
            .find(|m| m["text"] == text)
            .and_then(|m| m["rejected"].as_str())
            .map(str::to_string)
    };
    assert_eq!(why("Kim").as_deref(), Some("Person"));
    assert_eq!(why("May").as_deref(), Some("Calendar"));
    assert_eq!(why("Vladivostok"), None);
    // The places themselves are listed as without --explain.
    assert_eq!(
        texts(&mentions(&env, &[f.to_str().unwrap()])),
        ["Vladivostok"]
    );
}

#[test]
fn map_from_text_sizes_markers_by_mentions() {
    let env = Env::new();
    let f = env.write(
        "a.txt",
        "Tokyo woke to snow. Trains out of Tokyo were late, and flights from \
         Tokyo to Sapporo were cancelled. Osaka was spared. Tokyo and Osaka \
         expect more tomorrow.",
    );
    env.ok(&["map", "--from-text", f.to_str().unwrap(), "--svg", "m.svg"]);
    let svg = std::fs::read_to_string(env.path("m.svg")).unwrap();
    let markers = svg
        .split("<g id=\"markers\">")
        .nth(1)
        .and_then(|s| s.split("</g>").next())
        .expect("a markers group");
    let radii: Vec<f64> = markers
        .split(" r=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().parse().unwrap())
        .collect();
    // Tokyo (4 mentions), Osaka (2), Sapporo (1): area in proportion, most
    // mentioned first.
    assert_eq!(radii.len(), 3, "{markers}");
    assert!((radii[0] / radii[2] - 2.0).abs() < 0.05, "{radii:?}");
    assert!(
        (radii[1] / radii[2] - 2f64.sqrt()).abs() < 0.05,
        "{radii:?}"
    );
}
