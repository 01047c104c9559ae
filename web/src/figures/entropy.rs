//! The figures of chapter `entropy`: entropy is the shortest average code, and arithmetic coding reaches it.

use leptos::prelude::*;
use occam_core::entropy::binary_entropy;
use occam_core::huffman::{HuffmanCode, block_probabilities};
use occam_demos::block_codes::LENGTH_CURVE;
use occam_demos::coin_flips::{ADAPTIVE_CURVE, MISMATCHED_CURVE, N, P, Q, STATIC_CURVE};
use occam_demos::params::group_thousands;
use occam_demos::{block_codes, text_model};

use crate::demo::DemoState;
use crate::plot::{Curve, Figure, Level, LinePlot};

/// The entropy curve with p marked, and the coders' running bits per flip.
pub fn coin_flips(state: DemoState) -> AnyView {
    let p = move || state.values.get().float(P.name).unwrap_or(0.9);
    let q = move || state.values.get().float(Q.name).unwrap_or(0.5);
    let entropy_figure = Signal::derive(move || {
        let p = p();
        Figure {
            curves: vec![Curve {
                label: "h(p)".into(),
                class: "one",
                points: (0..=200)
                    .map(|i| f64::from(i) / 200.0)
                    .map(|q| (q, binary_entropy(q)))
                    .collect(),
            }],
            markers: vec![(
                p,
                binary_entropy(p),
                format!("p = {p}: {:.3} bits", binary_entropy(p)),
            )],
            x_range: Some((0.0, 1.0)),
            y_range: Some((0.0, 1.1)),
            ..Figure::default()
        }
    });
    let running_figure = Signal::derive(move || {
        let curve = |name: &str| state.series(name);
        let n = state.values.get().int(N.name).unwrap_or(10_000) as f64;
        Figure {
            curves: vec![
                Curve {
                    label: "adaptive (learns p)".into(),
                    class: "one",
                    points: curve(ADAPTIVE_CURVE),
                },
                Curve {
                    label: "static (knows p)".into(),
                    class: "two",
                    points: curve(STATIC_CURVE),
                },
                Curve {
                    label: format!("static (told q = {})", q()),
                    class: "three",
                    points: curve(MISMATCHED_CURVE),
                },
            ],
            levels: vec![Level {
                label: format!("h(p) = {:.3}", binary_entropy(p())),
                y: binary_entropy(p()),
            }],
            x_range: Some((1.0, n.max(10.0))),
            y_range: Some((0.0, 2.0)),
            log_x: true,
            ..Figure::default()
        }
    });
    view! {
        <div class="figures">
            <LinePlot figure=entropy_figure x_label="p = P(heads)" y_label="bits per flip" description="The binary entropy curve, with the current p marked."/>
            <LinePlot figure=running_figure x_label="flips read" y_label="coded bits per flip" description="Bits per flip spent so far by each coder, converging to the entropy."/>
        </div>
    }
    .into_any()
}

/// Blocks shown in the code table at most (k ≤ 5).
const TABLE_MAX_K: u64 = 5;

