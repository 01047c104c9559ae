//! Point clouds as SVG: data, noisy and denoised points, samples ([`Scatter`]), and a sampler's
//! paths from noise to data played frame by frame ([`TrajectoryPlayer`]).
//!
//! Both show the square window [−h, h]² around the origin, h chosen from the points
//! ([`half_width`]) unless given. Points in R³ are drawn through one fixed view ([`project`]),
//! so that lines and planes through the origin stay lines and flat patches. Each cloud is one
//! `<g data-cloud="<name>" data-points="<count>">`; its circles are written as one string of
//! markup (as `images.rs` does), which keeps a redraw cheap, a large cloud's as one path per
//! class, and a figure draws at most [`MAX_CIRCLES`] points, taking every k-th point of each
//! cloud when the clouds have more.

use std::f64::consts::PI;
use std::fmt::Write;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use occam_demos::protocol::Cloud;

use crate::plot::{Tenths, tick_label, ticks};

/// Width and height of the figure, in SVG units (the square window plus room for tick labels).
const SIZE: f64 = 420.0;
/// Room left of and above the window (tick labels); 12 on the right, 44 below.
const LEFT: f64 = 44.0;
const TOP: f64 = 12.0;
/// Side of the square window, in SVG units.
const WINDOW: f64 = SIZE - LEFT - 12.0;
/// The most points one figure draws.
pub const MAX_CIRCLES: usize = 2_500;
/// The most points of one cloud drawn as `<circle>` elements; a larger cloud is drawn as one
/// `<path>` per class, which the browser styles and lays out as one element, not thousands
/// (a denoiser's four clouds of 600 points cost the page a 200 ms task as circles).
const MAX_CIRCLE_ELEMENTS: usize = 200;
/// Radius of a point, in SVG units.
const RADIUS: f64 = 2.4;
/// Radius of a trajectory's current point.
const HEAD_RADIUS: f64 = 3.2;
/// Azimuth θ and elevation φ of the view of R³.
const AZIMUTH: f64 = 40.0 * PI / 180.0;
const ELEVATION: f64 = 30.0 * PI / 180.0;
/// The player shows a frame every 50 ms: 20 frames a second.
const TICK: Duration = Duration::from_millis(50);
/// Ticks a whole playback takes at most: long trajectories skip frames to play in 5 s.
const PLAYBACK_TICKS: usize = 100;

/// A point of the plane as it is; a point of R³ as seen from a fixed direction: turned by the
/// azimuth θ = 40° about the vertical axis x₃, tilted by the elevation φ = 30°, depth dropped:
///
/// u = x₁ cos θ − x₂ sin θ,
/// v = x₃ cos φ + (x₁ sin θ + x₂ cos θ) sin φ.
///
/// The two rows (cos θ, −sin θ, 0) and (sin φ sin θ, sin φ cos θ, cos φ) are orthonormal, so this
/// is an orthographic view from above (no distance grows): x₃ points up, x₁ right and x₂ left,
/// both away from the viewer, who looks down along (cos φ sin θ, cos φ cos θ, −sin φ). A line
/// through the origin shows as a line unless it points along that direction, and a plane as a
/// flat patch unless it contains it. The chapter's two lines, along (0.6, 0, 0.8) and
/// (−0.36, 0.48, 0.8), go to (0.46, 0.89) and (−0.58, 0.76); its plane x₃ = 0 to an ellipse
/// half as tall as it is wide.
pub fn project(point: &[f32]) -> (f64, f64) {
    match *point {
        [x1, x2, x3, ..] => {
            let (x1, x2, x3) = (f64::from(x1), f64::from(x2), f64::from(x3));
            let (sin_theta, cos_theta) = AZIMUTH.sin_cos();
            let (sin_phi, cos_phi) = ELEVATION.sin_cos();
            (
                x1 * cos_theta - x2 * sin_theta,
                x3 * cos_phi + (x1 * sin_theta + x2 * cos_theta) * sin_phi,
            )
        }
        [x1, x2] => (f64::from(x1), f64::from(x2)),
        [x1] => (f64::from(x1), 0.0),
        [] => (0.0, 0.0),
    }
}

/// The points of a cloud, every frame, as drawn.
fn projected(cloud: &Cloud) -> impl Iterator<Item = (f64, f64)> + '_ {
    cloud
        .coords
        .chunks_exact(cloud.dimension.max(1))
        .map(project)
}

