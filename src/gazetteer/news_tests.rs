//! The places of the news: countries, regions, counties and natural
//! features of the world gazetteer, qualified names and the ranking between
//! kinds. Expected points and boxes are published facts (GeoNames ids and
//! coordinates, Natural Earth polygons in `../shared/data/naturalearth/`,
//! the published extents of states and lakes), never this code's output.

use super::*;
use geo::{Contains, Distance, Geodesic, Point};

fn builtin() -> Gazetteer {
    Gazetteer::builtin().unwrap()
}

fn at(q: &str) -> Resolution {
    builtin()
        .resolve(q, &ResolveOptions::default())
        .unwrap_or_else(|e| panic!("{q}: {e}"))
}

fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    // (lat, lon) pairs, as people write them.
    Geodesic.distance(Point::new(a.1, a.0), Point::new(b.1, b.0)) / 1000.0
}

fn inside(p: &Place, [w, s, e, n]: [f64; 4]) -> bool {
    (s..=n).contains(&p.lat()) && (w..=e).contains(&p.lon())
}

mod kinds {
    use super::*;

    /// Each kind of place resolves to a point inside its area: boxes are
    /// the published extents (west, south, east, north).
    #[test]
    fn areas_resolve_inside_their_published_extent() {
        for (q, kind, bbox) in [
            ("Texas", PlaceKind::Region, [-106.65, 25.84, -93.51, 36.5]),
            (
                "Illinois",
                PlaceKind::Region,
                [-91.51, 36.97, -87.49, 42.51],
            ),
            ("Ohio", PlaceKind::Region, [-84.82, 38.4, -80.52, 41.98]),
            ("Hokkaido", PlaceKind::Region, [139.3, 41.35, 145.82, 45.56]),
            ("Crimea", PlaceKind::Region, [32.48, 44.38, 36.65, 46.23]),
            (
                "Lake Baikal",
                PlaceKind::Lake,
                [103.7, 51.45, 109.95, 55.78],
            ),
            ("Sea of Japan", PlaceKind::Sea, [127.0, 33.5, 142.0, 52.0]),
            ("Siberia", PlaceKind::Area, [60.0, 45.0, 180.0, 78.0]),
            ("Sahara", PlaceKind::Desert, [-17.0, 15.0, 39.0, 34.0]),
            ("Europe", PlaceKind::Continent, [-25.0, 34.0, 60.0, 72.0]),
            ("Amur River", PlaceKind::River, [120.0, 46.0, 141.5, 54.0]),
            // Regions that their countries split into divisions named by
            // the compass (North, South, West… Darfur; North
            // and South Kordofan; Western, Central and Eastern Visayas):
            // published extents of Darfur (Sudan's five Darfur states), of
            // Kordofan (Sudan) and of the Visayas (Philippines).
            ("Darfur", PlaceKind::Area, [21.8, 8.6, 27.9, 20.1]),
            ("Kordofan", PlaceKind::Area, [26.5, 9.3, 32.6, 16.6]),
            // Regions of the UN geoscheme, by the shorter names news uses:
            // the published extents of West Africa (Cape Verde to Niger and
            // Nigeria) and of Southeast Asia (Myanmar to Timor-Leste).
            ("West Africa", PlaceKind::Area, [-25.4, 4.0, 16.0, 27.3]),
            (
                "Southeast Asia",
                PlaceKind::Area,
                [92.0, -11.0, 141.0, 28.6],
            ),
            ("Visayas", PlaceKind::Area, [121.7, 9.0, 126.2, 13.0]),
        ] {
            let r = at(q);
            let p = r.place();
            assert_eq!(p.kind(), kind, "{q}: {p:?}");
            assert!(inside(p, bbox), "{q} at {}, {}", p.lat(), p.lon());
            if kind != PlaceKind::River {
                let [w, s, e, n] = p.bbox().unwrap_or_else(|| panic!("{q} has a box"));
                assert!(
                    s <= p.lat() && p.lat() <= n && w <= p.lon() && p.lon() <= e,
                    "{q}"
                );
            }
        }
    }

