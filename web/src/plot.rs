//! A small SVG line plot: curves, trails (paths over time), horizontal reference lines and
//! marked points, with axes.
//! SVG keeps plots sharp on a projector, styled by CSS (light and dark), and readable by tests.

use leptos::prelude::*;

/// A curve to draw; `class` picks its colour in the style sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub label: String,
    pub class: &'static str,
    pub points: Vec<(f64, f64)>,
}

/// A horizontal line at `y`, labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub label: String,
    pub y: f64,
}

/// Everything a plot shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figure {
    pub curves: Vec<Curve>,
    /// Paths in time order, drawn as dots that darken from the first (faint) to the last
    /// (solid, larger) on a thin line: where something went, and when.
    pub trails: Vec<Curve>,
    pub levels: Vec<Level>,
    pub markers: Vec<(f64, f64, String)>,
    pub x_range: Option<(f64, f64)>,
    pub y_range: Option<(f64, f64)>,
    pub log_x: bool,
    /// A logarithmic y axis, for values that span decades or follow a power law.
    pub log_y: bool,
    /// The legend bottom right instead of top right, for data that never reaches there.
    pub legend_below: bool,
}

/// The width a plot is drawn at before it is laid out, and the narrowest it is drawn at (a
/// narrower figure scales down, text too).
const WIDTH: f64 = 640.0;
const MIN_WIDTH: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 44.0;
/// Vertical room for one label, in SVG units.
const LABEL_GAP: f64 = 13.0;

/// A plot's height for its width: about half as tall as wide, within what keeps the curves
/// readable on a phone and the plot on a projector's screen.
fn plot_height(width: f64) -> f64 {
    (width * 0.47).clamp(220.0, 360.0)
}

/// A plot's numbers as CSV: one row per point of each curve, per level and per marker.
fn line_csv(figure: &Figure, x_label: &str, y_label: &str, what: &str, address: &str) -> String {
    let mut rows = Vec::new();
    for curve in &figure.curves {
        for (x, y) in &curve.points {
            rows.push(vec![
                "curve".to_owned(),
                curve.label.clone(),
                x.to_string(),
                y.to_string(),
            ]);
        }
    }
    for trail in &figure.trails {
        for (x, y) in &trail.points {
            rows.push(vec![
                "trail".to_owned(),
                trail.label.clone(),
                x.to_string(),
                y.to_string(),
            ]);
        }
    }
    for level in &figure.levels {
        rows.push(vec![
            "level".to_owned(),
            level.label.clone(),
            String::new(),
            level.y.to_string(),
        ]);
    }
    for (x, y, label) in &figure.markers {
        rows.push(vec![
            "marker".to_owned(),
            label.clone(),
            x.to_string(),
            y.to_string(),
        ]);
    }
    crate::export::csv(what, address, &["series", "label", x_label, y_label], &rows)
}

/// Round values for an axis from `low` to `high` (powers of ten on a log axis).
/// The opacity of dot `index` of a trail of `count`: 0.3 for the first, rising evenly to 1
/// for the last.
fn trail_opacity(index: usize, count: usize) -> f64 {
    if count <= 1 {
        1.0
    } else {
        0.3 + 0.7 * index as f64 / (count - 1) as f64
    }
}

/// An axis's range around a single value v: v ± |v|/2 (which stays positive for a log axis),
/// or ±1 around zero.
fn around(value: f64) -> (f64, f64) {
    let half = if value == 0.0 { 1.0 } else { value.abs() / 2.0 };
    (value - half, value + half)
}

pub(crate) fn ticks(low: f64, high: f64, log: bool) -> Vec<f64> {
    ticks_about(low, high, log, 5.0)
}