/// The code table for small k, and bits per flip against k.
pub fn block_codes(state: DemoState) -> AnyView {
    let p = move || state.values.get().float(P.name).unwrap_or(0.9);
    let k = move || state.values.get().int(block_codes::K.name).unwrap_or(3);
    let table = move || {
        let (p, k) = (p(), k());
        if k > TABLE_MAX_K {
            return view! { <p class="note">"The table is shown for blocks of up to 5 flips (32 codewords); this code has " {1u64 << k} "."</p> }.into_any();
        }
        let probabilities = block_probabilities(p, k as u32);
        let Ok(code) = HuffmanCode::new(&probabilities) else {
            return view! { <p class="note">"No code for these probabilities."</p> }.into_any();
        };
        let mut order: Vec<usize> = (0..probabilities.len()).collect();
        order.sort_by(|a, b| {
            probabilities[*b]
                .total_cmp(&probabilities[*a])
                .then(a.cmp(b))
        });
        let rows = order
            .into_iter()
            .map(|block| {
                let flips: String = (0..k).map(|j| if block & (1 << j) != 0 { 'H' } else { 'T' }).collect();
                let codeword: String = code.codeword(block).unwrap_or_default().iter().map(|&bit| if bit { '1' } else { '0' }).collect();
                view! {
                    <tr><td class="mono">{flips}</td><td class="num">{format!("{:.5}", probabilities[block])}</td>
                    <td class="mono">{codeword}</td><td class="num">{code.lengths()[block]}</td></tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="code-table" data-code-table>
                    <caption>"Huffman code for blocks of " {k} " flips at p = " {p}</caption>
                    <thead><tr><th>"block"</th><th>"probability"</th><th>"codeword"</th><th>"bits"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let figure = Signal::derive(move || {
        let points = state.series(LENGTH_CURVE);
        let current = points
            .iter()
            .find(|(block, _)| *block == k() as f64)
            .map(|&(block, bits)| (block, bits, format!("k = {block}: {bits:.3}")));
        Figure {
            curves: vec![Curve {
                label: "Huffman, bits per flip".into(),
                class: "one",
                points,
            }],
            levels: vec![Level {
                label: format!("h(p) = {:.3}", binary_entropy(p())),
                y: binary_entropy(p()),
            }],
            markers: current.into_iter().collect(),
            x_range: Some((1.0, 12.0)),
            y_range: Some((0.0, 1.1)),
            ..Figure::default()
        }
    });
    view! {
        <div class="figures">
            {table}
            <LinePlot figure=figure x_label="flips per block, k" y_label="bits per flip" description="Expected bits per flip of the Huffman code for blocks of k flips, approaching the entropy from above."/>
        </div>
    }
    .into_any()
}

/// The text-model's figures: the ladder of code lengths, the training loss against the
/// counting models and gzip, and the text coloured by the neural model's surprise.
pub fn text_model(state: DemoState) -> AnyView {
    use occam_demos::text_model::{LOSS_CURVE, SURPRISE, order_bits, order_ideal_bits};
    let metric = move |name: &str| state.metric(name);
    let order = move || {
        state
            .values
            .with(|values| values.int(text_model::ORDER.name).unwrap_or(2)) as usize
    };
    let ladder = move || {
        let chars = metric(text_model::metric::CHARS).filter(|&n| n > 0.0)?;
        struct Row {
            id: String,
            name: String,
            ideal: Option<f64>,
            coded: f64,
            model: Option<f64>,
        }
        let mut rows: Vec<Row> = (0..=occam_core::context::MAX_ORDER)
            .filter_map(|k| {
                Some(Row {
                    id: format!("order-{k}"),
                    name: match k {
                        0 => "order 0: character counts".into(),
                        1 => "order 1: counts after each character".into(),
                        _ => format!("order {k}: counts after {k} characters"),
                    },
                    ideal: metric(&order_ideal_bits(k)),
                    coded: metric(&order_bits(k))?,
                    model: Some(0.0),
                })
            })
            .collect();
        if let Some(coded) = metric(text_model::metric::NEURAL_BITS) {
            rows.push(Row {
                id: "neural".into(),
                name: format!(
                    "neural: {} parameters",
                    group_thousands(
                        metric(text_model::metric::NEURAL_PARAMETERS).unwrap_or(0.0) as usize
                    )
                ),
                ideal: metric(text_model::metric::NEURAL_IDEAL_BITS),
                coded,
                model: metric(text_model::metric::NEURAL_MODEL_BITS),
            });
        }
        for (id, name) in [("gzip", "gzip (deflate)"), ("brotli", "brotli")] {
            if let Some(coded) = metric(&format!("{id}-bits")) {
                rows.push(Row {
                    id: id.into(),
                    name: name.into(),
                    ideal: None,
                    coded,
                    model: None,
                });
            }
        }
        let best = rows
            .iter()
            .map(|row| row.coded + row.model.unwrap_or(0.0))
            .fold(f64::INFINITY, f64::min);
        let chosen = format!("order-{}", order());
        let body = rows
            .into_iter()
            .map(|row| {
                let total = row.coded + row.model.unwrap_or(0.0);
                let class = [(row.id == chosen).then_some("chosen"), (total == best).then_some("best")]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                view! {
                    <tr data-model=row.id.clone() data-total-bits=total.to_string() class=class>
                        <th scope="row">{row.name}</th>
                        <td class="num">{row.ideal.map_or("—".into(), |ideal| format!("{:.3}", ideal / chars))}</td>
                        <td class="num">{format!("{:.3}", row.coded / chars)}</td>
                        <td class="num">{row.ideal.map_or("—".into(), |ideal| format!("{:+.2}", row.coded - ideal))}</td>
                        <td class="num">{match row.model {
                            Some(bits) if bits > 0.0 => group_thousands(bits.round() as usize),
                            Some(_) => "0*".into(),
                            None => "—".into(),
                        }}</td>
                        <td class="num">{group_thousands(total.round() as usize)}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <div class="table-wrap full ladder-wrap">
                <table class="code-table ladder" data-ladder>
                    <caption>{format!("The same {} characters, coded by each model and decoded again", group_thousands(chars as usize))}</caption>
                    <thead><tr>
                        <th scope="col">"model"</th>
                        <th scope="col">"cross-entropy, bits/char"</th>
                        <th scope="col">"coded, bits/char"</th>
                        <th scope="col">"coded − cross-entropy, bits in all"</th>
                        <th scope="col">"model, bits"</th>
                        <th scope="col">"total, bits"</th>
                    </tr></thead>
                    <tbody>{body}</tbody>
                </table>
                <p class="note explain">"* The counting models learn as they code, so the decoder learns the same counts: the cost of learning is inside their coded bits. Besides the code, their decoder must be told the alphabet and the length of the text (a few dozen bytes, not counted here); gzip and brotli carry their own headers and lengths inside theirs."</p>
            </div>
        })
    };
    let figure = Signal::derive(move || {
        let points = state.series(LOSS_CURVE);
        let levels = [
            (
                "order 0".to_owned(),
                metric(text_model::metric::ORDER0_BITS_PER_CHAR),
            ),
            (
                format!("order {}", order()),
                metric(text_model::metric::CONTEXT_BITS_PER_CHAR),
            ),
            (
                "gzip".to_owned(),
                metric(text_model::metric::GZIP_BITS_PER_CHAR),
            ),
        ]
        .into_iter()
        .filter_map(|(label, y)| {
            y.map(|y| Level {
                label: format!("{label}: {y:.2}"),
                y,
            })
        })
        .collect();
        let steps = state
            .values
            .with(|values| values.int(text_model::STEPS.name).unwrap_or(1))
            as f64;
        Figure {
            curves: vec![Curve {
                label: "neural model, training loss".into(),
                class: "one",
                points,
            }],
            levels,
            x_range: Some((0.0, steps.max(1.0))),
            y_range: Some((0.0, 8.0)),
            ..Figure::default()
        }
    });
    let surprise = Memo::new(move |_| state.series(SURPRISE));
    let coloured = move || {
        let points = surprise.get();
        if points.is_empty() {
            return None;
        }
        let text = state.values.with(|values| {
            values
                .text(text_model::TEXT.name)
                .map(str::to_owned)
                .unwrap_or_default()
        });
        let shown = points.len();
        let total = text.chars().count();
        let spans = text
            .chars()
            .zip(points)
            .map(|(c, (_, bits))| {
                let shade = (bits / 10.0).clamp(0.0, 1.0);
                view! { <span style=("--s", format!("{shade:.2}")) title=format!("{c:?}: {bits:.2} bits")>{c.to_string()}</span> }
            })
            .collect_view();
        Some(view! {
            <figure class="surprise full">
                <div class="surprise-text" data-surprise>{spans}</div>
                <figcaption>
                    {format!("Each character shaded by its cost under the neural model, from 0 bits (pale) to 10 or more (dark){}. Hover or long-press a character for its bits.",
                        if shown < total { format!("; the first {} of {} characters", group_thousands(shown), group_thousands(total)) } else { String::new() })}
                </figcaption>
            </figure>
        })
    };
    view! {
        <div class="figures">
            {ladder}
            <div class="full">
                <LinePlot figure=figure x_label="training step" y_label="bits per character" description="The neural model's training loss in bits per character, against the coded lengths of the counting models and gzip."/>
            </div>
            {coloured}
        </div>
    }
    .into_any()
}