    /// An ocean that Natural Earth splits into a north and a south part is
    /// one place by its short name, placed between its halves: the Pacific
    /// (from about 120° E across the antimeridian to 70° W) and the
    /// Atlantic (80° W to 20° E) both span the equator.
    #[test]
    fn oceans_are_whole() {
        for (q, name, in_ocean) in [
            (
                "Pacific",
                "Pacific Ocean",
                (|lon: f64| !(-70.0..120.0).contains(&lon)) as fn(f64) -> bool,
            ),
            ("Atlantic", "Atlantic Ocean", |lon: f64| {
                (-80.0..20.0).contains(&lon)
            }),
        ] {
            let r = at(q);
            let p = r.place();
            assert_eq!((p.name(), p.kind()), (name, PlaceKind::Sea), "{q}");
            assert!(in_ocean(p.lon()) && p.lat().abs() < 30.0, "{q}: {p:?}");
            let [_, s, _, n] = p.bbox().unwrap();
            assert!(s < -50.0 && n > 50.0, "{q}: {s} {n}");
        }
    }

    /// Areas of disputed sovereignty resolve to Natural Earth's label
    /// point, near their main towns: Tskhinvali (GeoNames 611403, 42.22764
    /// N, 43.96861 E) for South Ossetia, Stepanakert (Khankendi, 146970,
    /// 39.8177 N, 46.7528 E) for Nagorno-Karabakh. `Kashmir` is the Vale of Kashmir,
    /// around Srinagar (1255634, 34.08565 N, 74.80555 E), not Cashmere,
    /// Washington, which GeoNames also calls so.
    #[test]
    fn disputed_areas_and_the_vale_of_kashmir() {
        for (q, town, within) in [
            ("South Ossetia", (42.22764, 43.96861), 40.0),
            ("Nagorno-Karabakh", (39.8177, 46.7528), 60.0),
            ("Kashmir", (34.08565, 74.80555), 150.0),
        ] {
            let r = at(q);
            let p = r.place();
            assert_eq!(p.kind(), PlaceKind::Area, "{q}: {p:?}");
            assert!(km((p.lat(), p.lon()), town) < within, "{q}: {p:?}");
        }
        // Its demonym (the demonym table of ../shared/data/demonyms) is a
        // name of it, not a typo of its name.
        let r = at("South Ossetian");
        assert_eq!(r.place().name(), "South Ossetia");
        assert_eq!(r.best.match_label(), "alternate");
    }

    #[test]
    fn peaks_airports_and_counties() {
        // Mount Everest: 27.9881 N, 86.9250 E (the published summit).
        let everest = at("Mount Everest");
        assert_eq!(everest.place().kind(), PlaceKind::Mountain);
        assert!(
            km(
                (everest.place().lat(), everest.place().lon()),
                (27.9881, 86.925)
            ) < 5.0
        );
        // Los Angeles International Airport, by its IATA code: 33.9425 N,
        // 118.4081 W.
        let lax = at("LAX airport");
        assert_eq!(lax.place().kind(), PlaceKind::Airport);
        assert!(km((lax.place().lat(), lax.place().lon()), (33.9425, -118.4081)) < 3.0);
        // Sangamon County, Illinois: its seat Springfield is GeoNames
        // 4250542 (39.80172 N, 89.64371 W); the county is 30 km across.
        let county = at("Sangamon County");
        assert_eq!(county.place().kind(), PlaceKind::County);
        assert_eq!(county.place().admin1(), "Illinois");
        assert!(
            km(
                (county.place().lat(), county.place().lon()),
                (39.80172, -89.64371)
            ) < 30.0
        );
        assert_eq!(at("Rapides Parish").place().kind(), PlaceKind::County);
    }

    /// A country resolves to a point inside it, not to its capital.
    #[test]
    fn countries_resolve_to_a_point_inside_not_the_capital() {
        for (q, capital, min_km) in [
            ("Russia", (55.75222, 37.61556), 1000.0), // Moscow, GeoNames 524901
            ("United States", (38.89511, -77.03637), 800.0), // Washington, 4140963
            ("Canada", (45.41117, -75.69812), 800.0), // Ottawa, 6094817
            ("Australia", (-35.28346, 149.12807), 800.0), // Canberra, 2172517
        ] {
            let p = at(q).best.place;
            assert_eq!(p.kind(), PlaceKind::Country, "{q}");
            assert!(
                km((p.lat(), p.lon()), capital) > min_km,
                "{q} is at its capital"
            );
        }
    }