/// [`ticks`] about `steps` steps apart across the range (fewer labels on a narrow plot).
pub(crate) fn ticks_about(low: f64, high: f64, log: bool, steps: f64) -> Vec<f64> {
    if log && high / low < 10.0 {
        // Within a decade, 1, 2 and 5 would leave one label or none: round numbers as on a
        // linear axis (the axis still places them logarithmically).
        return ticks_about(low, high, false, steps);
    }
    if log && high / low < 300.0 {
        // Two decades or so: 1, 2 and 5 times the powers of ten, so that the axis has labels.
        let (first, last) = (low.log10().floor() as i32, high.log10().ceil() as i32);
        return (first..=last)
            .flat_map(|power| [1.0, 2.0, 5.0].map(|factor| factor * 10f64.powi(power)))
            .filter(|tick| (low * (1.0 - 1e-9)..=high * (1.0 + 1e-9)).contains(tick))
            .collect();
    }
    if log {
        let (first, last) = (low.log10().ceil() as i32, high.log10().floor() as i32);
        // Every power of ten, or every other one when they would crowd.
        let every = if f64::from(last - first) > 1.5 * steps {
            2
        } else {
            1
        };
        return (first..=last)
            .filter(|power| (power - first) % every == 0)
            .map(|power| 10f64.powi(power))
            .collect();
    }
    let span = (high - low).max(1e-12);
    let raw = span / steps;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|factor| factor * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(raw);
    let mut tick = (low / step).ceil() * step;
    let mut ticks = Vec::new();
    while tick <= high + step * 1e-9 {
        ticks.push(if tick.abs() < step * 1e-9 { 0.0 } else { tick });
        tick += step;
    }
    ticks
}

/// A coordinate written with one decimal, as `{:.1}` writes it (`12.3`, `-0.5`; zero unsigned), but by integer
/// arithmetic: core's exact float formatting took most of the time a cloud of 2,000 points
/// spent being drawn (measured in Chromium).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tenths(pub f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = (self.0 * 10.0).round();
        // 32 bits: 64-bit division is a library call in wasm32.
        if tenths.is_nan() || tenths.abs() >= f64::from(u32::MAX) {
            // Too large (or not a number): the slow way.
            return write!(out, "{:.1}", self.0);
        }
        let sign = if tenths < 0.0 { "-" } else { "" };
        let magnitude = tenths.abs() as u32;
        write!(out, "{sign}{}.{}", magnitude / 10, magnitude % 10)
    }
}