/// The half-side h of a square window [−h, h]² that shows nearly all of `clouds` (every frame):
/// the 99th percentile of max(|u|, |v|) over their drawn points, plus 8%, rounded up to a
/// multiple of ½ (at least ½). The farthest 1% may fall outside and are clipped.
pub fn half_width(clouds: &[&Cloud]) -> f64 {
    let mut reach: Vec<f64> = clouds
        .iter()
        .flat_map(|cloud| projected(cloud))
        .map(|(u, v)| u.abs().max(v.abs()))
        .filter(|reach| reach.is_finite())
        .collect();
    if reach.is_empty() {
        return 1.0;
    }
    reach.sort_by(f64::total_cmp);
    let percentile = reach[(reach.len() - 1) * 99 / 100];
    (percentile * 1.08 * 2.0).ceil().max(1.0) / 2.0
}

/// From the window [−h, h]² to SVG units inside the square (y grows downwards).
#[derive(Debug, Clone, Copy)]
struct View {
    half: f64,
}

impl View {
    fn x(self, u: f64) -> f64 {
        (u + self.half) / (2.0 * self.half) * WINDOW
    }

    fn y(self, v: f64) -> f64 {
        (self.half - v) / (2.0 * self.half) * WINDOW
    }

    fn point(self, point: &[f32]) -> (f64, f64) {
        let (u, v) = project(point);
        (self.x(u), self.y(v))
    }
}

/// A cloud's last frame: its only one, for a plain cloud; nothing when it has no frames.
fn last_frame(cloud: &Cloud) -> &[f32] {
    match cloud.frames {
        0 => &[],
        frames => cloud.frame(frames - 1),
    }
}