    /// Every country with a Natural Earth polygon resolves to a point inside
    /// that polygon.
    #[test]
    fn country_points_lie_in_their_natural_earth_polygon() {
        let Some(countries) = natural_earth_countries() else {
            return;
        };
        let w = Gazetteer::world_index().unwrap();
        let mut checked = 0;
        for i in 0..w.len() as u32 {
            if w.summary(i).is_none_or(|(k, _, _)| k != PlaceKind::Country) {
                continue;
            }
            let p = w.place(i, false).unwrap();
            let Some((code, shape)) = countries.iter().find(|(c, _)| c == p.country()) else {
                continue;
            };
            // The 1:50m outline is coarse along coasts: allow 0.05°.
            let pt = Point::new(p.lon(), p.lat());
            let near = shape.contains(&pt)
                || [(-0.05, 0.0), (0.05, 0.0), (0.0, -0.05), (0.0, 0.05)]
                    .iter()
                    .any(|(dx, dy)| shape.contains(&Point::new(p.lon() + dx, p.lat() + dy)));
            assert!(
                near,
                "{code} at {}, {} is outside its polygon",
                p.lat(),
                p.lon()
            );
            checked += 1;
        }
        assert!(checked > 200, "only {checked} countries checked");
    }

    /// ISO alpha-2 code -> (multi)polygon, from Natural Earth's 1:50m
    /// countries; `None` (with a note) when the shared data is not beside
    /// the project (it always is in CI).
    fn natural_earth_countries() -> Option<Vec<(String, geo::MultiPolygon)>> {
        use std::io::Read;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/naturalearth/ne_50m_admin_0_countries.geojson.gz");
        let Ok(file) = std::fs::File::open(&path) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{} is missing",
                path.display()
            );
            eprintln!("skipped: {} is missing", path.display());
            return None;
        };
        let mut text = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .unwrap();
        let fc: geojson::FeatureCollection = text.parse().unwrap();
        let mut out = Vec::new();
        for f in fc.features {
            let code = f
                .property("ISO_A2")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            let Some(geom) = f.geometry else { continue };
            if code.len() != 2 {
                continue;
            }
            let shape: geo::Geometry = geom.try_into().unwrap();
            let mp = match shape {
                geo::Geometry::Polygon(p) => geo::MultiPolygon(vec![p]),
                geo::Geometry::MultiPolygon(mp) => mp,
                _ => continue,
            };
            out.push((code, mp));
        }
        Some(out)
    }
}

mod qualified {
    use super::*;

    #[test]
    fn name_comma_region_by_code_abbreviation_and_name() {
        // GeoNames ids: Springfield IL 4250542, Portland OR 5746545,
        // Portland ME 4975802, Paris TX 4717560, London ON 6058560,
        // London GB 2643743, Alexandria LA 4314550, Washington DC 4140963.
        for (q, id) in [
            ("Springfield, IL", "geonames:4250542"),
            ("Springfield, Ill.", "geonames:4250542"),
            ("Springfield, Illinois", "geonames:4250542"),
            ("Springfield, Illinois, US", "geonames:4250542"),
            ("Portland, OR", "geonames:5746545"),
            ("Portland, Maine", "geonames:4975802"),
            ("Paris, Texas", "geonames:4717560"),
            ("London, Ontario", "geonames:6058560"),
            ("London, UK", "geonames:2643743"),
            ("Alexandria, Louisiana", "geonames:4314550"),
        ] {
            let r = at(q);
            assert_eq!(r.place().source(), id, "{q}");
            assert_eq!(r.best.match_label(), "qualified", "{q}");
        }
        // GeoNames spells it so itself: a name, not a qualified one.
        for q in ["Washington, DC", "Washington, D.C."] {
            assert_eq!(at(q).place().source(), "geonames:4140963", "{q}");
        }
    }