/// A tick's value for people: no trailing zeros, powers of ten as 10ⁿ on a log axis.
pub(crate) fn tick_label(value: f64, log: bool) -> String {
    if log && value >= 1000.0 {
        // 10ⁿ, or m×10ⁿ between the powers (the 2s and 5s of a log axis).
        let power = value.log10().floor() as i32;
        let mantissa = value / 10f64.powi(power);
        if (mantissa - 1.0).abs() < 1e-9 {
            format!("10{}", superscript(power))
        } else {
            format!("{}×10{}", tick_label(mantissa, false), superscript(power))
        }
    } else if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        // Three decimals, or enough for three significant digits of a small value.
        let magnitude = value.abs().log10().floor() as i32;
        let decimals = (2 - magnitude).clamp(3, 12) as usize;
        let text = format!("{value:.decimals$}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

fn superscript(power: i32) -> String {
    power
        .to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

/// A line plot with labelled axes.
#[component]
pub fn LinePlot(
    /// What to draw; redrawn whenever it changes.
    figure: Signal<Figure>,
    x_label: &'static str,
    y_label: &'static str,
    /// Read by screen readers.
    description: &'static str,
) -> impl IntoView {
    // Drawn in CSS pixels (the viewBox is the figure's own width), so text keeps its size on a
    // phone and beside another plot.
    let node = NodeRef::<leptos::html::Figure>::new();
    let width = crate::sizing::rendered_width(node, WIDTH);
    let size = move || {
        let width = width.get().max(MIN_WIDTH);
        (width, plot_height(width))
    };
    let body = move || {
        let figure = figure.get();
        let (width, height) = size();
        let xs = figure
            .curves
            .iter()
            .chain(&figure.trails)
            .flat_map(|curve| curve.points.iter().map(|p| p.0))
            .chain(figure.markers.iter().map(|m| m.0));
        let ys = figure
            .curves
            .iter()
            .chain(&figure.trails)
            .flat_map(|curve| curve.points.iter().map(|p| p.1))
            .chain(figure.levels.iter().map(|l| l.y))
            .chain(figure.markers.iter().map(|m| m.1));
        let extent = |values: &mut dyn Iterator<Item = f64>| {
            values
                .filter(|v| v.is_finite())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v), hi.max(v))
                })
        };
        let (mut x0, mut x1) = figure
            .x_range
            .unwrap_or_else(|| extent(&mut xs.into_iter()));
        let (mut y0, mut y1) = figure
            .y_range
            .unwrap_or_else(|| extent(&mut ys.into_iter()));
        if !x0.is_finite() || !x1.is_finite() {
            (x0, x1) = (if figure.log_x { 1.0 } else { 0.0 }, 10.0);
        }
        if !y0.is_finite() || !y1.is_finite() {
            (y0, y1) = (0.0, 1.0);
        }
        if figure.log_x {
            x0 = x0.max(1.0);
            x1 = x1.max(x0 * 10.0);
        }
        if figure.log_y {
            // Only positive values have a place on a log axis.
            y0 = if y0 > 0.0 { y0 } else { y1.max(1.0) / 10.0 };
        }
        // One value (a run's first report, or a run that ended there): centred, not on an edge.
        if x1 <= x0 {
            (x0, x1) = around(x0);
        }
        if y1 <= y0 {
            (y0, y1) = around(y0);
        }
        let fx = |x: f64| {
            let t = if figure.log_x {
                (x.max(x0).log10() - x0.log10()) / (x1.log10() - x0.log10())
            } else {
                (x - x0) / (x1 - x0)
            };
            LEFT + t * (width - LEFT - RIGHT)
        };
        let fy = |y: f64| {
            let t = if figure.log_y {
                (y.max(y0).log10() - y0.log10()) / (y1.log10() - y0.log10())
            } else {
                (y - y0) / (y1 - y0)
            };
            TOP + (1.0 - t) * (height - TOP - BOTTOM)
        };
        // About one label per 80 px of axis, five at most.
        let x_steps = ((width - LEFT - RIGHT) / 80.0).clamp(2.0, 5.0);
        let x_ticks = ticks_about(x0, x1, figure.log_x, x_steps).into_iter().map(|x| view! {
            <g class="tick"><line x1=fx(x) x2=fx(x) y1=height - BOTTOM y2=height - BOTTOM + 5.0/>
            <text x=fx(x) y=height - BOTTOM + 18.0 text-anchor="middle">{tick_label(x, figure.log_x)}</text></g>
        }).collect_view();
        let y_ticks = ticks(y0, y1, figure.log_y).into_iter().map(|y| view! {
            <g class="tick"><line class="grid" x1=LEFT x2=width - RIGHT y1=fy(y) y2=fy(y)/>
            <text x=LEFT - 8.0 y=fy(y) + 4.0 text-anchor="end">{tick_label(y, figure.log_y)}</text></g>
        }).collect_view();
        let curves = figure.curves.iter().map(|curve| {
            let shown: Vec<(f64, f64)> = curve.points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()).map(|&(x, y)| (fx(x), fy(y.clamp(y0, y1)))).collect();
            let path: Vec<String> = shown.iter().map(|&(x, y)| format!("{},{}", Tenths(x), Tenths(y))).collect();
            // A line of one point draws nothing: that point gets a dot.
            let dot = (shown.len() == 1).then(|| view! { <circle class=format!("dot {}", curve.class) cx=Tenths(shown[0].0).to_string() cy=Tenths(shown[0].1).to_string() r=4.0/> });
            view! { <polyline class=format!("curve {}", curve.class) points=path.join(" ") data-curve=curve.label.clone()/>{dot} }
        }).collect_view();
        let trails = figure.trails.iter().map(|trail| {
            let shown: Vec<(f64, f64)> = trail.points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()).map(|&(x, y)| (fx(x), fy(y.clamp(y0, y1)))).collect();
            let path: Vec<String> = shown.iter().map(|&(x, y)| format!("{},{}", Tenths(x), Tenths(y))).collect();
            let last = shown.len().saturating_sub(1);
            let dots = shown.iter().enumerate().map(|(index, &(x, y))| {
                let age = trail_opacity(index, shown.len());
                let radius = if index == last { 5.0 } else { 3.0 };
                view! { <circle cx=Tenths(x).to_string() cy=Tenths(y).to_string() r=radius fill-opacity=format!("{age:.2}")/> }
            }).collect_view();
            view! { <g class=format!("trail {}", trail.class) data-trail=trail.label.clone()><polyline points=path.join(" ")/>{dots}</g> }
        }).collect_view();
        // Labels sit above their lines, moved up where they would overlap the one below.
        let mut label_ys: Vec<(usize, f64)> = figure
            .levels
            .iter()
            .enumerate()
            .map(|(index, level)| (index, fy(level.y) - 6.0))
            .collect();
        label_ys.sort_by(|a, b| b.1.total_cmp(&a.1));
        for index in 1..label_ys.len() {
            label_ys[index].1 = label_ys[index].1.min(label_ys[index - 1].1 - LABEL_GAP);
        }
        label_ys.sort_by_key(|&(index, _)| index);
        let levels = figure.levels.iter().zip(label_ys).map(|(level, (_, label_y))| view! {
            <g class="level"><line x1=LEFT x2=width - RIGHT y1=fy(level.y) y2=fy(level.y)/>
            <text x=width - RIGHT - 4.0 y=label_y text-anchor="end">{level.label.clone()}</text></g>
        }).collect_view();
        let markers = figure
            .markers
            .iter()
            .map(|(x, y, label)| {
                // Centred over the point, or ending (starting) by it near the right (left) edge,
                // so the label stays inside the plot.
                let at = fx(*x);
                let anchor = if at > 0.7 * width {
                    "end"
                } else if at < 0.3 * width {
                    "start"
                } else {
                    "middle"
                };
                view! {
                    <g class="marker"><circle cx=at cy=fy(*y) r="5"/>
                    <text x=at y=fy(*y) - 10.0 text-anchor=anchor>{label.clone()}</text></g>
                }
            })
            .collect_view();
        // The legend sits top right (or bottom right), right-aligned, over a translucent band.
        // A curve without a label (the second edge of a band, say) has no legend entry.
        let labelled: Vec<&Curve> = figure
            .curves
            .iter()
            .chain(&figure.trails)
            .filter(|curve| !curve.label.is_empty())
            .collect();
        let entries = labelled.len();
        let legend = labelled.into_iter().enumerate().map(|(index, curve)| {
            let y = if figure.legend_below {
                height - BOTTOM - 12.0 - 18.0 * (entries - 1 - index) as f64
            } else {
                TOP + 10.0 + 18.0 * index as f64
            };
            view! {
                <g class=format!("legend {}", curve.class)>
                    <line x1=width - RIGHT - 26.0 x2=width - RIGHT - 6.0 y1=y y2=y/>
                    <text x=width - RIGHT - 32.0 y=y + 4.0 text-anchor="end">{curve.label.clone()}</text>
                </g>
            }
        }).collect_view();
        view! {
            {y_ticks}{x_ticks}
            <line class="axis" x1=LEFT x2=width - RIGHT y1=height - BOTTOM y2=height - BOTTOM/>
            <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=height - BOTTOM/>
            {levels}{curves}{trails}{markers}{legend}
        }
    };
    let svg = NodeRef::<leptos::svg::Svg>::new();
    let data = Callback::new(move |address: String| {
        figure.with_untracked(|figure| line_csv(figure, x_label, y_label, description, &address))
    });
    view! {
        <figure class="plot" node_ref=node>
            <svg node_ref=svg viewBox=move || { let (width, height) = size(); format!("0 0 {width:.1} {height:.1}") } role="img" aria-label=description preserveAspectRatio="xMidYMid meet">
                {body}
                <text class="axis-label" x=move || (LEFT + size().0 - RIGHT) / 2.0 y=move || size().1 - 6.0 text-anchor="middle">{x_label}</text>
                <text class="axis-label" transform=move || format!("translate(14 {}) rotate(-90)", (TOP + size().1 - BOTTOM) / 2.0) text-anchor="middle">{y_label}</text>
            </svg>
            <crate::export::FigureTools svg=svg title=description data=data/>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: &[f64], expected: &[f64]) -> bool {
        got.len() == expected.len() && got.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-9)
    }

    #[test]
    fn tenths_are_written_as_core_writes_one_decimal() {
        // Away from the halfway points, where the two may round differently (both are fine
        // for a coordinate), and from a rounded zero, which core writes as -0.0 from below:
        // core's formatting is the reference.
        let mut value = -1234.567_f64;
        while value < 1234.0 {
            let offset = (value * 10.0).rem_euclid(1.0);
            if (offset - 0.5).abs() > 1e-6 && (value * 10.0).abs() > 0.5 + 1e-6 {
                assert_eq!(Tenths(value).to_string(), format!("{value:.1}"), "{value}");
            }
            value += 0.037_3;
        }
        assert_eq!(Tenths(0.0).to_string(), "0.0");
        assert_eq!(Tenths(-0.04).to_string(), "0.0");
        assert_eq!(Tenths(-0.26).to_string(), "-0.3");
        assert_eq!(Tenths(1e300).to_string(), format!("{:.1}", 1e300));
        assert_eq!(Tenths(f64::NAN).to_string(), "NaN");
    }

    #[test]
    fn a_single_value_sits_in_the_middle_of_its_axis() {
        assert_eq!(around(0.5), (0.25, 0.75));
        assert_eq!(around(-4.0), (-6.0, -2.0));
        assert_eq!(around(0.0), (-1.0, 1.0));
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        // A span of 1 in about five steps: 0.2 apart.
        assert!(close(
            &ticks(0.0, 1.0, false),
            &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        ));
        // 0 to 7: a raw step of 1.4 rounds up to 2.
        assert!(close(&ticks(0.0, 7.0, false), &[0.0, 2.0, 4.0, 6.0]));
        // 0.3 to 1.6: a raw step of 0.26 rounds up to 0.5, from the first multiple inside.
        assert!(close(&ticks(0.3, 1.6, false), &[0.5, 1.0, 1.5]));
        // 0 to 1.2: a raw step of 0.24 rounds up to 0.25.
        assert!(close(&ticks(0.0, 1.2, false), &[0.0, 0.25, 0.5, 0.75, 1.0]));
        // Negative ranges keep an exact zero.
        assert!(ticks(-1.0, 1.0, false).contains(&0.0));
        // Powers of ten inside a log range.
        assert!(close(
            &ticks(1.0, 10_000.0, true),
            &[1.0, 10.0, 100.0, 1000.0, 10_000.0]
        ));
        assert!(close(
            &ticks(0.5, 2000.0, true),
            &[1.0, 10.0, 100.0, 1000.0]
        ));
        // Under three decades: 1, 2 and 5 times the powers of ten inside.
        assert!(close(
            &ticks(2.0, 64.0, true),
            &[2.0, 5.0, 10.0, 20.0, 50.0]
        ));
        // Within a decade: round steps, as on a linear axis.
        assert!(close(&ticks(2.3, 3.9, true), &[2.5, 3.0, 3.5]));
    }

    #[test]
    fn a_plots_csv_has_every_point_level_and_marker() {
        let figure = Figure {
            curves: vec![Curve {
                label: "h(p)".into(),
                class: "one",
                points: vec![(0.5, 1.0), (0.9, 0.469)],
            }],
            levels: vec![Level {
                label: "h = 0.469".into(),
                y: 0.469,
            }],
            markers: vec![(0.9, 0.469, "p = 0.9".into())],
            ..Figure::default()
        };
        let text = line_csv(&figure, "p", "bits per flip", "Entropy", "https://x/?a=1");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "# reproduce: https://x/?a=1");
        assert_eq!(lines[2], "series,label,p,bits per flip");
        assert_eq!(
            &lines[3..],
            [
                "curve,h(p),0.5,1",
                "curve,h(p),0.9,0.469",
                "level,h = 0.469,,0.469",
                "marker,p = 0.9,0.9,0.469"
            ]
        );
    }

    #[test]
    fn a_trail_fades_in_from_its_first_dot_to_its_last() {
        assert_eq!(trail_opacity(0, 1), 1.0);
        assert!((trail_opacity(0, 5) - 0.3).abs() < 1e-12);
        assert!((trail_opacity(2, 5) - 0.65).abs() < 1e-12);
        assert!((trail_opacity(4, 5) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_narrow_axis_gets_fewer_ticks() {
        // 0 to 10 000 in about two steps: 5 000 apart.
        assert!(close(
            &ticks_about(0.0, 10_000.0, false, 2.0),
            &[0.0, 5_000.0, 10_000.0]
        ));
        // 10⁰ … 10⁶ over about two steps: every other power.
        assert!(close(
            &ticks_about(1.0, 1e6, true, 2.0),
            &[1.0, 100.0, 10_000.0, 1e6]
        ));
    }

    #[test]
    fn tick_labels_read_as_people_write_numbers() {
        assert_eq!(tick_label(3.0, false), "3");
        assert_eq!(tick_label(0.25, false), "0.25");
        assert_eq!(tick_label(0.1 + 0.2, false), "0.3");
        assert_eq!(tick_label(12.5, false), "12.5");
        assert_eq!(tick_label(-0.75, false), "-0.75");
        // Small steps keep their digits instead of turning into "0.".
        assert_eq!(tick_label(0.000_25, false), "0.00025");
        assert_eq!(tick_label(0.0015, false), "0.0015");
        assert_eq!(tick_label(100.0, true), "100");
        assert_eq!(tick_label(10_000.0, true), "10⁴");
        assert_eq!(tick_label(1e6, true), "10⁶");
        assert_eq!(tick_label(2000.0, true), "2×10³");
        assert_eq!(tick_label(5e4, true), "5×10⁴");
        assert_eq!(tick_label(650_000.0, true), "6.5×10⁵");
        assert_eq!(superscript(-12), "⁻¹²");
    }
}
