//! Whole-map tests: render into memory and probe the pixels and the layout.

use resvg::tiny_skia::Pixmap;

use super::*;

/// Independent reference distances, metres, from GeographicLib 2.x:
/// `echo "LAT1 LON1 LAT2 LON2" | GeodSolve -i -p 6` (third output field).
const PYONGYANG_KHASAN_M: f64 = 559_201.952_365; // "39.0339 125.7543 42.4297 130.6453"
const KHASAN_VOSTOCHNY_M: f64 = 1_065_480.241_568; // "42.4297 130.6453 51.8844 128.3339"
const PYONGYANG_VOSTOCHNY_M: f64 = 1_442_149.879_299; // "39.0339 125.7543 51.8844 128.3339"

const PYONGYANG: (f64, f64) = (125.7543, 39.0339);
const KHASAN: (f64, f64) = (130.6453, 42.4297);
const VOSTOCHNY: (f64, f64) = (128.3339, 51.8844);

fn route(stops: &[(&str, (f64, f64))], labels: &[&str]) -> MapData {
    let n = stops.len();
    MapData {
        title: None,
        stops: stops
            .iter()
            .enumerate()
            .map(|(i, (name, p))| MapStop::new(*name, p.0, p.1, StopRole::in_route(i, n)))
            .collect(),
        legs: stops
            .windows(2)
            .zip(labels)
            .map(|(w, l)| MapLeg::geodesic(*l, w[0].1, w[1].1, 10_000.0))
            .collect(),
        total_label: None,
        route_kind: None,
        attribution: vec![],
        waypoints: vec![],
        railways: vec![],
        approximate: vec![],
        places: vec![],
    }
}

fn seed() -> MapData {
    let mut d = route(
        &[
            ("Pyongyang", PYONGYANG),
            ("Khasan", KHASAN),
            ("Vostochny Cosmodrome", VOSTOCHNY),
        ],
        &["559 km", "1,065 km"],
    );
    d.total_label = Some("1,625 km".into());
    d
}

fn pixmap(d: &Drawing) -> Pixmap {
    Pixmap::decode_png(&d.png().unwrap()).unwrap()
}

fn rgb(pm: &Pixmap, x: f64, y: f64) -> (u8, u8, u8) {
    let p = pm.pixel(x.round() as u32, y.round() as u32).unwrap();
    (p.red(), p.green(), p.blue())
}