    #[test]
    fn a_qualifier_that_matches_nothing_is_an_error_that_says_so() {
        let e = builtin()
            .resolve("Springfield, Narnia", &ResolveOptions::default())
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown qualifier \"Narnia\" in \"Springfield, Narnia\": not a country or first-level region (state, province) that routemap knows"
        );
        // A region that is not in the country named.
        let e = builtin()
            .resolve("Springfield, Ontario, US", &ResolveOptions::default())
            .unwrap_err();
        assert!(e.to_string().contains("\"Ontario\""), "{e}");
    }

    #[test]
    fn a_comma_inside_a_name_is_not_a_qualifier() {
        // "Korea, South" is a name of South Korea (ISO 3166-1 style).
        assert_eq!(at("Korea, South").place().country(), "KR");
    }
}

mod ranking {
    use super::*;

    #[test]
    fn states_and_countries_beat_towns_of_their_name() {
        // Virginia: the US state, not the town in South Africa.
        let r = at("Virginia");
        assert_eq!(r.place().kind(), PlaceKind::Region);
        assert_eq!(r.place().country(), "US");
        // Texas, not Teras (Malaysia); Crimea, not Cremella.
        assert_eq!(at("Texas").place().country(), "US");
        assert_eq!(at("Crimea").place().kind(), PlaceKind::Region);
        // Jersey: the island (JE), not a town.
        assert_eq!(at("Jersey").place().country(), "JE");
        // An abbreviation with full stops is the place that writes it so
        // (AP style: `Ind.` is Indiana; `L.A.` Los Angeles), not the
        // country whose ISO code folds alike (IND India, LA Laos); the
        // codes as written still name the countries.
        assert_eq!(at("Ind.").place().admin1(), "Indiana");
        assert_eq!(at("L.A.").place().name(), "Los Angeles");
        assert_eq!(at("IND").place().kind(), PlaceKind::Country);
        assert_eq!(at("LA").place().country(), "LA");
        // Alaska and Tasmania: the state, not Natural Earth's natural region
        // or island of the same name, and Alaska's point in its interior
        // (north of 60° N: the state spans 51–71° N; Anchorage is at 61.2° N),
        // not on the Alaska Peninsula.
        let alaska = at("Alaska");
        assert_eq!(alaska.place().kind(), PlaceKind::Region);
        assert!(alaska.place().lat() > 60.0, "{}", alaska.place().lat());
        assert_eq!(at("Tasmania").place().kind(), PlaceKind::Region);
        // Victoria: the Australian state, with the capital of the
        // Seychelles (GeoNames 241131) among the alternatives.
        let r = builtin()
            .resolve(
                "Victoria",
                &ResolveOptions {
                    country: None,
                    max_alternatives: 5,
                },
            )
            .unwrap();
        assert_eq!(r.place().country(), "AU");
        assert!(r
            .alternatives
            .iter()
            .any(|c| c.place.source() == "geonames:241131"));
    }

    #[test]
    fn abbreviated_words_are_the_name_spelled_out() {
        // `St. Petersburg` and `St Petersburg` are Saint Petersburg, Russia
        // (GeoNames 498817, 5.4 million people), as `Saint Petersburg` is,
        // not St. Petersburg, Florida (GeoNames 4171563, 260,000), whose
        // primary name happens to be written with the abbreviation.
        for q in ["St. Petersburg", "St Petersburg", "Saint Petersburg"] {
            assert_eq!(at(q).place().source(), "geonames:498817", "{q}");
        }
        // `Ft. Worth` is Fort Worth, Texas (GeoNames 4691930).
        assert_eq!(at("Ft. Worth").place().source(), "geonames:4691930");
        // The Florida city stays among the alternatives.
        assert!(at("St. Petersburg")
            .alternatives
            .iter()
            .any(|c| c.place.source() == "geonames:4171563"));
        // News drops `the` of a country's name (`Democratic Republic of
        // Congo`, ISO 3166-1: "Congo, The Democratic Republic of the").
        assert_eq!(at("Democratic Republic of Congo").place().country(), "CD");
        assert_eq!(at("Republic of Congo").place().country(), "CG");
    }

