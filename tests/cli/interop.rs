//! GIS interop: GDAL's ogrinfo opens what routemap writes.

use crate::util::{have_tool, stderr, Env};

#[test]
fn ogrinfo_reads_the_seed_route() {
    if !have_tool("ogrinfo", "ogrinfo_reads_the_seed_route") {
        return;
    }
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "route",
            "Pyongyang",
            "Khasan",
            "Vostochny Cosmodrome",
            "-o",
            "kim",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let info = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-q"])
        .arg(env.path("kim.geojson"))
        .output()
        .unwrap();
    assert!(info.status.success(), "ogrinfo failed: {}", stderr(&info));
    let text = String::from_utf8_lossy(&info.stdout);
    let count = |kind: &str| text.matches(&format!("kind (String) = {kind}\n")).count();
    assert_eq!(
        (count("route"), count("leg"), count("stop")),
        (1, 2, 3),
        "{text}"
    );
    assert!(text.contains("LINESTRING ("), "{text}");
    assert!(
        text.contains("POINT (125.75"),
        "stops in lon, lat order: {text}"
    );
}

#[test]
fn ogrinfo_reads_an_antimeridian_route() {
    if !have_tool("ogrinfo", "ogrinfo_reads_an_antimeridian_route") {
        return;
    }
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "route",
            "53.0,158.65",
            "61.22,-149.9",
            "--geojson",
            "x.geojson",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let info = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-q"])
        .arg(env.path("x.geojson"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(text.contains("MULTILINESTRING ("), "{text}");
}
