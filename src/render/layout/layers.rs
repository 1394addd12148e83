//! The basemap stage: land, lakes, coastline and borders at the level the
//! scale calls for, then the context lines (rivers, first-level
//! boundaries), the other railway lines and the approximate track, all
//! projected into the scene under the route.

use super::super::basemap::{self, LayerName};
use super::super::context::{self, Choice};
use super::{Ctx, Pts, Rect, Scene};

/// A named river's pieces, for its label: name, rank, width, lines.
pub(crate) type NamedRiver = (&'static str, u32, f64, Vec<Pts>);

/// Projects the basemap and context lines into `scene`; returns what the
/// scale shows and the named rivers, whose names are placed last.
pub(crate) fn draw(ctx: &Ctx, scene: &mut Scene) -> (Choice, Vec<NamedRiver>) {
    let (geo, data, k, level, view) = (&ctx.geo, ctx.data, ctx.k, ctx.level, &ctx.view);
    let (m_per_px, device_m_per_px) = (ctx.m_per_px, ctx.device_m_per_px);
    let fr = ctx.frame.inflate(40.0);
    let visible = |p: &Pts| {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &(x, y) in p {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        fr.intersects(&Rect::new(
            f64::from(x0),
            f64::from(y0),
            f64::from(x1 - x0).max(0.1),
            f64::from(y1 - y0).max(0.1),
        ))
    };
    let layer = |name: LayerName, min_px: f64| -> Vec<Pts> {
        basemap::query(name, level, view)
            .iter()
            .flat_map(|r| geo.project_line(r, min_px / k, name.is_polygon()))
            .filter(|p| visible(p))
            .collect()
    };
    let choice = context::choose(m_per_px);
    // Rivers and region lines at 1:10m only where the image shows that
    // detail (under 800 m a pixel); 1:50m is as good to the eye above.
    let context_level = if level == 10 && device_m_per_px > 800.0 {
        50
    } else {
        level
    };
    // Land, the largest layer (a continent's ring is decoded and clipped
    // whole), is read on a thread of its own; the context lines on another,
    // which first reads the place and country tables that later stages
    // use; this one reads lakes, coastline and borders. Each layer keeps
    // its rings in order: the scene is the same as read in one pass.
    let (land, (rivers, lines)) = std::thread::scope(|s| {
        let land = s.spawn(|| layer(LayerName::Land, 0.5));
        let context = s.spawn(|| {
            context::read_tables();
            super::countries::read_table();
            let mut lines = Scene::default();
            let rivers = context::lines(
                geo,
                m_per_px,
                context_level,
                view,
                &choice,
                0.5 / k,
                &visible,
                &mut lines,
            );
            (rivers, lines)
        });
        scene.lakes = layer(LayerName::Lakes, 0.5);
        scene.coast = layer(LayerName::Coastline, 0.5);
        scene.borders = layer(LayerName::Borders, 0.5);
        let land = land.join();
        let context = context.join();
        match (land, context) {
            (Ok(land), Ok(context)) => (land, context),
            (Err(e), _) | (_, Err(e)) => std::panic::resume_unwind(e),
        }
    });
    scene.land = land;
    scene.rivers = lines.rivers;
    scene.admin1 = lines.admin1;
    scene.globe = geo.globe_outline();
    scene.railways = data
        .railways
        .iter()
        .flat_map(|l| geo.project_line(l, 0.8, false))
        .filter(|p| p.len() >= 2 && visible(p))
        .collect();
    scene.approximate = data
        .approximate
        .iter()
        .flat_map(|l| geo.project_line(l, 0.8, false))
        .filter(|p| p.len() >= 2)
        .collect();
    (choice, rivers)
}