    #[test]
    fn georgia_is_ambiguous_between_the_country_and_the_state() {
        let r = at("Georgia");
        assert!(r.ambiguous);
        let mut kinds: Vec<_> = std::iter::once(&r.best)
            .chain(&r.alternatives)
            .map(|c| (c.place.kind(), c.place.country().to_string()))
            .collect();
        kinds.truncate(2);
        assert!(
            kinds.contains(&(PlaceKind::Country, "GE".into())),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&(PlaceKind::Region, "US".into())),
            "{kinds:?}"
        );
    }

    #[test]
    fn a_region_named_after_its_main_city_answers_the_city() {
        // Moscow (524901), Tokyo (1850147), Alexandria, Egypt (361058).
        for (q, id) in [
            ("Moscow", "geonames:524901"),
            ("Tokyo", "geonames:1850147"),
            ("Alexandria", "geonames:361058"),
        ] {
            assert_eq!(at(q).place().source(), id, "{q}");
        }
    }

    #[test]
    fn a_region_typed_by_its_own_name_is_not_a_city_of_another_name() {
        // New York State (GeoNames 5128638) is named `New York`; the city
        // (5128581) is `New York City`, with `New York` an alternate name.
        assert_eq!(at("New York").place().source(), "geonames:5128638");
        assert_eq!(at("New York").place().kind(), PlaceKind::Region);
        assert_eq!(at("New York City").place().source(), "geonames:5128581");
    }

    #[test]
    fn a_county_by_its_own_name_beats_a_smaller_town_but_not_its_main_city() {
        // The counties of England that Natural Earth has at the first level:
        // Suffolk (not Suffolk, Virginia: 90,000 people) lies around its
        // county town Ipswich (GeoNames 2646057), Surrey around Guildford
        // (GeoNames 2647793), Cornwall (not Cornwall, Ontario) around Truro
        // (GeoNames 2635412).
        for (q, town) in [
            ("Suffolk", (52.05917, 1.15545)),
            ("Surrey", (51.23536, -0.57427)),
            ("Cornwall", (50.26526, -5.05436)),
        ] {
            let r = at(q);
            assert_eq!(r.place().kind(), PlaceKind::County, "{q}");
            assert_eq!(r.place().country(), "GB", "{q}");
            let d = km((r.place().lat(), r.place().lon()), town);
            assert!(d < 40.0, "{q}: {d} km from its county town");
        }
        // Such a county lies in a first-level region of GeoNames, which
        // qualifies it.
        assert_eq!(at("Suffolk, England").place().kind(), PlaceKind::County);
        // A county named after its city is the city: Glasgow (GeoNames
        // 2648579), Liverpool (2644210).
        assert_eq!(at("Glasgow").place().source(), "geonames:2648579");
        assert_eq!(at("Liverpool").place().source(), "geonames:2644210");
    }

    #[test]
    fn demonyms_name_their_country() {
        assert_eq!(at("Russian").place().country(), "RU");
        assert_eq!(at("Russian").best.match_label(), "alternate");
        // A demonym of the table whose country is a first-level division
        // here names the division: Abkhazia lies within 42.4–43.6° N,
        // 40.0–42.2° E; Scotland is GeoNames 2638360. `Georgian` stays the
        // country's.
        let r = at("Abkhaz");
        assert_eq!(r.place().kind(), PlaceKind::Region);
        let (lat, lon) = (r.place().lat(), r.place().lon());
        assert!(
            (42.4..43.6).contains(&lat) && (40.0..42.2).contains(&lon),
            "{lat},{lon}"
        );
        assert_eq!(at("Scottish").place().source(), "geonames:2638360");
        assert_eq!(at("Georgian").place().kind(), PlaceKind::Country);
    }
}

mod typos {
    use super::*;

    #[test]
    fn one_edit_is_taken_and_reported_as_fuzzy() {
        let r = at("Vladivostk");
        assert_eq!(r.place().source(), "geonames:2013348");
        assert_eq!(r.best.match_label(), "fuzzy");
        assert!(r.best.score >= FUZZY_MIN_SCORE && r.best.score < 0.9);
    }

