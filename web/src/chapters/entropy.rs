//! Chapter `entropy`: entropy is the shortest average code, and arithmetic coding reaches it.

use leptos::prelude::*;
use occam_core::entropy::binary_entropy;
use occam_core::huffman::{HuffmanCode, block_probabilities};
use occam_demos::block_codes::LENGTH_CURVE;
use occam_demos::coin_flips::{ADAPTIVE_CURVE, STATIC_CURVE};

use super::{Equation, M};
use crate::demo::{DemoState, view_for};
use crate::plot::{Curve, Figure, Level, LinePlot};

const H_OF_P: &str = "<mi>h</mi><mo>(</mo><mi>p</mi><mo>)</mo><mo>=</mo><mo>−</mo><mi>p</mi><msub><mi>log</mi><mn>2</mn></msub><mi>p</mi><mo>−</mo><mo>(</mo><mn>1</mn><mo>−</mo><mi>p</mi><mo>)</mo><msub><mi>log</mi><mn>2</mn></msub><mo>(</mo><mn>1</mn><mo>−</mo><mi>p</mi><mo>)</mo>";
const SHANNON: &str = "<mi>H</mi><mo>(</mo><mi>X</mi><mo>)</mo><mo>=</mo><mo>−</mo><munder><mo>∑</mo><mi>x</mi></munder><mi>p</mi><mo>(</mo><mi>x</mi><mo>)</mo><msub><mi>log</mi><mn>2</mn></msub><mi>p</mi><mo>(</mo><mi>x</mi><mo>)</mo>";
const CODE_LENGTH: &str = "<mi>ℓ</mi><mo>(</mo><msub><mi>x</mi><mrow><mn>1</mn><mo>:</mo><mi>n</mi></mrow></msub><mo>)</mo><mo>≤</mo><mo>−</mo><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><msub><mi>log</mi><mn>2</mn></msub><mi>q</mi><mo>(</mo><msub><mi>x</mi><mi>i</mi></msub><mo>∣</mo><msub><mi>x</mi><mrow><mo>&lt;</mo><mi>i</mi></mrow></msub><mo>)</mo><mo>+</mo><mn>2</mn>";
const KT: &str = "<mi>q</mi><mo>(</mo><mtext>heads</mtext><mo>∣</mo><msub><mi>x</mi><mrow><mo>&lt;</mo><mi>i</mi></mrow></msub><mo>)</mo><mo>=</mo><mfrac><mrow><msub><mi>h</mi><mi>i</mi></msub><mo>+</mo><mfrac><mn>1</mn><mn>2</mn></mfrac></mrow><mi>i</mi></mfrac>";
const REGRET: &str = "<mi>ℓ</mi><mo>(</mo><msub><mi>x</mi><mrow><mn>1</mn><mo>:</mo><mi>n</mi></mrow></msub><mo>)</mo><mo>−</mo><mi>n</mi><mspace width=\"0.1em\"/><mi>h</mi><mo>(</mo><mover><mi>p</mi><mo>^</mo></mover><mo>)</mo><mo>≤</mo><mfrac><mn>1</mn><mn>2</mn></mfrac><msub><mi>log</mi><mn>2</mn></msub><mi>n</mi><mo>+</mo><mn>1</mn>";

const BLOCKS: &str = "<mi>h</mi><mo>(</mo><mi>p</mi><mo>)</mo><mo>≤</mo><mfrac><msub><mover><mi>L</mi><mo>¯</mo></mover><mi>k</mi></msub><mi>k</mi></mfrac><mo>&lt;</mo><mi>h</mi><mo>(</mo><mi>p</mi><mo>)</mo><mo>+</mo><mfrac><mn>1</mn><mi>k</mi></mfrac>";

