use routemap::rail::*;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let t = std::time::Instant::now();
    let n = if a[1] == "builtin" { RailNetwork::builtin().unwrap() } else { RailNetwork::from_path(&a[1]).unwrap() };
    eprintln!("built in {:?}: {:?}", t.elapsed(), n.size());
    let mut stops = vec![];
    for s in a[2..].chunks(3) {
        let p = geo::Point::new(s[2].parse().unwrap(), s[1].parse().unwrap());
        stops.push(if s[0] == "-" { RailStop::at(p) } else { RailStop::named(&s[0], p) });
    }
    let t = std::time::Instant::now();
    match n.route(&stops, &RailOptions::default()) {
        Ok(legs) => {
            eprintln!("routed in {:?}", t.elapsed());
            for l in legs {
                println!("{:.3} km, gauges {:?}, rev {:?}, from {:?} to {:?}\n  {:?}", l.length_m / 1000.0, l.gauges_mm, l.reversals, l.from.station, l.to.station, l.stations);
            }
        }
        Err(e) => println!("error: {e}"),
    }
}