    /// One name one edit away, of a place written often enough to be
    /// mistyped, is taken: Mauritius (GeoNames 934292), the United Kingdom
    /// (2635167), Dagestan (567293).
    #[test]
    fn a_typo_of_a_prominent_place_is_taken() {
        for (q, id) in [
            ("Mauritious", "geonames:934292"),
            ("Britian", "geonames:2635167"),
            ("Dagestani", "geonames:567293"),
        ] {
            let r = at(q);
            assert_eq!(r.place().source(), id, "{q}");
            assert_eq!(r.best.match_label(), "fuzzy", "{q}");
        }
    }

    /// A name one edit from a small town only is more likely a place the
    /// gazetteer lacks than a typo: `Fort Hood` (the Texas army post) is
    /// not Port Hood, Nova Scotia (GeoNames 6111874, 1 300 people), and
    /// `Harwinton` (a town of Connecticut) not Harrington, Delaware
    /// (4142841, 3 700). Refused, with suggestions.
    #[test]
    fn a_typo_of_a_small_place_is_refused() {
        for q in ["Fort Hood", "Harwinton"] {
            match builtin().resolve(q, &ResolveOptions::default()) {
                Err(Error::UnknownPlace { .. }) => {}
                other => panic!("{q}: {other:?}"),
            }
        }
        assert!(!builtin().suggest("Fort Hood", 3).is_empty());
    }

    /// A name one edit from several names leaves the choice to the user:
    /// `Ushba` (a peak of Georgia) is one edit from Uşak (Turkey, GeoNames
    /// 298299) and from Usha; refused, with both suggested.
    #[test]
    fn a_typo_near_several_names_is_refused_with_them_suggested() {
        match builtin().resolve("Ushba", &ResolveOptions::default()) {
            Err(Error::UnknownPlace { suggestions, .. }) => {
                assert!(suggestions.len() >= 2, "{suggestions:?}");
                assert!(
                    suggestions.iter().any(|s| fold(s) == "usak"),
                    "{suggestions:?}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn two_edits_are_refused_with_suggestions() {
        // Two edits from Vladivostok (score 0.65 < FUZZY_MIN_SCORE).
        match builtin().resolve("Vladiwostk", &ResolveOptions::default()) {
            Err(Error::UnknownPlace { suggestions, .. }) => {
                assert!(
                    suggestions.iter().any(|s| fold(s) == "vladivostok"),
                    "{suggestions:?}"
                )
            }
            other => panic!("{other:?}"),
        }
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// The world index's places that are not settlements.
    fn news_places() -> &'static [u32] {
        static P: OnceLock<Vec<u32>> = OnceLock::new();
        P.get_or_init(|| {
            let w = Gazetteer::world_index().unwrap();
            (0..w.len() as u32)
                .filter(|&i| w.summary(i).is_some_and(|(k, _, _)| !k.is_settlement()))
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Every name of the new layers resolves to a place of that name.
        #[test]
        fn every_name_of_the_news_layers_resolves_to_itself(pick in any::<proptest::sample::Index>()) {
            let w = Gazetteer::world_index().unwrap();
            let all = news_places();
            let i = all[pick.index(all.len())];
            let name = w.primary_name(i).unwrap();
            let key = fold(&name);
            prop_assume!(!key.is_empty());
            let r = builtin().resolve(&name, &ResolveOptions::default()).unwrap();
            prop_assert!(!matches!(r.best.matched, MatchKind::Fuzzy(_)), "{}", name);
            prop_assert_eq!(fold(&r.best.matched_name), key);
        }
    }
}

mod ambiguity {
    use super::*;

    /// A town and a state of one name are told apart by a warning, not
    /// chosen silently: Nippes is a district of Cologne (GeoNames 2862375)
    /// and a department of Haiti.
    #[test]
    fn a_town_and_a_region_of_one_name_are_ambiguous() {
        let r = at("Nippes");
        assert!(r.ambiguous);
        let ids: Vec<&str> = std::iter::once(&r.best)
            .chain(&r.alternatives)
            .map(|c| c.place.source())
            .collect();
        assert!(ids.contains(&"geonames:2862375"), "{ids:?}");
        assert_eq!(at("Nippes, Germany").place().source(), "geonames:2862375");
        // A city-region named after its city is no second place.
        assert!(!at("Moscow").ambiguous);
    }
}