fn hex(s: &str) -> (u8, u8, u8) {
    let v = u32::from_str_radix(&s[1..], 16).unwrap();
    ((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

fn close(a: (u8, u8, u8), b: (u8, u8, u8), tol: i32) -> bool {
    (i32::from(a.0) - i32::from(b.0)).abs() <= tol
        && (i32::from(a.1) - i32::from(b.1)).abs() <= tol
        && (i32::from(a.2) - i32::from(b.2)).abs() <= tol
}

fn not_under_furniture(l: &Layout, x: f64, y: f64) -> bool {
    !l.boxes.iter().any(|b| b.rect.contains(x, y))
}

mod seed_map {
    use super::*;

    #[test]
    fn sea_is_water_and_land_is_land() {
        let d = draw(&seed(), &MapStyle::default()).unwrap();
        let pm = pixmap(&d);
        // Sea of Japan, and inland Manchuria (Heilongjiang), both far from
        // any coastline, graticule line or label.
        let (sx, sy) = d.layout.project(131.5, 40.5).unwrap();
        let (lx, ly) = d.layout.project(128.0, 44.0).unwrap();
        assert!(not_under_furniture(&d.layout, sx, sy));
        assert!(not_under_furniture(&d.layout, lx, ly));
        assert!(d.layout.frame.contains(sx, sy) && d.layout.frame.contains(lx, ly));
        assert!(
            close(rgb(&pm, sx, sy), hex("#d3e3ee"), 6),
            "{:?}",
            rgb(&pm, sx, sy)
        );
        assert!(
            close(rgb(&pm, lx, ly), hex("#f5f2ea"), 6),
            "{:?}",
            rgb(&pm, lx, ly)
        );
    }

    #[test]
    fn route_colour_is_drawn_near_every_stop() {
        let d = draw(&seed(), &MapStyle::default()).unwrap();
        let pm = pixmap(&d);
        let route = hex("#c8102e");
        for (lon, lat) in [PYONGYANG, KHASAN, VOSTOCHNY] {
            let (x, y) = d.layout.project(lon, lat).unwrap();
            let mut found = false;
            for dy in -20..=20 {
                for dx in -20..=20 {
                    if close(rgb(&pm, x + f64::from(dx), y + f64::from(dy)), route, 12) {
                        found = true;
                    }
                }
            }
            assert!(found, "no route pixel near {lon},{lat}");
        }
    }

    #[test]
    fn no_boxes_overlap_and_every_label_is_placed() {
        let l = layout(&seed(), &MapStyle::default()).unwrap();
        assert_eq!(l.overlaps(), vec![], "{:#?}", l.boxes);
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        let count = |k: BoxKind| l.boxes.iter().filter(|b| b.kind == k).count();
        assert_eq!(count(BoxKind::StopLabel), 3);
        assert_eq!(count(BoxKind::LegLabel), 2);
        assert_eq!(count(BoxKind::Inset), 1);
        assert_eq!(count(BoxKind::ScaleBar), 1);
        assert_eq!(count(BoxKind::Legend), 1);
        for b in &l.boxes {
            if matches!(b.kind, BoxKind::StopLabel | BoxKind::LegLabel) {
                assert!(l.frame.contains_rect(&b.rect), "{b:?}");
            }
            if b.kind == BoxKind::GraticuleLabel {
                assert!(!l.frame.intersects(&b.rect), "{b:?}");
            }
        }
        assert_eq!(l.projection, ProjectionKind::Conic);
        assert_eq!(l.basemap_level, 10);
    }

    #[test]
    fn scale_bar_matches_geographiclib_distances() {
        let l = layout(&seed(), &MapStyle::default()).unwrap();
        let px_per_m = l.scale_bar.km_px / (l.scale_bar.km * 1000.0);
        let mi_px_per_m = l.scale_bar.mi_px / (l.scale_bar.mi * 1609.344);
        assert!((px_per_m / mi_px_per_m - 1.0).abs() < 1e-9);
        for (a, b, reference) in [
            (PYONGYANG, KHASAN, PYONGYANG_KHASAN_M),
            (KHASAN, VOSTOCHNY, KHASAN_VOSTOCHNY_M),
            (PYONGYANG, VOSTOCHNY, PYONGYANG_VOSTOCHNY_M),
        ] {
            let (ax, ay) = l.project(a.0, a.1).unwrap();
            let (bx, by) = l.project(b.0, b.1).unwrap();
            let measured = (bx - ax).hypot(by - ay) / px_per_m;
            let err = measured / reference - 1.0;
            assert!(
                err.abs() < 0.01,
                "{a:?}->{b:?}: {measured} vs {reference} ({err:+.4})"
            );
        }
    }

    #[test]
    fn svg_parses_and_has_a_text_per_stop_and_leg() {
        let svg = svg(&seed(), &MapStyle::default()).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or("").to_owned())
            .collect();
        for want in [
            "Pyongyang",
            "Khasan",
            "Vostochny Cosmodrome",
            "559 km",
            "1,065 km",
        ] {
            assert_eq!(
                texts.iter().filter(|t| *t == want).count(),
                1,
                "{want}: {texts:?}"
            );
        }
        assert!(texts.iter().any(|t| t.contains("Natural Earth")));
        assert!(texts
            .iter()
            .any(|t| t.contains("Pyongyang → Vostochny Cosmodrome · 1,625 km")));
    }

    #[test]
    fn same_input_gives_identical_bytes() {
        let a = png(&seed(), &MapStyle::default()).unwrap();
        let b = png(&seed(), &MapStyle::default()).unwrap();
        assert!(a == b);
        assert_eq!(
            svg(&seed(), &MapStyle::default()),
            svg(&seed(), &MapStyle::default())
        );
    }

    /// The map drawn directly (display list with tiny-skia, text from the
    /// SVG's parts) against its whole SVG rasterised by resvg: the pixels
    /// the SVG describes, whatever the theme, scale or view box.
    #[test]
    fn direct_drawing_gives_the_svg_s_pixels() {
        let world = route(
            &[
                ("Moscow", (37.6173, 55.7558)),
                ("Tokyo", (139.6917, 35.6895)),
            ],
            &["7,478 km"],
        );
        let mut dark = MapStyle::new(800, 600).unwrap().with_scale(2.0).unwrap();
        dark.theme = Theme::Dark;
        let mut print = MapStyle::new(2000, 1500).unwrap();
        print.theme = Theme::Print;
        for (data, style) in [
            (seed(), MapStyle::default()),
            (seed(), MapStyle::new(400, 300).unwrap()),
            (seed(), dark),
            (world, print),
        ] {
            let d = draw(&data, &style).unwrap();
            let direct = d.pixmap().unwrap();
            let via_svg = raster::pixmap(&d.svg, style.scale).unwrap();
            assert_eq!(
                (direct.width(), direct.height()),
                (via_svg.width(), via_svg.height())
            );
            let differ = direct
                .data()
                .chunks(4)
                .zip(via_svg.data().chunks(4))
                .filter(|(a, b)| a != b)
                .count();
            assert_eq!(differ, 0, "{:?}: {differ} pixels differ", style.size);
        }
    }

    #[test]
    fn scale_two_doubles_the_pixels() {
        let style = MapStyle::new(800, 600).unwrap().with_scale(2.0).unwrap();
        let pm = Pixmap::decode_png(&png(&seed(), &style).unwrap()).unwrap();
        assert_eq!((pm.width(), pm.height()), (1600, 1200));
    }
}

mod other_extents {
    use super::*;

    #[test]
    fn antimeridian_route_is_not_drawn_across_the_map() {
        let d = route(
            &[
                ("Tokyo", (139.6917, 35.6895)),
                ("Anchorage", (-149.9003, 61.2181)),
                ("Seattle", (-122.3321, 47.6062)),
            ],
            &["5,560 km", "2,320 km"],
        );
        let l = layout(&d, &MapStyle::default()).unwrap();
        // Every leg is one connected piece whose steps are short.
        for leg in &l.scene.legs {
            assert_eq!(leg.len(), 1);
            for s in leg[0].windows(2) {
                assert!((s[1].0 - s[0].0).abs() < 50.0, "{s:?}");
            }
        }
        assert!(l.overlaps().is_empty());
    }

    #[test]
    fn world_extent_uses_a_world_projection() {
        let d = route(
            &[
                ("Moscow", (37.6173, 55.7558)),
                ("Tokyo", (139.6917, 35.6895)),
                ("Washington", (-77.0369, 38.9072)),
            ],
            &["7,480 km", "10,910 km"],
        );
        let l = layout(&d, &MapStyle::default()).unwrap();
        assert_eq!(l.projection, ProjectionKind::EqualEarth);
        assert!(l.overlaps().is_empty(), "{:?}", l.overlaps());
    }

    #[test]
    fn clipped_land_has_no_long_straight_edges() {
        // Rings clipped to the view are closed along the clip edge; that
        // edge must follow the projection's curves, not cut across the map.
        let polar = route(
            &[
                ("Longyearbyen", (15.6356, 78.2232)),
                ("North Pole", (0.0, 89.9)),
                ("Reykjavik", (-21.9426, 64.1466)),
            ],
            &["1,304 km", "2,875 km"],
        );
        let l = layout(&polar, &MapStyle::default()).unwrap();
        for ring in &l.scene.land {
            let closing = [ring[ring.len() - 1], ring[0]];
            for s in ring.windows(2).chain(std::iter::once(&closing[..])) {
                let len = (s[1].0 - s[0].0).hypot(s[1].1 - s[0].1);
                assert!(len < 60.0, "{len} px edge {s:?}");
            }
        }
    }

    #[test]
    fn polar_and_equatorial_extents() {
        let polar = route(
            &[
                ("Longyearbyen", (15.6356, 78.2232)),
                ("North Pole", (0.0, 89.9)),
            ],
            &["1,300 km"],
        );
        assert_eq!(
            layout(&polar, &MapStyle::default()).unwrap().projection,
            ProjectionKind::AzimuthalEquidistant
        );
        let eq = route(
            &[
                ("Singapore", (103.8198, 1.3521)),
                ("Jakarta", (106.8456, -6.2088)),
            ],
            &["890 km"],
        );
        assert_eq!(
            layout(&eq, &MapStyle::default()).unwrap().projection,
            ProjectionKind::WebMercator
        );
    }

    #[test]
    fn every_projection_override_draws() {
        for kind in ProjectionKind::ALL {
            let style = MapStyle {
                projection: Some(kind),
                ..MapStyle::new(800, 600).unwrap()
            };
            let l = layout(&seed(), &style).unwrap();
            assert_eq!(l.projection, kind);
            let o = l.overlaps();
            assert!(
                o.is_empty(),
                "{kind}: {:?}",
                o.iter()
                    .map(|&(a, b)| (&l.boxes[a], &l.boxes[b]))
                    .collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn bbox_override_frames_the_box() {
        let style = MapStyle {
            bbox: Some("120,30,145,50".parse().unwrap()),
            ..MapStyle::default()
        };
        let l = layout(&seed(), &style).unwrap();
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for i in 0..=20 {
            let t = f64::from(i) / 20.0;
            for (lon, lat) in [
                (120.0 + 25.0 * t, 30.0),
                (120.0 + 25.0 * t, 50.0),
                (120.0, 30.0 + 20.0 * t),
                (145.0, 30.0 + 20.0 * t),
            ] {
                let (x, y) = l.project(lon, lat).unwrap();
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
        let f = l.frame;
        assert!(
            x0 >= f.x - 0.5 && x1 <= f.right() + 0.5 && y0 >= f.y - 0.5 && y1 <= f.bottom() + 0.5
        );
        // The box fills the frame in one direction.
        assert!((x1 - x0 - f.w).abs() < 1.0 || (y1 - y0 - f.h).abs() < 1.0);
    }

    #[test]
    fn zero_length_leg_is_a_warning_not_a_panic() {
        let d = route(
            &[
                ("Seoul", (126.978, 37.5665)),
                ("Seoul again", (126.978, 37.5665)),
            ],
            &["0.0 km"],
        );
        let l = layout(&d, &MapStyle::default()).unwrap();
        assert!(
            l.warnings.iter().any(|w| w.contains("no length")),
            "{:?}",
            l.warnings
        );
        assert!(l.overlaps().is_empty());
    }

    #[test]
    fn locator_map_of_one_place() {
        let d = MapData {
            stops: vec![MapStop::new(
                "서울 Seoul",
                126.978,
                37.5665,
                StopRole::Place,
            )],
            ..MapData::default()
        };
        let l = layout(&d, &MapStyle::default()).unwrap();
        assert!(l.boxes.iter().any(|b| b.kind == BoxKind::StopLabel));
        assert!(l.overlaps().is_empty());
    }
}

mod waypoints {
    use super::*;

    /// lon, lat of a pixel of the seed map (the layout's own inverse).
    fn lonlat(l: &Layout, x: f64, y: f64) -> (f64, f64) {
        l.geo.geo(x, y).unwrap()
    }

    fn labels(l: &Layout, kind: BoxKind) -> Vec<&str> {
        l.boxes
            .iter()
            .filter(|b| b.kind == kind)
            .map(|b| b.text.as_str())
            .collect()
    }

    /// A point of the Sea of Japan, south-east of Khasan, far from the
    /// route, every label and the furniture on the seed map.
    const OPEN_SEA: (f64, f64) = (133.5, 40.5);

    #[test]
    fn a_waypoint_under_a_stop_label_is_dropped_and_a_free_one_kept() {
        let style = MapStyle::default();
        let plain = layout(&seed(), &style).unwrap();
        let khasan = plain
            .boxes
            .iter()
            .find(|b| b.kind == BoxKind::StopLabel && b.text == "Khasan")
            .unwrap()
            .rect;
        // The middle of Khasan's label, far enough from its marker that only
        // the label stands in the way.
        let (cx, cy) = (khasan.x + khasan.w / 2.0, khasan.y + khasan.h / 2.0);
        let (mx, my) = plain.project(KHASAN.0, KHASAN.1).unwrap();
        assert!((cx - mx).hypot(cy - my) > 30.0);
        let under = lonlat(&plain, cx, cy);
        let (fx, fy) = plain.project(OPEN_SEA.0, OPEN_SEA.1).unwrap();
        let around = Rect::new(fx - 120.0, fy - 40.0, 240.0, 80.0);
        assert!(plain.boxes.iter().all(|b| !b.rect.intersects(&around)));

        let mut d = seed();
        d.waypoints = vec![
            MapWaypoint::new("Hidden", under.0, under.1, 0),
            MapWaypoint::new("Open Sea", OPEN_SEA.0, OPEN_SEA.1, 1),
        ];
        let drawn = draw(&d, &style).unwrap();
        let l = &drawn.layout;
        assert_eq!(labels(l, BoxKind::WaypointLabel), ["Open Sea"]);
        // Dropped whole: no dot without a label.
        assert_eq!(labels(l, BoxKind::Waypoint), ["Open Sea"]);
        assert!(l.overlaps().is_empty(), "{:?}", l.overlaps());
        // The stops' labels are where they were.
        assert_eq!(
            labels(l, BoxKind::StopLabel),
            labels(&plain, BoxKind::StopLabel)
        );
        assert!(drawn.svg.contains(">Open Sea</text>"));
        assert!(!drawn.svg.contains("Hidden"));
        // Smaller than a stop's label, and drawn in the muted colour.
        let text = drawn
            .svg
            .lines()
            .find(|t| t.contains(">Open Sea</text>"))
            .unwrap();
        assert!(text.contains("font-size=\"13\""), "{text}");
        assert!(text.contains("fill=\"#5a5a5a\""), "{text}");
    }

    #[test]
    fn a_waypoint_whose_label_finds_no_room_between_stop_labels_is_dropped() {
        // Two places one above the other, their long labels to the right of
        // their markers with a narrow gap between them: a dot fits in the
        // gap, its label nowhere around it.
        let style = MapStyle::default();
        let name = "Aaaaaaaaaaaaaaaa Bbbbbbbbbbbbbbbb";
        let places = |dlat: f64| MapData {
            stops: vec![
                MapStop::new(name, 10.0, 50.0, StopRole::Place),
                MapStop::new(name, 10.0, 50.0 - dlat, StopRole::Place),
            ],
            ..MapData::default()
        };
        let label_rects = |l: &Layout| -> Vec<Rect> {
            l.boxes
                .iter()
                .filter(|b| b.kind == BoxKind::StopLabel)
                .map(|b| b.rect)
                .collect()
        };
        let (dlat, top, bottom) = (10..60)
            .map(|k| f64::from(k) * 0.01)
            .find_map(|dlat| {
                let l = layout(&places(dlat), &style).unwrap();
                let r = label_rects(&l);
                let gap = r.get(1)?.y - r[0].bottom();
                (r.len() == 2 && r[0].x == r[1].x && (10.0..=16.0).contains(&gap))
                    .then_some((dlat, r[0], r[1]))
            })
            .expect("a spacing with a 10 to 16 px gap between the labels");
        let plain = layout(&places(dlat), &style).unwrap();
        let (gx, gy) = (top.x + top.w / 2.0, (top.bottom() + bottom.y) / 2.0);
        let in_gap = lonlat(&plain, gx, gy);
        // Right of both labels, where there is room.
        let beside = lonlat(&plain, top.right() + 60.0, gy);
        let mut d = places(dlat);
        d.waypoints = vec![
            MapWaypoint::new("Squeezed", in_gap.0, in_gap.1, 0),
            MapWaypoint::new("Roomy", beside.0, beside.1, 1),
        ];
        let l = layout(&d, &style).unwrap();
        assert_eq!(label_rects(&l), label_rects(&plain));
        assert_eq!(labels(&l, BoxKind::WaypointLabel), ["Roomy"]);
        assert_eq!(labels(&l, BoxKind::Waypoint), ["Roomy"]);
        assert!(l.overlaps().is_empty(), "{:?}", l.overlaps());
    }

    #[test]
    fn the_more_important_of_two_crowded_waypoints_wins() {
        let style = MapStyle::default();
        let plain = layout(&seed(), &style).unwrap();
        let (fx, fy) = plain.project(OPEN_SEA.0, OPEN_SEA.1).unwrap();
        let (lon, lat) = lonlat(&plain, fx + 10.0, fy + 10.0);
        let mut d = seed();
        // Listed first but less important.
        d.waypoints = vec![
            MapWaypoint::new("Minor", lon, lat, 5),
            MapWaypoint::new("Major", OPEN_SEA.0, OPEN_SEA.1, 2),
        ];
        let l = layout(&d, &style).unwrap();
        assert_eq!(labels(&l, BoxKind::WaypointLabel), ["Major"]);
    }

    #[test]
    fn waypoints_near_a_stop_or_beyond_the_cap_are_left_out() {
        let style = MapStyle::default();
        let mut d = seed();
        // 0.05° from Khasan: a few pixels from its marker.
        d.waypoints = vec![MapWaypoint::new(
            "Suburb",
            KHASAN.0 + 0.05,
            KHASAN.1 - 0.05,
            0,
        )];
        let l = layout(&d, &style).unwrap();
        assert!(labels(&l, BoxKind::WaypointLabel).is_empty());

        // A grid of 200 candidates over the whole frame: a few, not a list.
        let plain = layout(&seed(), &style).unwrap();
        let f = plain.frame;
        d.waypoints = (0..200)
            .map(|i| {
                let (x, y) = (
                    f.x + f.w * (0.5 + (i % 20) as f64) / 20.0,
                    f.y + f.h * (0.5 + (i / 20) as f64) / 10.0,
                );
                let (lon, lat) = lonlat(&plain, x, y);
                MapWaypoint::new(format!("Town {i}"), lon, lat, i)
            })
            .collect();
        let l = layout(&d, &style).unwrap();
        let n = labels(&l, BoxKind::WaypointLabel).len();
        assert!((3..=10).contains(&n), "{n} waypoints drawn");
        assert!(l.overlaps().is_empty(), "{:?}", l.overlaps());
        // Each dot has its label and both sit inside the frame.
        assert_eq!(labels(&l, BoxKind::Waypoint).len(), n);
        for b in l.boxes.iter().filter(|b| b.kind == BoxKind::WaypointLabel) {
            assert!(l.frame.contains_rect(&b.rect), "{b:?}");
        }
    }

    #[test]
    fn railways_are_drawn_only_where_they_show() {
        let mut d = seed();
        // A line near Khabarovsk, inside the seed frame, and one in the Atlantic.
        d.railways = vec![
            vec![Coord { x: 134.0, y: 48.5 }, Coord { x: 135.5, y: 49.5 }],
            vec![Coord { x: -30.0, y: 10.0 }, Coord { x: -29.0, y: 11.0 }],
        ];
        let svg = draw(&d, &MapStyle::default()).unwrap().svg;
        let start = svg.find("<path id=\"railways\"").expect("railways drawn");
        let path = &svg[start..start + svg[start..].find("/>").unwrap()];
        assert_eq!(
            path.matches('M').count(),
            1,
            "only the visible line: {path}"
        );
        assert!(svg.contains(">Other railway lines</text>"));
        d.railways.remove(0);
        let svg = draw(&d, &MapStyle::default()).unwrap().svg;
        assert!(!svg.contains("railways") && !svg.contains("Other railway lines"));
    }

    #[test]
    fn no_waypoints_leave_the_svg_as_it_was() {
        let style = MapStyle::default();
        let svg = draw(&seed(), &style).unwrap().svg;
        assert!(!svg.contains("waypoints"));
        let mut d = seed();
        // Unplaceable (at a stop) and malformed waypoints draw nothing.
        d.waypoints = vec![
            MapWaypoint::new("At Khasan", KHASAN.0, KHASAN.1, 0),
            MapWaypoint::new("Nowhere", f64::NAN, 95.0, 1),
        ];
        assert_eq!(draw(&d, &style).unwrap().svg, svg);
    }
}

mod small_maps {
    use super::*;

    /// The seed journey by rail, roughly along the railway (towns on the line from
    /// GeoNames), as a long winding route that fills the frame.
    fn seed_by_rail() -> MapData {
        let line = |pts: &[(f64, f64)]| pts.iter().map(|&(x, y)| Coord { x, y }).collect();
        let mut d = seed();
        d.legs = vec![
            MapLeg {
                label: "855 km".into(),
                path: line(&[
                    PYONGYANG,
                    (127.5364, 39.9183),
                    (129.7758, 41.7956),
                    (130.2892, 42.2497),
                    KHASAN,
                ]),
            },
            MapLeg {
                label: "1,696 km".into(),
                path: line(&[
                    KHASAN,
                    (131.9573, 43.8047),
                    (133.3983, 45.4717),
                    (135.0727, 48.4966),
                    (132.935, 48.7928),
                    (128.5124, 50.9124),
                    VOSTOCHNY,
                ]),
            },
        ];
        d.route_kind = Some("by rail (approximate track)".into());
        d.total_label = Some("2,551 km".into());
        d.waypoints = [
            ("Khabarovsk", 135.0727, 48.4966),
            ("Hamhung", 127.5364, 39.9183),
            ("Chongjin", 129.7758, 41.7956),
            ("Ussuriysk", 131.9573, 43.8047),
        ]
        .iter()
        .enumerate()
        .map(|(i, &(label, lon, lat))| MapWaypoint {
            label: label.into(),
            lon,
            lat,
            rank: i as u32,
        })
        .collect();
        d
    }

    #[test]
    fn furniture_never_covers_a_stop_or_a_label_on_a_small_map() {
        for data in [seed(), seed_by_rail()] {
            for (w, h) in [(800, 600), (640, 480), (1600, 1200)] {
                let style = MapStyle {
                    size: Size {
                        width: w,
                        height: h,
                    },
                    ..MapStyle::default()
                };
                let l = layout(&data, &style).unwrap();
                let o: Vec<_> = l
                    .overlaps()
                    .iter()
                    .map(|&(i, j)| {
                        (
                            l.boxes[i].kind,
                            &l.boxes[i].text,
                            l.boxes[j].kind,
                            &l.boxes[j].text,
                        )
                    })
                    .collect();
                assert!(o.is_empty(), "{w}x{h}: {o:?}");
                let legend = l.boxes.iter().any(|b| b.kind == BoxKind::Legend);
                if w >= 800 {
                    assert!(legend, "{w}x{h}: a legend is drawn");
                } else if !legend {
                    assert!(l.warnings.iter().any(|x| x.starts_with("legend left out")));
                }
            }
        }
    }
}

mod every_size {
    use super::*;

    fn world() -> MapData {
        route(
            &[
                ("Moscow", (37.6173, 55.7558)),
                ("Tokyo", (139.6917, 35.6895)),
                ("Washington", (-77.0369, 38.9072)),
            ],
            &["7,478 km", "10,908 km"],
        )
    }

    fn city() -> MapData {
        // Köln Hbf and Köln-Ehrenfeld station (OpenStreetMap), 3 km apart.
        route(
            &[
                ("Köln Hbf", (6.9589, 50.9430)),
                ("Köln-Ehrenfeld", (6.9178, 50.9518)),
            ],
            &["3.05 km"],
        )
    }

    fn check(name: &str, l: &Layout) {
        let (w, h) = (f64::from(l.width), f64::from(l.height));
        for b in &l.boxes {
            let r = b.rect;
            assert!(
                r.x >= -1e-6 && r.y >= -1e-6 && r.right() <= w + 1e-6 && r.bottom() <= h + 1e-6,
                "{name} {w}x{h}: {:?} {:?} leaves the canvas: {r:?}",
                b.kind,
                b.text
            );
        }
        let o: Vec<_> = l
            .overlaps()
            .iter()
            .map(|&(i, j)| {
                (
                    l.boxes[i].kind,
                    &l.boxes[i].text,
                    l.boxes[j].kind,
                    &l.boxes[j].text,
                )
            })
            .collect();
        assert!(o.is_empty(), "{name} {w}x{h}: {o:?}");
        // The route runs clear of every stop's name, except on a 400×300
        // world map, where the three names have no room beside their
        // markers off the line and a crossing is the lesser evil.
        let crossed = stop_labels_on_the_route(l);
        assert!(
            crossed.is_empty() || (name.starts_with("world") && w < 640.0),
            "{name} {w}x{h}: the route runs through {crossed:?}"
        );
    }

    /// The stop labels the route's line runs through: each leg walked in
    /// steps of at most half a pixel, looking for a point inside a label's
    /// box (less half a pixel all round).
    fn stop_labels_on_the_route(l: &Layout) -> Vec<&str> {
        let k = f64::from(l.width) / l.canvas.width;
        let mut hit = Vec::new();
        for b in l.boxes.iter().filter(|b| b.kind == BoxKind::StopLabel) {
            let r = b.rect.inflate(-0.5);
            let inside = |x: f64, y: f64| x > r.x && x < r.right() && y > r.y && y < r.bottom();
            let on_it = l.scene.legs.iter().flatten().any(|piece| {
                piece.windows(2).any(|s| {
                    let (x0, y0) = (f64::from(s[0].0) * k, f64::from(s[0].1) * k);
                    let (x1, y1) = (f64::from(s[1].0) * k, f64::from(s[1].1) * k);
                    let n = ((x1 - x0).hypot(y1 - y0) * 2.0).ceil().max(1.0);
                    (0..=n as usize).any(|i| {
                        let t = i as f64 / n;
                        inside(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
                    })
                })
            });
            if on_it {
                hit.push(b.text.as_str());
            }
        }
        hit
    }

    #[test]
    fn nothing_overlaps_or_leaves_the_canvas_at_any_size() {
        for (name, data) in [("seed", seed()), ("world", world()), ("city", city())] {
            for (w, h) in [(400, 300), (800, 600), (1600, 1200), (10_000, 10_000)] {
                let style = MapStyle::new(w, h).unwrap();
                let l = layout(&data, &style).unwrap();
                check(name, &l);
                // What was left out is said.
                let kinds: Vec<BoxKind> = l.boxes.iter().map(|b| b.kind).collect();
                if !kinds.contains(&BoxKind::ScaleBar) {
                    assert!(l
                        .warnings
                        .iter()
                        .any(|x| x.starts_with("scale bar left out")));
                }
                if !kinds.contains(&BoxKind::Legend) {
                    assert!(l.warnings.iter().any(|x| x.starts_with("legend left out")));
                }
            }
        }
    }

    /// Every size from the smallest to the largest and every projection
    /// (the layout is the same in every theme, which only changes colours):
    /// nothing overlaps and nothing leaves the canvas. A forced projection
    /// that cannot show the map is refused, never drawn.
    #[test]
    fn the_matrix_of_sizes_projections_and_themes_holds() {
        let sizes = [
            (400, 300),
            (640, 480),
            (1600, 1200),
            (8000, 6000),
            (10_000, 10_000),
        ];
        for (name, data) in [("seed", seed()), ("world", world()), ("city", city())] {
            for (w, h) in sizes {
                for projection in ProjectionKind::ALL.iter().map(|&k| Some(k)).chain([None]) {
                    let style = MapStyle {
                        projection,
                        ..MapStyle::new(w, h).unwrap()
                    };
                    match layout(&data, &style) {
                        Ok(l) => check(&format!("{name} {projection:?}"), &l),
                        Err(RenderError::ProjectionCannotShow { .. }) => {
                            assert!(
                                projection.is_some(),
                                "{name}: the automatic projection is refused"
                            )
                        }
                        Err(e) => panic!("{name} {w}x{h} {projection:?}: {e}"),
                    }
                }
            }
        }
    }

    /// The legend explains the border line only on a map that draws one.
    #[test]
    fn a_city_map_has_no_border_in_its_legend() {
        let style = MapStyle::default();
        assert!(!svg(&city(), &style)
            .unwrap()
            .contains("International border"));
        assert!(svg(&seed(), &style)
            .unwrap()
            .contains("International border"));
    }

    /// A thousand places: every stop gets its marker, nothing overlaps, and
    /// the names that find no room are said.
    #[test]
    fn a_thousand_stops_are_laid_out_without_overlaps() {
        let mut seed = 7_u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / f64::from(1u32 << 31)
        };
        let data = MapData {
            stops: (0..1000)
                .map(|i| {
                    MapStop::new(
                        format!("Place {i}"),
                        -10.0 + 40.0 * next(),
                        35.0 + 20.0 * next(),
                        StopRole::Place,
                    )
                })
                .collect(),
            ..MapData::default()
        };
        let l = layout(&data, &MapStyle::default()).unwrap();
        check("1000 places", &l);
        let markers = l.boxes.iter().filter(|b| b.kind == BoxKind::Marker).count();
        let labels = l
            .boxes
            .iter()
            .filter(|b| b.kind == BoxKind::StopLabel)
            .count();
        let dropped = l
            .warnings
            .iter()
            .filter(|w| w.starts_with("label "))
            .count();
        assert_eq!(markers, 1000);
        assert_eq!(labels + dropped, 1000);
    }

    #[test]
    fn text_grows_with_large_images_and_can_be_set() {
        let big = layout(&seed(), &MapStyle::new(8000, 6000).unwrap()).unwrap();
        let small = layout(&seed(), &MapStyle::default()).unwrap();
        assert_eq!(big.text_scale, 5.0);
        let title = |l: &Layout| {
            l.boxes
                .iter()
                .find(|b| b.kind == BoxKind::Title)
                .unwrap()
                .rect
        };
        assert!((title(&big).h / title(&small).h - 5.0).abs() < 1e-9);
        // --text-scale 1 on a large image keeps the text at its 1600x1200 size.
        let set = MapStyle {
            text_scale: Some(1.0),
            ..MapStyle::new(3200, 2400).unwrap()
        };
        let l = layout(&seed(), &set).unwrap();
        assert!((title(&l).h - title(&small).h).abs() < 1e-9);
        let bad = MapStyle {
            text_scale: Some(0.0),
            ..MapStyle::default()
        };
        assert!(matches!(
            layout(&seed(), &bad),
            Err(RenderError::TextScale { .. })
        ));
    }

    #[test]
    fn a_long_title_is_shortened_on_a_small_map_with_a_warning() {
        let mut d = seed();
        d.title = Some("Pyongyang → Khasan → Ussuriysk → Khabarovsk → Vostochny Cosmodrome".into());
        let l = layout(&d, &MapStyle::new(400, 300).unwrap()).unwrap();
        let t = l.boxes.iter().find(|b| b.kind == BoxKind::Title).unwrap();
        assert!(t.text.ends_with('…') && t.rect.right() <= 400.0, "{t:?}");
        assert!(l.warnings.iter().any(|w| w.starts_with("title shortened")));
    }

    #[test]
    fn world_and_polar_maps_have_no_north_arrow() {
        let l = layout(&world(), &MapStyle::default()).unwrap();
        assert_eq!(l.north_arrow_deg, None);
        let pole = route(
            &[("Ushuaia", (-68.3, -54.8)), ("South Pole", (0.0, -90.0))],
            &["3,926 km"],
        );
        let l = layout(&pole, &MapStyle::default()).unwrap();
        assert_eq!(l.north_arrow_deg, None);
        // A regional conic map still has one.
        assert!(layout(&seed(), &MapStyle::default())
            .unwrap()
            .north_arrow_deg
            .is_some());
    }

    #[test]
    fn a_city_route_is_framed_as_a_city_map() {
        // 3 km apart: the frame is a few kilometres across, not 50.
        let l = layout(&city(), &MapStyle::default()).unwrap();
        assert!(l.scale_bar.km <= 1.0, "{:?}", l.scale_bar);
    }

    #[test]
    fn han_title_glyphs_are_drawn() {
        let mut d = seed();
        d.title = Some("北京→서울→東京".into());
        let drawing = draw(&d, &MapStyle::default()).unwrap();
        let t = drawing
            .layout
            .boxes
            .iter()
            .find(|b| b.kind == BoxKind::Title)
            .unwrap();
        let pm = pixmap(&drawing);
        let size = t.rect.h;
        // The box of each Han character: 北 and 京 at the start, 東京 at the end.
        let w1 = text::width("北", size, true);
        let w2 = text::width("北京→서울→", size, true);
        for (x0, label) in [(t.rect.x, "北"), (t.rect.x + w2, "東")] {
            let mut ink = 0;
            for x in x0.ceil() as u32..(x0 + w1).floor() as u32 {
                for y in t.rect.y.ceil() as u32..t.rect.bottom().floor() as u32 {
                    let p = pm.pixel(x, y).unwrap();
                    ink += usize::from(p.red() < 100 && p.green() < 100 && p.blue() < 100);
                }
            }
            assert!(ink > 40, "{label}: {ink} dark pixels");
        }
    }

    #[test]
    fn a_projection_that_cannot_show_the_box_is_refused() {
        let style = MapStyle {
            projection: Some(ProjectionKind::Conic),
            bbox: Some("-180,-90,180,90".parse().unwrap()),
            ..MapStyle::default()
        };
        let e = layout(&seed(), &style).unwrap_err();
        assert!(matches!(e, RenderError::ProjectionCannotShow { .. }));
        assert!(
            e.to_string()
                .starts_with("the conic projection cannot show this area"),
            "{e}"
        );
    }

    #[test]
    fn antarctica_inland_is_land_not_water() {
        // Near the South Pole every point is on the ice sheet (Natural Earth
        // land); a ring clipped along the view's edge must still fill.
        let d = route(&[("a", (106.0, -77.5)), ("b", (0.0, -90.0))], &["1,396 km"]);
        let drawing = draw(&d, &MapStyle::default()).unwrap();
        let pm = pixmap(&drawing);
        let land = hex("#f5f2ea");
        // Points off the graticule's lines.
        for (lon, lat) in [
            (62.3, -84.3),
            (101.7, -80.6),
            (152.6, -87.6),
            (-33.1, -86.4),
        ] {
            let (x, y) = drawing.layout.project(lon, lat).unwrap();
            if !drawing.layout.frame.contains(x, y) || !not_under_furniture(&drawing.layout, x, y) {
                continue;
            }
            let c = rgb(&pm, x, y);
            assert!(close(c, land, 12), "{lon},{lat}: {c:?} is not land");
        }
    }

    #[test]
    fn meridian_90_east_is_labelled_east() {
        // 0,0 to 0,180: the geodesic runs over the North Pole; the map is
        // azimuthal, centred on 90°E.
        let d = route(&[("a", (0.0, 0.0)), ("b", (180.0, 0.0))], &["20,004 km"]);
        let l = layout(&d, &MapStyle::default()).unwrap();
        let labels: Vec<&str> = l
            .boxes
            .iter()
            .filter(|b| b.kind == BoxKind::GraticuleLabel)
            .map(|b| b.text.as_str())
            .collect();
        assert!(labels.contains(&"90°E"), "{labels:?}");
        // Each meridian crosses the bottom edge once: 90°W lies beyond the
        // pole, at the top.
        let bottom = l.frame.bottom();
        for b in l.boxes.iter().filter(|b| b.kind == BoxKind::GraticuleLabel) {
            if b.rect.y > bottom {
                assert_ne!(b.text, "90°W", "{:?}", b.rect);
            }
        }
    }
}

mod context {
    use super::*;

    fn texts(l: &Layout, kind: BoxKind) -> Vec<&str> {
        l.boxes
            .iter()
            .filter(|b| b.kind == kind)
            .map(|b| b.text.as_str())
            .collect()
    }

    #[test]
    fn the_seed_map_names_a_river_and_a_city() {
        let d = draw(&seed(), &MapStyle::default()).unwrap();
        let rivers = texts(&d.layout, BoxKind::RiverLabel);
        let cities = texts(&d.layout, BoxKind::CityLabel);
        // Natural Earth's names: the Amur, the river of the seed route's
        // far east; Vladivostok, the largest city near Khasan.
        assert!(rivers.contains(&"Amur"), "{rivers:?}");
        assert!(cities.contains(&"Vladivostok"), "{cities:?}");
        assert!(d.svg.contains(">Amur</text>") && d.svg.contains(">Vladivostok</text>"));
        assert!(d.svg.contains("class=\"rivers\""));
        // Every city label has its dot.
        let dots = texts(&d.layout, BoxKind::City);
        assert!(cities.iter().all(|c| dots.contains(c)));
    }

    #[test]
    fn the_two_koreas_border_is_one_line() {
        // Across the Demilitarized Zone at 127.5°E, Natural Earth's 1:10m
        // boundaries hold three lines (its northern and southern limits and
        // the Military Demarcation Line); the map draws one.
        let style = MapStyle {
            bbox: Some("126.5,37.5,128.5,38.8".parse().unwrap()),
            ..MapStyle::default()
        };
        let l = layout(&seed(), &style).unwrap();
        assert_eq!(l.basemap_level, 10);
        let x = l.project(127.5, 38.0).unwrap().0 / l.text_scale;
        let mut ys: Vec<f64> = Vec::new();
        for line in &l.scene.borders {
            for s in line.windows(2) {
                let (a, b) = (f64::from(s[0].0), f64::from(s[1].0));
                if (a - x) * (b - x) <= 0.0 && a != b {
                    let t = (x - a) / (b - a);
                    ys.push(f64::from(s[0].1) + t * f64::from(s[1].1 - s[0].1));
                }
            }
        }
        assert_eq!(ys.len(), 1, "border crossings of 127.5°E: {ys:?}");
    }
}

mod bad_input {
    use super::*;

    #[test]
    fn options_give_typed_errors() {
        assert!(matches!(
            "0x0".parse::<Size>(),
            Err(RenderError::SizeRange { .. })
        ));
        assert!(matches!(
            "big".parse::<Size>(),
            Err(RenderError::SizeSyntax { .. })
        ));
        assert!(matches!(
            "neon".parse::<Theme>(),
            Err(RenderError::UnknownTheme { .. })
        ));
        assert!(matches!(
            "mollweide".parse::<ProjectionKind>(),
            Err(RenderError::UnknownProjection { .. })
        ));
        assert!(matches!(
            "1,2,3".parse::<BBox>(),
            Err(RenderError::BBox { .. })
        ));
        assert!(matches!(
            MapStyle::default().with_padding(0.9),
            Err(RenderError::Padding { .. })
        ));
        assert_eq!(
            "0x0".parse::<Size>().unwrap_err().to_string(),
            "map size 0x0 is out of range: each side must be 200 to 10000 pixels"
        );
    }

    #[test]
    fn bad_data_is_an_error_not_a_panic() {
        assert_eq!(
            layout(&MapData::default(), &MapStyle::default()).unwrap_err(),
            RenderError::NoStops
        );
        let many = MapData {
            stops: (0..=crate::render::MAX_MAP_STOPS)
                .map(|i| {
                    MapStop::new(
                        "x",
                        (i % 100) as f64 * 0.1,
                        (i / 100) as f64 * 0.1,
                        StopRole::Place,
                    )
                })
                .collect(),
            ..MapData::default()
        };
        assert_eq!(
            layout(&many, &MapStyle::default()).unwrap_err(),
            RenderError::TooManyStops {
                count: crate::render::MAX_MAP_STOPS + 1,
                max: crate::render::MAX_MAP_STOPS
            }
        );
        let d = MapData {
            stops: vec![MapStop::new("Nowhere", 200.0, f64::NAN, StopRole::Place)],
            ..MapData::default()
        };
        assert!(matches!(
            layout(&d, &MapStyle::default()),
            Err(RenderError::Coordinate { .. })
        ));
        let huge = MapStyle::new(10_000, 10_000).unwrap().with_scale(2.0);
        assert!(matches!(huge, Err(RenderError::TooManyPixels { .. })));
        let style = MapStyle {
            scale: f32::NAN,
            ..MapStyle::default()
        };
        assert!(matches!(
            layout(&seed(), &style),
            Err(RenderError::Scale { .. })
        ));
    }
}

/// Writes sample maps to target/render-samples for looking at
/// (`cargo test render_samples -- --ignored`).
#[test]
#[ignore]
fn render_samples() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/render-samples");
    std::fs::create_dir_all(&dir).unwrap();
    let world = route(
        &[
            ("Moscow", (37.6173, 55.7558)),
            ("Tokyo", (139.6917, 35.6895)),
            ("Washington", (-77.0369, 38.9072)),
        ],
        &["7,480 km", "10,910 km"],
    );
    let pacific = route(
        &[
            ("Tokyo", (139.6917, 35.6895)),
            ("Anchorage", (-149.9003, 61.2181)),
            ("Seattle", (-122.3321, 47.6062)),
        ],
        &["5,560 km", "2,320 km"],
    );
    let scripts = MapData {
        stops: vec![
            MapStop::new("평양 (Pyongyang)", 125.7543, 39.0339, StopRole::Place),
            MapStop::new("Хабаровск", 135.0719, 48.4827, StopRole::Place),
            MapStop::new("Владивосток", 131.8735, 43.1056, StopRole::Place),
        ],
        ..MapData::default()
    };
    for (name, data, theme) in [
        ("scripts", scripts, Theme::Light),
        ("seed", seed(), Theme::Light),
        ("seed-dark", seed(), Theme::Dark),
        ("seed-print", seed(), Theme::Print),
        ("world", world, Theme::Light),
        ("pacific", pacific, Theme::Light),
    ] {
        let style = MapStyle {
            theme,
            ..MapStyle::default()
        };
        let d = draw(&data, &style).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), d.png().unwrap()).unwrap();
        std::fs::write(dir.join(format!("{name}.svg")), &d.svg).unwrap();
        eprintln!("{name}: {:?}", d.layout.warnings);
    }
}
