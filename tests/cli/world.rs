//! The world gazetteer from the command line: import, index files, batch
//! geocoding, reverse lookup and prefix search.

use crate::util::{repo, stderr, stdout, Env};
use serde_json::Value;

fn fixture() -> std::path::PathBuf {
    repo().join("tests/fixtures/geonames/KP-sample.txt")
}

fn jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

mod import {
    use super::*;

    #[test]
    fn geonames_quirks_and_bad_rows() {
        let env = Env::new();
        let out = env
            .cmd()
            .args(["gazetteer", "import"])
            .arg(fixture())
            .args(["--index", "kp.rmidx"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "bad rows make the exit code 1");
        let err = stderr(&out);
        for want in [
            "KP-sample.txt:4: column latitude: \"abc\" is not a number",
            "KP-sample.txt:6: expected 19 tab-separated GeoNames columns, found 5",
            "KP-sample.txt:7: column latitude: latitude 95 is out of range -90..90",
            "4 places indexed, 3 malformed rows skipped",
        ] {
            assert!(err.contains(want), "missing {want:?} in:\n{err}");
        }
        assert!(env.path("kp.rmidx").exists());

        // The index loads with --gazetteer and answers in every script; the
        // BOM, CRLF and empty fields did not leak into the values.
        let out = env
            .cmd()
            .args(["--gazetteer", "kp.rmidx", "geocode", "--json"])
            .args(["Chongjin", "함흥", "Пхеньян", "Najin", "\"Ryugyong\""])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let rows = jsonl(&stdout(&out));
        let got: Vec<(&str, &str)> = rows
            .iter()
            .map(|v| {
                (
                    v["source"].as_str().unwrap(),
                    v["gazetteer"].as_str().unwrap(),
                )
            })
            .collect();
        for (i, id) in ["2044757", "1877449", "1871859", "2042645", "1871859"]
            .iter()
            .enumerate()
        {
            assert_eq!(got[i].0, format!("geonames:{id}"));
            assert!(got[i].1.starts_with("index:"), "{:?}", got[i]);
        }
        assert_eq!(rows[1]["name"], "Hamhŭng");
        assert_eq!(rows[1]["lat"], 39.91833);
        assert_eq!(rows[1]["lon"], 127.53639);
        assert_eq!(rows[2]["capital"], true);
        assert_eq!(rows[3]["population"], 0);
        assert_eq!(rows[0]["kind"], "city");
    }

    #[test]
    fn alternate_names_file_adds_names() {
        let env = Env::new();
        // alternateNamesV2 layout: id, geonameid, language, name, flags…;
        // links are skipped.
        env.write(
            "alternateNamesV2.txt",
            "1\t2042645\tde\tRadschin\t\t\t\t\t\t\n\
             2\t2042645\tlink\thttps://en.wikipedia.org/wiki/Rajin\t\t\t\t\t\t\n",
        );
        let out = env
            .cmd()
            .args(["gazetteer", "import"])
            .arg(fixture())
            .args([
                "--alternate-names",
                "alternateNamesV2.txt",
                "--index",
                "kp.rmidx",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let out = env
            .cmd()
            .args(["--gazetteer", "kp.rmidx", "geocode", "--json", "Radschin"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let v = &jsonl(&stdout(&out))[0];
        assert_eq!(v["source"], "geonames:2042645");
        assert_eq!(v["matched_name"], "Radschin");
        let out = env
            .cmd()
            .args(["--gazetteer", "kp.rmidx", "gazetteer", "search"])
            .arg("https://en.wikipedia.org/wiki/Rajin")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "links are not names");
    }

    #[test]
    fn strict_stops_at_the_first_bad_row_and_writes_nothing() {
        let env = Env::new();
        let out = env
            .cmd()
            .args(["gazetteer", "import", "--strict"])
            .arg(fixture())
            .args(["--index", "kp.rmidx"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("KP-sample.txt:4: column latitude"));
        assert!(!env.path("kp.rmidx").exists());
        assert_eq!(env.files(), Vec::<String>::new(), "no temporary files left");
    }

    #[test]
    fn tsv_csv_and_geojson() {
        let env = Env::new();
        env.write(
            "mine.csv",
            "name,alt_names,lat,lon,kind,country\nDacha,Дача,43.1,131.9,landmark,RU\n",
        );
        env.write(
            "mine.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature",
              "geometry":{"type":"Point","coordinates":[131.9,43.1]},
              "properties":{"name":"Dacha"}}]}"#,
        );
        env.write(
            "mine.tsv",
            "name\tlat\tlon\nDacha\t43.1\t131.9\nBad\tx\t1\n",
        );
        for (file, code) in [("mine.csv", 0), ("mine.geojson", 0), ("mine.tsv", 1)] {
            let out = env
                .cmd()
                .args(["gazetteer", "import", file, "--index", "out.rmidx"])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(code), "{file}: {}", stderr(&out));
            let out = env
                .cmd()
                .args(["--gazetteer", "out.rmidx", "geocode", "--json", "dacha"])
                .output()
                .unwrap();
            let v = &jsonl(&stdout(&out))[0];
            assert_eq!(v["lat"], 43.1, "{file}");
        }
    }

    #[test]
    fn a_file_that_is_no_gazetteer() {
        let env = Env::new();
        env.write("notes.txt", "just some text\n");
        let out = env
            .cmd()
            .args(["gazetteer", "import", "notes.txt", "--index", "x.rmidx"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("cannot tell the format"),
            "{}",
            stderr(&out)
        );
        assert!(!env.path("x.rmidx").exists());
    }
}

mod batch {
    use super::*;

    #[test]
    fn one_row_per_input_line_in_order_and_exit_code() {
        let env = Env::new();
        let out = env
            .cmd()
            .args(["geocode", "--batch", "--format", "jsonl"])
            .write_stdin("Pyongyang\nQqxxzzqq\n\nТокио\r\nSpringfield\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "two rows failed");
        let rows = jsonl(&stdout(&out));
        assert_eq!(rows.len(), 5);
        for (i, v) in rows.iter().enumerate() {
            assert_eq!(v["row"], i + 1);
        }
        assert_eq!(rows[0]["country"], "KP");
        assert_eq!(rows[1]["resolved"], false);
        assert!(rows[1]["error"].as_str().unwrap().contains("unknown place"));
        assert_eq!(rows[2]["resolved"], false, "an empty line is a failed row");
        assert_eq!(rows[3]["country"], "JP");
        assert_eq!(rows[4]["ambiguous"], true);
        assert!(rows[4]["score"].as_f64().unwrap() > 0.9);

        let out = env
            .cmd()
            .args(["geocode", "--batch", "--json"])
            .write_stdin("Seoul\nTokyo\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
    }

    #[test]
    fn large_batches_keep_the_input_order() {
        // Enough rows to be shared among threads.
        let names = ["Seoul", "Tokyo", "Qqxxzzqq", "Пхеньян"];
        let input: String = (0..1200).map(|i| format!("{}\n", names[i % 4])).collect();
        let env = Env::new();
        let out = env
            .cmd()
            .args(["geocode", "--batch", "--format", "jsonl"])
            .write_stdin(input)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let rows = jsonl(&stdout(&out));
        assert_eq!(rows.len(), 1200);
        for (i, v) in rows.iter().enumerate() {
            assert_eq!(v["row"], i + 1);
            assert_eq!(v["query"], names[i % 4]);
            let want = ["KR", "JP", "", "KP"][i % 4];
            if want.is_empty() {
                assert_eq!(v["resolved"], false);
            } else {
                assert_eq!(v["country"], want, "row {}", i + 1);
            }
        }
    }

    #[test]
    fn csv_column_in_csv_out() {
        let env = Env::new();
        let out = env
            .cmd()
            .args(["geocode", "--batch", "--column", "city", "--format", "csv"])
            .write_stdin("id,city\n1,Wladiwostok\n2,\"Khabarovsk, Russia\"\n3,Qqxxzzqq\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let text = stdout(&out);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(&header[..4], ["row", "query", "status", "name"]);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[0][3], "Vladivostok");
        assert_eq!(&rows[1][1], "Khabarovsk, Russia");
        assert_eq!(&rows[1][6], "RU");
        assert_eq!(&rows[2][2], "unresolved");
    }

    #[test]
    fn unknown_column_is_a_usage_error() {
        let env = Env::new();
        let out = env
            .cmd()
            .args(["geocode", "--batch", "--column", "town"])
            .write_stdin("id,city\n1,Tokyo\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("no column \"town\""),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn reverse_lookup() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "geocode",
            "--reverse",
            "43.81,131.96",
            "--limit",
            "2",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = jsonl(&stdout(&out));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["name"], "Ussuriysk");
    assert!(rows[0]["distance_km"].as_f64().unwrap() < 2.0);
    let out = env
        .cmd()
        .args(["geocode", "--reverse", "95,10"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("latitude 95 is out of range"));
}

#[test]
fn coordinate_stop_is_labelled_near_a_place() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["route", "43.81,131.96", "Khabarovsk", "--geojson", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let stop = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["kind"] == "stop")
        .unwrap();
    assert_eq!(
        stop["properties"]["name"],
        "near Ussuriysk (43.8100, 131.9600)"
    );
    assert_eq!(stop["geometry"]["coordinates"][0], 131.96);
    assert_eq!(stop["geometry"]["coordinates"][1], 43.81);
}

#[test]
fn prefix_search() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["gazetteer", "search", "--prefix", "Ussur", "--limit", "5"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Ussuriysk"), "{}", stdout(&out));
}