/// Every `stride`-th point of `cloud`'s last frame: as circles, or, past [`MAX_CIRCLE_ELEMENTS`]
/// points, as one path of dots per class.
fn circles(cloud: &Cloud, stride: usize, view: View) -> String {
    let points: Vec<(usize, f64, f64)> = last_frame(cloud)
        .chunks_exact(cloud.dimension.max(1))
        .enumerate()
        .step_by(stride.max(1))
        .map(|(index, point)| {
            let (x, y) = view.point(point);
            (index, x, y)
        })
        .filter(|(_, x, y)| x.is_finite() && y.is_finite())
        .collect();
    let mut markup = String::new();
    if points.len() <= MAX_CIRCLE_ELEMENTS {
        for (index, x, y) in points {
            let _ = write!(
                markup,
                r#"<circle cx="{}" cy="{}" r="{RADIUS}"{}/>"#,
                Tenths(x),
                Tenths(y),
                class_attribute(cloud, index)
            );
        }
        return markup;
    }
    // One path per class (in order of first appearance): each dot a circle of two arcs, the
    // same for every dot (written once: formatting floats is most of a redraw's time).
    let arcs = format!(
        "a{RADIUS} {RADIUS} 0 1 0 {d} 0a{RADIUS} {RADIUS} 0 1 0 -{d} 0",
        d = 2.0 * RADIUS
    );
    let mut paths: Vec<(Option<String>, String)> = Vec::new();
    for (index, x, y) in points {
        let class = point_class(cloud, index);
        let at = match paths.iter().position(|(known, _)| *known == class) {
            Some(at) => at,
            None => {
                paths.push((class, String::new()));
                paths.len() - 1
            }
        };
        let path = &mut paths[at].1;
        let _ = write!(path, "M{} {}", Tenths(x - RADIUS), Tenths(y));
        path.push_str(&arcs);
    }
    for (class, path) in paths {
        let class = class.map(|class| format!(" {class}")).unwrap_or_default();
        let _ = write!(markup, r#"<path class="dots{class}" d="{path}"/>"#);
    }
    markup
}

/// The CSS class of a point with a class (`k0`, `k1`, …): its colour.
fn point_class(cloud: &Cloud, index: usize) -> Option<String> {
    cloud.label(index).map(|label| format!("k{}", label.min(9)))
}

/// ` class="k<label>"` for a point with a class, else nothing.
fn class_attribute(cloud: &Cloud, index: usize) -> String {
    point_class(cloud, index)
        .map(|class| format!(r#" class="{class}""#))
        .unwrap_or_default()
}

/// An ellipse to draw over the points: {c + S^½ u : ‖u‖ ≤ 1} for a symmetric positive
/// semi-definite 2 × 2 shape matrix S, in the window's coordinates (u, v).
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// Its colour and stroke in the style sheet.
    pub class: &'static str,
    pub center: (f64, f64),
    /// `[[s₁₁, s₁₂], [s₂₁, s₂₂]]`.
    pub shape: [[f64; 2]; 2],
}

impl Outline {
    /// The outline of the ellipsoid {S^½ u} of R^d (d = 2 or 3, S row-major d × d) as the view
    /// shows it: the projection P of [`project`] maps it to the ellipse of P S Pᵀ.
    pub fn of_ellipsoid(class: &'static str, shape: &[f64], dimension: usize) -> Self {
        let rows: Vec<[f64; 3]> = if dimension >= 3 {
            let (sin_theta, cos_theta) = AZIMUTH.sin_cos();
            let (sin_phi, cos_phi) = ELEVATION.sin_cos();
            vec![
                [cos_theta, -sin_theta, 0.0],
                [sin_phi * sin_theta, sin_phi * cos_theta, cos_phi],
            ]
        } else {
            vec![[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
        };
        let d = dimension.clamp(1, 3);
        let entry = |i: usize, j: usize| shape.get(i * d + j).copied().unwrap_or(0.0);
        let mut projected = [[0.0; 2]; 2];
        for (a, row_a) in rows.iter().enumerate() {
            for (b, row_b) in rows.iter().enumerate() {
                projected[a][b] = (0..d)
                    .flat_map(|i| (0..d).map(move |j| (i, j)))
                    .map(|(i, j)| row_a[i] * entry(i, j) * row_b[j])
                    .sum();
            }
        }
        Self {
            class,
            center: (0.0, 0.0),
            shape: projected,
        }
    }

    /// An SVG ellipse in window units: semi-axes the square roots of S's eigenvalues, turned to
    /// its eigenvectors (y grows downwards, so angles turn the other way).
    fn svg(&self, view: View) -> String {
        let [[a, b], [_, c]] = self.shape;
        let mean = (a + c) / 2.0;
        let radius = (((a - c) / 2.0).powi(2) + b * b).sqrt();
        let scale = WINDOW / (2.0 * view.half);
        let (major, minor) = (
            (mean + radius).max(0.0).sqrt() * scale,
            (mean - radius).max(0.0).sqrt() * scale,
        );
        let degrees = 0.5 * (2.0 * b).atan2(a - c).to_degrees();
        let (x, y) = (view.x(self.center.0), view.y(self.center.1));
        format!(
            r#"<ellipse class="{0}" data-outline="{0}" cx="{x:.1}" cy="{y:.1}" rx="{major:.1}" ry="{minor:.1}" transform="rotate({1:.2} {x:.1} {y:.1})"/>"#,
            self.class, -degrees
        )
    }
}

/// Per cloud of `counts` points, take every k-th point so that all together draw at most
/// `budget`: the smaller clouds are drawn whole when they fit, the larger share what is left.
fn strides(counts: &[usize], budget: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by_key(|&index| counts[index]);
    let mut strides = vec![1; counts.len()];
    let mut left = budget;
    for (position, &index) in order.iter().enumerate() {
        let share = (left / (counts.len() - position)).max(1);
        strides[index] = counts[index].div_ceil(share).max(1);
        left = left.saturating_sub(counts[index].div_ceil(strides[index]));
    }
    strides
}

/// The window's frame, in figure units. Points in the plane get ticks and a grid; points in
/// space get the three coordinate axes through the origin, as the view shows them.
fn axes(dimension: usize, view: View) -> AnyView {
    let half = view.half;
    let frame = view! { <rect class="frame" x=LEFT y=TOP width=WINDOW height=WINDOW/> };
    if dimension >= 3 {
        let lines = [
            ([1.0f32, 0.0, 0.0], "x₁"),
            ([0.0, 1.0, 0.0], "x₂"),
            ([0.0, 0.0, 1.0], "x₃"),
        ]
        .into_iter()
        .map(|(axis, label)| {
            let (du, dv) = project(&axis);
            let reach = 0.82 * half / du.abs().max(dv.abs()).max(1e-9);
            let end = |scale: f64| (LEFT + view.x(scale * du), TOP + view.y(scale * dv));
            let ((x0, y0), (x1, y1), (tx, ty)) = (end(-reach), end(reach), end(1.1 * reach));
            view! {
                <g class="space-axis">
                    <line x1=x0 y1=y0 x2=x1 y2=y1/>
                    <text x=tx y=ty + 4.0 text-anchor="middle">{label}</text>
                </g>
            }
        })
        .collect_view();
        return view! {
            {frame}{lines}
            <text class="axis-label" x=LEFT + WINDOW / 2.0 y=SIZE - 14.0 text-anchor="middle">"R³, seen from a fixed angle"</text>
        }
        .into_any();
    }
    let marks = ticks(-half, half, false);
    let vertical = marks
        .iter()
        .map(|&u| {
            let x = LEFT + view.x(u);
            view! {
                <g class="tick">
                    <line class="grid" x1=x x2=x y1=TOP y2=TOP + WINDOW/>
                    <text x=x y=TOP + WINDOW + 16.0 text-anchor="middle">{tick_label(u, false)}</text>
                </g>
            }
        })
        .collect_view();
    let horizontal = marks
        .iter()
        .map(|&v| {
            let y = TOP + view.y(v);
            view! {
                <g class="tick">
                    <line class="grid" x1=LEFT x2=LEFT + WINDOW y1=y y2=y/>
                    <text x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{tick_label(v, false)}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        {vertical}{horizontal}{frame}
        <text class="axis-label" x=LEFT + WINDOW / 2.0 y=SIZE - 6.0 text-anchor="middle">"x₁"</text>
        <text class="axis-label" transform=format!("translate(12 {}) rotate(-90)", TOP + WINDOW / 2.0) text-anchor="middle">"x₂"</text>
    }
    .into_any()
}

/// A key to the clouds' colours, in HTML below the figure (it wraps on a phone).
fn legend(entries: Vec<(String, &'static str)>) -> impl IntoView {
    let items = entries
        .into_iter()
        .map(|(label, class)| {
            view! {
                <li class=class>
                    <svg viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="3.5"/></svg>
                    {label}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="cloud-legend">{items}</ul> }
}

/// A cloud to draw; `class` picks its colour and mark in the style sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub label: String,
    pub class: &'static str,
    /// Its last frame is drawn (the only one, for a plain cloud).
    pub cloud: Cloud,
}

/// Clouds overlaid in one square window, with a key.
#[component]
pub fn Scatter(
    /// The clouds, first at the bottom; redrawn only when they change. Nothing is drawn while
    /// they are all empty.
    layers: Signal<Vec<Layer>>,
    /// Half the side of the window, centred on the origin; chosen from the clouds when absent.
    #[prop(optional, into)]
    half: MaybeProp<f64>,
    /// Ellipses drawn over the clouds (`[data-outline="<class>"]`).
    #[prop(optional, into)]
    outlines: MaybeProp<Vec<Outline>>,
    /// Under the key: what the figure shows.
    caption: &'static str,
    /// Read by screen readers.
    description: &'static str,
) -> impl IntoView {
    let layers = Memo::new(move |_| layers.get());
    let node = NodeRef::<leptos::svg::Svg>::new();
    let text_size = scaled_text(node);
    let data = Callback::new(move |address: String| {
        layers.with_untracked(|layers| {
            let clouds: Vec<(String, &Cloud)> = layers
                .iter()
                .map(|layer| (layer.label.clone(), &layer.cloud))
                .collect();
            clouds_csv(&clouds, description, &address)
        })
    });
    // The figure's frame (window, axes, key, one group per cloud) is built again only when
    // its shape changes; a report that moves points redraws only the groups whose points moved.
    let shape = Memo::new(move |_| {
        layers.with(|layers| {
            if layers.iter().all(|layer| layer.cloud.count() == 0) {
                return None;
            }
            let clouds: Vec<&Cloud> = layers.iter().map(|layer| &layer.cloud).collect();
            let counts: Vec<usize> = clouds.iter().map(|cloud| cloud.count()).collect();
            Some(Shape {
                half: half.get().unwrap_or_else(|| half_width(&clouds)),
                dimension: clouds
                    .iter()
                    .map(|cloud| cloud.dimension)
                    .max()
                    .unwrap_or(2),
                strides: strides(&counts, MAX_CIRCLES),
                counts,
                groups: layers
                    .iter()
                    .map(|layer| (layer.label.clone(), layer.class, layer.cloud.name.clone()))
                    .collect(),
            })
        })
    });
    move || {
        let shape = shape.get()?;
        let view = View { half: shape.half };
        let groups = shape
            .groups
            .iter()
            .enumerate()
            .map(|(index, (_, class, name))| {
                let stride = shape.strides[index];
                let markup = Memo::new(move |_| {
                    layers.with(|layers| {
                        layers
                            .get(index)
                            .map(|layer| circles(&layer.cloud, stride, view))
                            .unwrap_or_default()
                    })
                });
                view! {
                    <g class=format!("cloud {class}") data-cloud=name.clone() data-points=shape.counts[index] inner_html=move || markup.get()></g>
                }
            })
            .collect_view();
        let key = shape
            .groups
            .iter()
            .map(|(label, class, _)| (label.clone(), *class))
            .collect();
        let outlines = move || {
            outlines
                .get()
                .unwrap_or_default()
                .iter()
                .map(|outline| outline.svg(view))
                .collect::<String>()
        };
        Some(view! {
            <figure class="scatter">
                <svg viewBox=format!("0 0 {SIZE} {SIZE}") role="img" aria-label=description preserveAspectRatio="xMidYMid meet"
                    node_ref=node style:font-size=text_size>
                    {axes(shape.dimension, view)}
                    <svg class="window" x=LEFT y=TOP width=WINDOW height=WINDOW viewBox=format!("0 0 {WINDOW} {WINDOW}")>
                        {groups}
                        <g class="outlines" inner_html=outlines></g>
                    </svg>
                </svg>
                <figcaption>{legend(key)}<p class="explain">{caption}</p></figcaption>
                <crate::export::FigureTools svg=node title=description data=data/>
            </figure>
        })
    }
}

/// What a scatter's frame depends on: its window, its axes, and its groups (label, class and
/// name of each cloud, with its point count and the stride its circles are drawn at).
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    half: f64,
    dimension: usize,
    counts: Vec<usize>,
    strides: Vec<usize>,
    groups: Vec<(String, &'static str, String)>,
}

/// Clouds as CSV: one row per point of each cloud's last frame, with its class when it has one.
fn clouds_csv(clouds: &[(String, &Cloud)], what: &str, address: &str) -> String {
    let dimension = clouds
        .iter()
        .map(|(_, cloud)| cloud.dimension)
        .max()
        .unwrap_or(2);
    let mut header = vec!["cloud".to_owned(), "frame".to_owned(), "class".to_owned()];
    header.extend((1..=dimension).map(|axis| format!("x{axis}")));
    let mut rows = Vec::new();
    for (label, cloud) in clouds {
        for frame in 0..cloud.frames {
            for (index, point) in cloud
                .frame(frame)
                .chunks(cloud.dimension.max(1))
                .enumerate()
            {
                let mut row = vec![
                    label.clone(),
                    frame.to_string(),
                    cloud
                        .label(index)
                        .map(|class| class.to_string())
                        .unwrap_or_default(),
                ];
                row.extend(point.iter().map(f32::to_string));
                rows.push(row);
            }
        }
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    crate::export::csv(what, address, &header, &rows)
}

/// The font size of a scatter's SVG (`SIZE` units square) that keeps its text at 12 px however
/// narrow it is drawn.
fn scaled_text(node: NodeRef<leptos::svg::Svg>) -> impl Fn() -> String + Copy {
    let width = crate::sizing::rendered_width(node, SIZE);
    move || {
        format!(
            "{:.1}px",
            crate::sizing::font_units(12.0, SIZE, width.get())
        )
    }
}

/// Kept frames a drawn trail spans.
const TRAIL: usize = 12;

/// A sampler's paths in window units, ready to draw at any frame.
struct Track {
    frames: usize,
    count: usize,
    /// Point `i` at frame `f` is `positions[f * count + i]`.
    positions: Vec<(f64, f64)>,
    /// The frames the drawn paths pass through: every `stride`-th, and the last.
    kept: Vec<usize>,
    /// Per point: its path through the kept frames, as polyline points `x,y x,y …`.
    paths: Vec<String>,
    /// Per point: where its path's text ends after each kept frame.
    ends: Vec<Vec<usize>>,
}

impl Track {
    fn new(cloud: &Cloud, view: View) -> Self {
        // The player only builds tracks of clouds with frames and points.
        let (frames, count) = (cloud.frames.max(1), cloud.count());
        let positions: Vec<(f64, f64)> = (0..frames)
            .flat_map(|frame| {
                cloud
                    .frame(frame)
                    .chunks_exact(cloud.dimension.max(1))
                    .map(move |point| view.point(point))
            })
            .collect();
        let stride = playback_stride(frames);
        let mut kept: Vec<usize> = (0..frames).step_by(stride).collect();
        if kept.last() != Some(&(frames - 1)) {
            kept.push(frames - 1);
        }
        let (mut paths, mut ends) = (Vec::with_capacity(count), Vec::with_capacity(count));
        for point in 0..count {
            let mut path = String::new();
            let mut point_ends = Vec::with_capacity(kept.len());
            for &frame in &kept {
                let (x, y) = positions[frame * count + point];
                let separator = if path.is_empty() { "" } else { " " };
                let _ = write!(path, "{separator}{},{}", Tenths(x), Tenths(y));
                point_ends.push(path.len());
            }
            paths.push(path);
            ends.push(point_ends);
        }
        Self {
            frames,
            count,
            positions,
            kept,
            paths,
            ends,
        }
    }

    /// Where `point` is at `frame` (the last frame past the end).
    fn position(&self, point: usize, frame: usize) -> (f64, f64) {
        self.positions[frame.min(self.frames - 1) * self.count + point]
    }

    /// `point`'s recent path up to `frame`: its last [`TRAIL`] kept frames (a whole path of
    /// DDPM's noisy steps is a scribble; a trail shows where the point is heading).
    fn path_to(&self, point: usize, frame: usize) -> String {
        let frame = frame.min(self.frames - 1);
        let passed = self.kept.partition_point(|&kept| kept <= frame).max(1);
        let first = passed.saturating_sub(TRAIL);
        // Past the separator after the last frame left out.
        let start = if first == 0 {
            0
        } else {
            self.ends[point][first - 1] + 1
        };
        let mut path = self.paths[point][start..self.ends[point][passed - 1]].to_owned();
        if self.kept[passed - 1] != frame {
            let (x, y) = self.position(point, frame);
            let _ = write!(path, " {},{}", Tenths(x), Tenths(y));
        }
        path
    }
}

/// Frames advanced per tick: 1 up to 101 frames; beyond, enough to play in [`PLAYBACK_TICKS`].
fn playback_stride(frames: usize) -> usize {
    frames.saturating_sub(1).div_ceil(PLAYBACK_TICKS).max(1)
}

/// Whether the person asked the system for less motion.
fn prefers_reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}

/// How a player speaks of its frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlayerWords {
    /// The slider's label.
    pub control: &'static str,
    /// One frame, in "<unit> 3 of 20".
    pub unit: &'static str,
    /// After the first and the last frame's number.
    pub first: &'static str,
    pub last: &'static str,
    /// The paths, in the key.
    pub key: &'static str,
}

impl PlayerWords {
    /// A sampler's paths from noise to samples (chapter 3).
    pub const SAMPLER: Self = Self {
        control: "sampler step",
        unit: "step",
        first: ": pure noise",
        last: ": the samples",
        key: "paths from noise to samples",
    };
    /// Points through a network's layers (chapter 4).
    pub const LAYERS: Self = Self {
        control: "layer",
        unit: "layer",
        first: ": the input",
        last: ": the last layer's output",
        key: "points through the layers",
    };
}

/// What a frame is, for people.
fn frame_text(frame: usize, frames: usize, words: PlayerWords) -> String {
    let last = frames.saturating_sub(1);
    let what = if frame == 0 {
        words.first
    } else if frame == last {
        words.last
    } else {
        ""
    };
    format!("{} {frame} of {last}{what}", words.unit)
}

/// A sampler's paths, from pure noise (frame 0) to the samples (the last frame), played over the
/// data: each path drawn up to the current frame, with its current point. Plays at 20 frames a
/// second on a timer of the page's thread that moves one signal, `frame`; only the paths and
/// points (a few hundred attributes) follow it. While the run samples, the newest frame is
/// shown; when it is done, the paths start at frame 0 and play by themselves unless the person
/// prefers reduced motion. Playback stops at the last frame; Play again restarts it.
#[component]
pub fn TrajectoryPlayer(
    /// The paths: `frames` snapshots of the same points.
    trajectories: Signal<Option<Cloud>>,
    /// Drawn faintly behind the paths.
    data: Signal<Option<Cloud>>,
    /// Whether the run is over.
    is_done: Signal<bool>,
    /// Under the key: what the figure shows.
    caption: &'static str,
    /// Read by screen readers.
    description: &'static str,
    /// How the controls speak of frames.
    #[prop(default = PlayerWords::SAMPLER)]
    words: PlayerWords,
) -> impl IntoView {
    let trajectories = Memo::new(move |_| {
        trajectories
            .get()
            .filter(|cloud| cloud.frames > 0 && cloud.count() > 0)
    });
    let data = Memo::new(move |_| data.get());
    let frame = RwSignal::new(0usize);
    let is_playing = RwSignal::new(false);
    let has_autoplayed = StoredValue::new(false);
    let follows_live = StoredValue::new(true);
    let timer: StoredValue<Option<IntervalHandle>> = StoredValue::new(None);
    let frame_count =
        move || trajectories.with(|cloud| cloud.as_ref().map_or(0, |cloud| cloud.frames));
    let has_paths = Memo::new(move |_| frame_count() > 0);

    // While the run samples, the paths grow and the figure shows their newest frame (until the
    // person takes the controls); once it is done they start over at frame 0 and play, once.
    Effect::new(move |_| {
        let frames = frame_count();
        let is_done = is_done.get();
        if frames == 0 {
            is_playing.set(false);
            frame.set(0);
            has_autoplayed.set_value(false);
            follows_live.set_value(true);
        } else if !is_done {
            if follows_live.get_value() {
                frame.set(frames - 1);
            }
        } else if !has_autoplayed.get_value() {
            has_autoplayed.set_value(true);
            frame.set(0);
            is_playing.set(frames > 1 && !prefers_reduced_motion());
        }
    });

    // One timer while playing, none otherwise; it moves the frame and stops at the last.
    let stop_timer = move || {
        if let Some(Some(handle)) = timer.try_update_value(Option::take) {
            handle.clear();
        }
    };
    let tick = move || {
        let Some(frames) =
            trajectories.try_with_untracked(|cloud| cloud.as_ref().map_or(0, |cloud| cloud.frames))
        else {
            return;
        };
        let last = frames.saturating_sub(1);
        let Some(current) = frame.try_get_untracked() else {
            return;
        };
        let next = (current + playback_stride(frames)).min(last);
        frame.try_set(next);
        if next >= last {
            is_playing.try_set(false);
        }
    };
    Effect::new(move |_| {
        if is_playing.get() {
            if timer.with_value(Option::is_none) {
                timer.set_value(set_interval_with_handle(tick, TICK).ok());
            }
        } else {
            stop_timer();
        }
    });
    on_cleanup(stop_timer);

    let toggle = move |_: leptos::ev::MouseEvent| {
        follows_live.set_value(false);
        if is_playing.get_untracked() {
            is_playing.set(false);
            return;
        }
        if frame.get_untracked() + 1 >= frame_count() {
            frame.set(0);
        }
        is_playing.set(true);
    };
    let scrub = move |event: leptos::ev::Event| {
        if let Ok(value) = event_target_value(&event).parse::<usize>() {
            follows_live.set_value(false);
            is_playing.set(false);
            frame.set(value.min(frame_count().saturating_sub(1)));
        }
    };

    let node = NodeRef::<leptos::svg::Svg>::new();
    let text_size = scaled_text(node);
    // Every frame of the paths, and the data they end on.
    let player_data = Callback::new(move |address: String| {
        let paths = trajectories.get_untracked();
        let reference = data.get_untracked();
        let mut clouds: Vec<(String, &Cloud)> = Vec::new();
        if let Some(reference) = &reference {
            clouds.push(("data".to_owned(), reference));
        }
        if let Some(paths) = &paths {
            clouds.push((words.key.to_owned(), paths));
        }
        clouds_csv(&clouds, description, &address)
    });
    let picture = move || {
        let cloud = trajectories.get()?;
        let data = data.get();
        let clouds: Vec<&Cloud> = std::iter::once(&cloud).chain(data.as_ref()).collect();
        let view = View {
            half: half_width(&clouds),
        };
        let track = Arc::new(Track::new(&cloud, view));
        let reference = data.as_ref().map(|data| {
            let stride = strides(&[data.count()], MAX_CIRCLES.saturating_sub(track.count))[0];
            view! {
                <g class="cloud data faint" data-cloud=data.name.clone() data-points=data.count()
                    inner_html=circles(data, stride, view)></g>
            }
        });
        let paths = (0..track.count)
            .map(|point| {
                let track = Arc::clone(&track);
                view! { <polyline class=point_class(&cloud, point) points=move || track.path_to(point, frame.get())/> }
            })
            .collect_view();
        let heads = (0..track.count)
            .map(|point| {
                let track = Arc::clone(&track);
                let place = move || {
                    let (x, y) = track.position(point, frame.get());
                    format!("translate({} {})", Tenths(x), Tenths(y))
                };
                view! { <circle class=point_class(&cloud, point) r=HEAD_RADIUS transform=place/> }
            })
            .collect_view();
        let mut key = vec![(words.key.to_owned(), "samples")];
        if data.is_some() {
            key.insert(0, ("data".to_owned(), "data faint"));
        }
        Some(view! {
            <svg viewBox=format!("0 0 {SIZE} {SIZE}") role="img" aria-label=description preserveAspectRatio="xMidYMid meet"
                node_ref=node style:font-size=text_size>
                {axes(cloud.dimension, view)}
                <svg class="window" x=LEFT y=TOP width=WINDOW height=WINDOW viewBox=format!("0 0 {WINDOW} {WINDOW}")>
                    {reference}
                    <g class="cloud trajectories" data-cloud=cloud.name.clone() data-points=track.count>
                        <g class="paths">{paths}</g>
                        <g class="heads">{heads}</g>
                    </g>
                </svg>
            </svg>
            <figcaption>{legend(key)}<p class="explain">{caption}</p></figcaption>
        })
    };

    move || {
        has_paths.get().then(|| {
            let last = move || frame_count().saturating_sub(1);
            view! {
                <figure class="scatter player" data-frame=move || frame.get() data-frames=frame_count>
                    <div class="player-controls">
                        <button type="button" data-action="play" aria-pressed=move || is_playing.get().to_string()
                            disabled=move || frame_count() < 2 on:click=toggle>
                            <span class="icon" aria-hidden="true">{move || if is_playing.get() { "❚❚" } else { "▶" }}</span>
                            " Play"
                        </button>
                        <label class="frame-control">
                            <span class="label">{words.control}</span>
                            <input type="range" data-frame-slider min="0" max=last step="1"
                                prop:value=move || frame.get().to_string()
                                aria-valuetext=move || frame_text(frame.get(), frame_count(), words)
                                on:input=scrub/>
                        </label>
                        <output class="frame-readout">{move || frame_text(frame.get(), frame_count(), words)}</output>
                    </div>
                    {picture}
                    <crate::export::FigureTools svg=node title=description data=player_data/>
                </figure>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_cloud_is_circles_and_a_large_one_a_path_per_class() {
        let view = View { half: 2.0 };
        let small = Cloud::new("a", 2, vec![0.0, 0.0, 1.0, 1.0, -1.0, 0.5]);
        let markup = circles(&small, 1, view);
        assert_eq!(markup.matches("<circle").count(), 3);
        // The point at the origin sits in the middle of the window.
        let middle = format!(r#"cx="{:.1}" cy="{:.1}""#, WINDOW / 2.0, WINDOW / 2.0);
        assert!(markup.contains(&middle), "{markup}");
        // 300 points, every third in class 1: 200 dots in one path, 100 in the other.
        let count = 300;
        let coords = (0..count).flat_map(|i| [i as f32 / 300.0, 0.0]).collect();
        let labels = (0..count).map(|i| u32::from(i % 3 == 2)).collect();
        let large = Cloud::new("b", 2, coords).with_labels(labels);
        let markup = circles(&large, 1, view);
        assert_eq!(markup.matches("<circle").count(), 0);
        let paths: Vec<&str> = markup.split("<path").skip(1).collect();
        assert_eq!(paths.len(), 2);
        assert!(paths[0].starts_with(r#" class="dots k0""#), "{}", paths[0]);
        assert!(paths[1].starts_with(r#" class="dots k1""#), "{}", paths[1]);
        assert_eq!(paths[0].matches('M').count(), 200);
        assert_eq!(paths[1].matches('M').count(), 100);
        // Drawn at stride 2, its 150 points are few enough for circles again.
        assert_eq!(circles(&large, 2, view).matches("<circle").count(), 150);
    }

    #[test]
    fn a_clouds_csv_has_each_point_of_each_frame_with_its_class() {
        let cloud = Cloud {
            name: "layers".into(),
            dimension: 2,
            frames: 2,
            coords: vec![0.0, 1.0, 2.0, 3.0, 0.5, 1.5, 2.5, 3.5],
            labels: vec![0, 1],
        };
        let text = clouds_csv(&[("tokens".into(), &cloud)], "Paths", "https://x/");
        let lines: Vec<&str> = text.lines().skip(2).collect();
        assert_eq!(
            lines,
            [
                "cloud,frame,class,x1,x2",
                "tokens,0,0,0,1",
                "tokens,0,1,2,3",
                "tokens,1,0,0.5,1.5",
                "tokens,1,1,2.5,3.5"
            ]
        );
    }

    #[test]
    fn the_view_projects_as_its_comment_says() {
        assert_eq!(project(&[1.5, -2.0]), (1.5, -2.0));
        assert_eq!(project(&[]), (0.0, 0.0));
        // The chapter's first line, (0.6, 0, 0.8), by hand: u = 0.6 cos 40° = 0.4596,
        // v = 0.8 cos 30° + 0.6 sin 40° sin 30° = 0.6928 + 0.1928.
        let (u, v) = project(&[0.6, 0.0, 0.8]);
        assert!(
            (u - 0.4596).abs() < 1e-3 && (v - 0.8856).abs() < 1e-3,
            "{u} {v}"
        );
        // The viewing direction itself collapses to the origin.
        let (sin_t, cos_t) = (40f64.to_radians().sin(), 40f64.to_radians().cos());
        let (sin_p, cos_p) = (30f64.to_radians().sin(), 30f64.to_radians().cos());
        let along = [cos_p * sin_t, cos_p * cos_t, -sin_p].map(|x| x as f32);
        let (u, v) = project(&along);
        assert!(u.abs() < 1e-6 && v.abs() < 1e-6, "{u} {v}");
    }

    #[test]
    fn the_window_holds_nearly_every_point() {
        // 100 points at 1 and one far outlier: the 99th percentile is 1, so h = ⌈1.08 · 2⌉ / 2.
        let mut coords = vec![1.0f32; 200];
        coords.extend([50.0, 0.0]);
        let cloud = Cloud::new("c", 2, coords);
        assert_eq!(half_width(&[&cloud]), 1.5);
        assert_eq!(half_width(&[]), 1.0);
    }

    #[test]
    fn thinning_keeps_small_clouds_whole_and_stays_in_budget() {
        assert_eq!(strides(&[10, 1000], 100), vec![1, 12]);
        assert_eq!(strides(&[5, 5], 100), vec![1, 1]);
        for counts in [vec![3000, 3000, 600], vec![1, 2, 5000], vec![2500]] {
            let drawn: usize = strides(&counts, 2500)
                .iter()
                .zip(&counts)
                .map(|(stride, count)| count.div_ceil(*stride))
                .sum();
            assert!(drawn <= 2500, "{counts:?}: {drawn}");
        }
    }

    #[test]
    fn playback_and_frame_words() {
        assert_eq!(playback_stride(0), 1);
        assert_eq!(playback_stride(101), 1);
        assert_eq!(playback_stride(1001), 10);
        assert_eq!(
            frame_text(0, 21, PlayerWords::LAYERS),
            "layer 0 of 20: the input"
        );
        assert_eq!(
            frame_text(20, 21, PlayerWords::LAYERS),
            "layer 20 of 20: the last layer's output"
        );
        assert_eq!(frame_text(5, 101, PlayerWords::SAMPLER), "step 5 of 100");
    }
}