/// The chapter page.
#[component]
pub fn Entropy() -> impl IntoView {
    view! {
        <article class="chapter-page">
            <p class="kicker">"Chapter 1"</p>
            <h1>"Entropy of coins"</h1>
            <p>
                "Suppose you must send the results of many coin flips down a wire, as bits, to someone who will write them back out exactly. "
                "With a fair coin there is nothing clever to do: one bit per flip, heads is 1 and tails is 0. "
                "But a bent coin that lands heads nine times in ten is predictable, and anything predictable can be said in fewer words. "
                "How few? Claude Shannon answered in 1948: on average, no code can use fewer bits per flip than the coin's "
                <em>"entropy"</em>", and good codes come as close to it as you like."
            </p>
            <Equation mathml=SHANNON/>
            <p>
                "For a coin that shows heads with probability " <M mathml="<mi>p</mi>"/> " the sum has two terms, the "<em>"binary entropy"</em>":"
            </p>
            <Equation mathml=H_OF_P/>
            <p>
                "Read " <M mathml="<mo>−</mo><msub><mi>log</mi><mn>2</mn></msub><mi>p</mi><mo>(</mo><mi>x</mi><mo>)</mo>"/>
                " as the "<em>"surprise"</em>" of an outcome, in bits: a flip you expected with probability ½ is worth one bit, one you expected with probability ⅛ is worth three. "
                "Entropy is the average surprise. At " <M mathml="<mi>p</mi><mo>=</mo><mn>0.9</mn>"/> " it is about 0.469 bits per flip: less than half a bit, because most flips tell you what you already guessed."
            </p>
            <h2>"Arithmetic coding reaches the entropy"</h2>
            <p>
                "A code that gives each flip its own whole number of bits cannot go below one bit per flip. Arithmetic coding (Rissanen 1976, made practical by Witten, Neal and Cleary in 1987) codes the whole message at once. "
                "Picture the interval from 0 to 1. Before each flip the coder splits the current interval in proportion to the model's probabilities, heads to one side, tails to the other, and keeps the side that happened. "
                "After the last flip the interval's width is exactly the probability " <M mathml="<mi>q</mi>"/> " the model gave the whole message, and naming a point inside an interval of width " <M mathml="<mi>w</mi>"/> " takes about " <M mathml="<mo>−</mo><msub><mi>log</mi><mn>2</mn></msub><mi>w</mi>"/> " bits:"
            </p>
            <Equation mathml=CODE_LENGTH/>
            <p>
                "So the code length is the model's total surprise, plus at most two bits to finish. Nothing is estimated here: the demo below really codes the flips into bits, counts them, decodes them, and checks that every flip came back."
            </p>
            <h2>"A model that learns p"</h2>
            <p>
                "The static coder was told " <M mathml="<mi>p</mi>"/> ". Usually nobody tells you. The adaptive coder starts knowing nothing and predicts each flip from the flips before it, with the Krichevsky–Trofimov estimator (1981): after "
                <M mathml="<msub><mi>h</mi><mi>i</mi></msub>"/> " heads in " <M mathml="<mi>i</mi><mo>−</mo><mn>1</mn>"/> " flips,"
            </p>
            <Equation mathml=KT/>
            <p>
                "Learning costs something, but not much. Compared with the best fixed code chosen after seeing all " <M mathml="<mi>n</mi>"/> " flips (whose length is " <M mathml="<mi>n</mi><mi>h</mi><mo>(</mo><mover><mi>p</mi><mo>^</mo></mover><mo>)</mo>"/>
                ", with " <M mathml="<mover><mi>p</mi><mo>^</mo></mover>"/> " the observed frequency of heads), the adaptive code pays a "<em>"regret"</em>" of at most"
            </p>
            <Equation mathml=REGRET/>
            <p>
                "bits in total: the price of describing one number to the precision the data supports. Per flip, that price vanishes as " <M mathml="<mi>n</mi>"/> " grows, which is what the second plot shows: the adaptive coder's bits per flip fall onto the entropy line. "
                "This is the first form of the notebook's thesis: a model that predicts better compresses better, and a model that learns to predict is learning to compress. Rissanen's minimum description length principle (1978) turns it around and picks, among models, the one that gives the shortest total description."
            </p>
            {view_for(&occam_demos::coin_flips::SPEC)}
            <h2>"Whole bits, and blocks"</h2>
            <p>
                "Before arithmetic coding there was Huffman's code (1952): give every symbol its own codeword, a whole number of bits, no codeword the beginning of another, so the bits can be read back without separators. "
                "Huffman's recipe, merge the two least likely symbols and repeat, gives the shortest such code on average, within one bit of the entropy. "
                "For a single bent coin that bit is fatal: each flip still costs a full bit, however predictable. "
                "The way out is to code " <em>"blocks"</em> " of " <M mathml="<mi>k</mi>"/> " flips as one symbol, so that the lost fraction of a bit is shared by " <M mathml="<mi>k</mi>"/> " flips:"
            </p>
            <Equation mathml=BLOCKS/>
            <p>"The table lists the code for small blocks: likely blocks (mostly heads) get short codewords, rare ones long. The plot shows the bits per flip falling toward the entropy as the blocks grow, at the cost of a table that doubles with every flip added to a block; arithmetic coding gets there without any table."</p>
            {view_for(&occam_demos::block_codes::SPEC)}
            <h2>"Try this"</h2>
            <ul>
                <li>"Set " <M mathml="<mi>p</mi><mo>=</mo><mn>0.5</mn>"/> ". Can either coder beat one bit per flip? Why not?"</li>
                <li>"Set " <M mathml="<mi>n</mi><mo>=</mo><mn>10</mn>"/> " and try several seeds. How does the adaptive regret compare with " <M mathml="<mfrac><mn>1</mn><mn>2</mn></mfrac><msub><mi>log</mi><mn>2</mn></msub><mi>n</mi><mo>+</mo><mn>1</mn>"/> "?"</li>
                <li>"With " <M mathml="<mi>p</mi><mo>=</mo><mn>0.99</mn>"/> " and few flips, the static coder can beat the entropy. Is that a contradiction?"</li>
            </ul>
            <h2>"References"</h2>
            <ol class="references">
                <li>"D. A. Huffman. A method for the construction of minimum-redundancy codes. " <cite>"Proceedings of the IRE"</cite> " 40 (1952), 1098–1101."</li>
                <li>"C. E. Shannon. A mathematical theory of communication. " <cite>"Bell System Technical Journal"</cite> " 27 (1948), 379–423 and 623–656."</li>
                <li>"J. Rissanen. Modeling by shortest data description. " <cite>"Automatica"</cite> " 14 (1978), 465–471."</li>
                <li>"J. Rissanen. Generalized Kraft inequality and arithmetic coding. " <cite>"IBM Journal of Research and Development"</cite> " 20 (1976), 198–203."</li>
                <li>"I. H. Witten, R. M. Neal, J. G. Cleary. Arithmetic coding for data compression. " <cite>"Communications of the ACM"</cite> " 30 (1987), 520–540."</li>
                <li>"R. Krichevsky, V. Trofimov. The performance of universal encoding. " <cite>"IEEE Transactions on Information Theory"</cite> " 27 (1981), 199–207."</li>
            </ol>
        </article>
    }
}

/// The entropy curve with p marked, and the coders' running bits per flip.
pub fn coin_flips_figures(state: DemoState) -> AnyView {
    let p = move || state.values.get().float("p").unwrap_or(0.9);
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
        let report = state.report.get();
        let curve = |name: &str| {
            report
                .as_ref()
                .and_then(|report| report.series(name))
                .map(|series| series.points.clone())
                .unwrap_or_default()
        };
        let n = state.values.get().int("n").unwrap_or(10_000) as f64;
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
pub fn block_codes_figures(state: DemoState) -> AnyView {
    let p = move || state.values.get().float("p").unwrap_or(0.9);
    let k = move || state.values.get().int("k").unwrap_or(3);
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
        let report = state.report.get();
        let points = report
            .as_ref()
            .and_then(|report| report.series(LENGTH_CURVE))
            .map(|series| series.points.clone())
            .unwrap_or_default();
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
