//! Chapter `entropy`: entropy is the shortest average code, and arithmetic coding reaches it.

use leptos::prelude::*;
use occam_core::entropy::binary_entropy;
use occam_core::huffman::{HuffmanCode, block_probabilities};
use occam_demos::block_codes::LENGTH_CURVE;
use occam_demos::coin_flips::{ADAPTIVE_CURVE, STATIC_CURVE};
use occam_demos::params::group_thousands;

use super::{Equation, M};
use crate::demo::{DemoState, view_for};
use crate::plot::{Curve, Figure, Level, LinePlot};

const H_OF_P: &str = "<mi>h</mi><mo>(</mo><mi>p</mi><mo>)</mo><mo>=</mo><mo>−</mo><mi>p</mi><msub><mi>log</mi><mn>2</mn></msub><mi>p</mi><mo>−</mo><mo>(</mo><mn>1</mn><mo>−</mo><mi>p</mi><mo>)</mo><msub><mi>log</mi><mn>2</mn></msub><mo>(</mo><mn>1</mn><mo>−</mo><mi>p</mi><mo>)</mo>";
const SHANNON: &str = "<mi>H</mi><mo>(</mo><mi>X</mi><mo>)</mo><mo>=</mo><mo>−</mo><munder><mo>∑</mo><mi>x</mi></munder><mi>p</mi><mo>(</mo><mi>x</mi><mo>)</mo><msub><mi>log</mi><mn>2</mn></msub><mi>p</mi><mo>(</mo><mi>x</mi><mo>)</mo>";
const CODE_LENGTH: &str = "<mi>ℓ</mi><mo>(</mo><msub><mi>x</mi><mrow><mn>1</mn><mo>:</mo><mi>n</mi></mrow></msub><mo>)</mo><mo>≤</mo><mo>−</mo><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><msub><mi>log</mi><mn>2</mn></msub><mi>q</mi><mo>(</mo><msub><mi>x</mi><mi>i</mi></msub><mo>∣</mo><msub><mi>x</mi><mrow><mo>&lt;</mo><mi>i</mi></mrow></msub><mo>)</mo><mo>+</mo><mn>2</mn>";
const KT: &str = "<mi>q</mi><mo>(</mo><mtext>heads</mtext><mo>∣</mo><msub><mi>x</mi><mrow><mo>&lt;</mo><mi>i</mi></mrow></msub><mo>)</mo><mo>=</mo><mfrac><mrow><msub><mi>h</mi><mi>i</mi></msub><mo>+</mo><mfrac><mn>1</mn><mn>2</mn></mfrac></mrow><mi>i</mi></mfrac>";
const REGRET: &str = "<mi>ℓ</mi><mo>(</mo><msub><mi>x</mi><mrow><mn>1</mn><mo>:</mo><mi>n</mi></mrow></msub><mo>)</mo><mo>−</mo><mi>n</mi><mspace width=\"0.1em\"/><mi>h</mi><mo>(</mo><mover><mi>p</mi><mo>^</mo></mover><mo>)</mo><mo>≤</mo><mfrac><mn>1</mn><mn>2</mn></mfrac><msub><mi>log</mi><mn>2</mn></msub><mi>n</mi><mo>+</mo><mn>1</mn>";

const CROSS_ENTROPY: &str = "<mfrac><mrow><mi>ℓ</mi><mo>(</mo><msub><mi>x</mi><mrow><mn>1</mn><mo>:</mo><mi>n</mi></mrow></msub><mo>)</mo></mrow><mi>n</mi></mfrac><mo>≈</mo><mfrac><mn>1</mn><mi>n</mi></mfrac><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><mo>−</mo><msub><mi>log</mi><mn>2</mn></msub><mi>q</mi><mo>(</mo><msub><mi>x</mi><mi>i</mi></msub><mo>∣</mo><msub><mi>x</mi><mrow><mo>&lt;</mo><mi>i</mi></mrow></msub><mo>)</mo>";
const CONTEXT_KT: &str = "<mi>q</mi><mo>(</mo><mi>x</mi><mo>∣</mo><mi>s</mi><mo>)</mo><mo>=</mo><mfrac><mrow><mi>c</mi><mo>(</mo><mi>s</mi><mo>,</mo><mi>x</mi><mo>)</mo><mo>+</mo><mfrac><mn>1</mn><mn>2</mn></mfrac></mrow><mrow><mi>c</mi><mo>(</mo><mi>s</mi><mo>)</mo><mo>+</mo><mfrac><mrow><mo>|</mo><mi>A</mi><mo>|</mo></mrow><mn>2</mn></mfrac></mrow></mfrac>";
const NEURAL: &str = "<mi>q</mi><mo>(</mo><mo>·</mo><mo>∣</mo><msub><mi>c</mi><mn>1</mn></msub><mo>…</mo><msub><mi>c</mi><mn>8</mn></msub><mo>)</mo><mo>=</mo><mi>softmax</mi><mo>(</mo><msub><mi>W</mi><mn>2</mn></msub><mspace width=\"0.1em\"/><mi>relu</mi><mo>(</mo><msub><mi>W</mi><mn>1</mn></msub><mo>[</mo><mi>E</mi><msub><mi>c</mi><mn>1</mn></msub><mo>;</mo><mo>…</mo><mo>;</mo><mi>E</mi><msub><mi>c</mi><mn>8</mn></msub><mo>]</mo><mo>+</mo><msub><mi>b</mi><mn>1</mn></msub><mo>)</mo><mo>+</mo><msub><mi>b</mi><mn>2</mn></msub><mo>)</mo>";
const TWO_PART: &str = "<mi>L</mi><mo>=</mo><munder><munder><mrow><mn>16</mn><mspace width=\"0.1em\"/><mo>|</mo><mi>θ</mi><mo>|</mo></mrow><mo>⏟</mo></munder><mtext>the model</mtext></munder><mo>+</mo><munder><munder><mrow><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><mo>−</mo><msub><mi>log</mi><mn>2</mn></msub><msub><mi>q</mi><mi>θ</mi></msub><mo>(</mo><msub><mi>x</mi><mi>i</mi></msub><mo>∣</mo><msub><mi>x</mi><mrow><mo>&lt;</mo><mi>i</mi></mrow></msub><mo>)</mo></mrow><mo>⏟</mo></munder><mtext>the text, given the model</mtext></munder>";

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
            <h2>"Predicting text is compressing it"</h2>
            <p>
                "Everything so far holds for any sequence, not only coins. Take a text, one character at a time. A model that, before each character, gives a probability " <M mathml="<mi>q</mi><mo>(</mo><msub><mi>x</mi><mi>i</mi></msub><mo>∣</mo><msub><mi>x</mi><mrow><mo>&lt;</mo><mi>i</mi></mrow></msub><mo>)</mo>"/>
                " to every possible next character can drive the same arithmetic coder, and the text then costs its total surprise. Divide by the number of characters and you get the quantity machine learning calls the "<em>"cross-entropy"</em>" (here in bits), the loss that language models are trained to lower:"
            </p>
            <Equation mathml=CROSS_ENTROPY/>
            <p>
                "So lowering a model's cross-entropy and shortening its code are the same thing. The demo climbs a ladder of models on the same text, codes the text with each, decodes it, and shows the real lengths."
            </p>
            <p>
                <strong>"Counting."</strong>" The order-0 model counts how often each character has appeared so far; it knows that e is common and z rare, nothing more. An order-" <M mathml="<mi>k</mi>"/> " model keeps separate counts for every context " <M mathml="<mi>s</mi>"/> " of the " <M mathml="<mi>k</mi>"/> " characters before, and predicts with the same half-count rule the coin used, over the text's alphabet " <M mathml="<mi>A</mi>"/> ":"
            </p>
            <Equation mathml=CONTEXT_KT/>
            <p>
                "After \"th\" an e is likely; after \"q\" a u is nearly certain. Longer contexts see more structure, but each context must learn its counts from the few times it occurs, and on a short text most contexts occur once. That learning is paid for inside the code, so order 4 can lose to order 1. (Prediction by partial matching, Cleary and Witten 1984, blends the orders to get the best of both.)"
            </p>
            <p>
                <strong>"Learning."</strong>" The neural model reads the last eight characters, looks each up in a learned table of 16 numbers (an embedding), and passes them through a small network, in the manner of Bengio and colleagues' neural language model (2003):"
            </p>
            <Equation mathml=NEURAL/>
            <p>
                "It is trained right here, in your browser, with Adam on random batches of the text, and the plot shows its loss in bits per character falling past the counting models. Unlike the counting models it does not learn as it codes: it is trained first, then its parameters must be sent along with the coded text, or the receiver could not decode. Rissanen's minimum description length principle counts both parts:"
            </p>
            <Equation mathml=TWO_PART/>
            <p>
                "Here each parameter is rounded to a 16-bit floating-point number, and those rounded numbers are exactly what the coder and the decoder use. On a page of text a network with thousands of parameters predicts the text it was trained on very well and still loses on the total: it memorized the page, and memorizing costs as many bits as it saves. The best model is the one whose total is smallest, which is Occam's razor with a ruler."
            </p>
            <p>
                "Two general-purpose compressors run on the same text as yardsticks: gzip (LZ77 and Huffman codes, 1993) and brotli (2015). The text below the table is coloured by the neural model's surprise at each character: dark where it was caught out, pale where it knew. The default text is the first chapter of Lewis Carroll's "<cite>"Alice's Adventures in Wonderland"</cite>" (1865, public domain), as in the Canterbury corpus of compression benchmarks (Arnold and Bell 1997); paste your own."
            </p>
            {view_for(&occam_demos::text_model::SPEC)}
            <h2>"Try this"</h2>
            <ul>
                <li>"Set " <M mathml="<mi>p</mi><mo>=</mo><mn>0.5</mn>"/> ". Can either coder beat one bit per flip? Why not?"</li>
                <li>"Set " <M mathml="<mi>n</mi><mo>=</mo><mn>10</mn>"/> " and try several seeds. How does the adaptive regret compare with " <M mathml="<mfrac><mn>1</mn><mn>2</mn></mfrac><msub><mi>log</mi><mn>2</mn></msub><mi>n</mi><mo>+</mo><mn>1</mn>"/> "?"</li>
                <li>"With " <M mathml="<mi>p</mi><mo>=</mo><mn>0.99</mn>"/> " and few flips, the static coder can beat the entropy. Is that a contradiction?"</li>
                <li>"Paste a line repeated many times. Which model wins now, and by how much does gzip catch up?"</li>
                <li>"Set hidden units to 4, then 16, then 128. Which gives the smallest two-part total on the default text? Does the answer change for a text ten times longer?"</li>
                <li>"Look at the coloured text: where is the neural model most surprised? At the start of words, or in their middle?"</li>
            </ul>
            <h2>"References"</h2>
            <ol class="references">
                <li>"D. A. Huffman. A method for the construction of minimum-redundancy codes. " <cite>"Proceedings of the IRE"</cite> " 40 (1952), 1098–1101."</li>
                <li>"C. E. Shannon. A mathematical theory of communication. " <cite>"Bell System Technical Journal"</cite> " 27 (1948), 379–423 and 623–656."</li>
                <li>"J. Rissanen. Modeling by shortest data description. " <cite>"Automatica"</cite> " 14 (1978), 465–471."</li>
                <li>"J. Rissanen. Generalized Kraft inequality and arithmetic coding. " <cite>"IBM Journal of Research and Development"</cite> " 20 (1976), 198–203."</li>
                <li>"I. H. Witten, R. M. Neal, J. G. Cleary. Arithmetic coding for data compression. " <cite>"Communications of the ACM"</cite> " 30 (1987), 520–540."</li>
                <li>"J. G. Cleary, I. H. Witten. Data compression using adaptive coding and partial string matching. " <cite>"IEEE Transactions on Communications"</cite> " 32 (1984), 396–402."</li>
                <li>"Y. Bengio, R. Ducharme, P. Vincent, C. Jauvin. A neural probabilistic language model. " <cite>"Journal of Machine Learning Research"</cite> " 3 (2003), 1137–1155."</li>
                <li>"D. P. Kingma, J. Ba. Adam: a method for stochastic optimization. " <cite>"ICLR"</cite> " (2015)."</li>
                <li>"R. Arnold, T. Bell. A corpus for the evaluation of lossless compression algorithms. " <cite>"Data Compression Conference"</cite> " (1997), 201–210."</li>
                <li>"L. Carroll. " <cite>"Alice's Adventures in Wonderland"</cite> ". Macmillan, 1865. Chapter I, public domain."</li>
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
        let curve = |name: &str| state.series(name);
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
pub fn text_model_figures(state: DemoState) -> AnyView {
    use occam_demos::text_model::{LOSS_CURVE, SURPRISE, order_bits, order_ideal_bits};
    let metric = move |name: &str| state.metric(name);
    let order = move || state.values.with(|values| values.int("order").unwrap_or(2)) as usize;
    let ladder = move || {
        let chars = metric("chars").filter(|&n| n > 0.0)?;
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
        if let Some(coded) = metric("neural-bits") {
            rows.push(Row {
                id: "neural".into(),
                name: format!(
                    "neural: {} parameters",
                    group_thousands(metric("neural-parameters").unwrap_or(0.0) as usize)
                ),
                ideal: metric("neural-ideal-bits"),
                coded,
                model: metric("neural-model-bits"),
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
                <p class="note">"* The counting models learn as they code, so the decoder learns the same counts and nothing else is sent: the cost of learning is inside their coded bits. gzip and brotli carry their own headers inside theirs."</p>
            </div>
        })
    };
    let figure = Signal::derive(move || {
        let points = state.series(LOSS_CURVE);
        let levels = [
            ("order 0".to_owned(), metric("order0-bits-per-char")),
            (
                format!("order {}", order()),
                metric("context-bits-per-char"),
            ),
            ("gzip".to_owned(), metric("gzip-bits-per-char")),
        ]
        .into_iter()
        .filter_map(|(label, y)| {
            y.map(|y| Level {
                label: format!("{label}: {y:.2}"),
                y,
            })
        })
        .collect();
        let steps = state.values.with(|values| values.int("steps").unwrap_or(1)) as f64;
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
        let text = state
            .values
            .with(|values| values.text("text").map(str::to_owned).unwrap_or_default());
        let shown = points.len();
        let total = text.chars().count();
        let spans = text
            .chars()
            .zip(points)
            .map(|(c, (_, bits))| {
                let shade = (bits / 10.0).clamp(0.0, 1.0);
                view! { <span style=format!("--s:{shade:.2}") title=format!("{c:?}: {bits:.2} bits")>{c.to_string()}</span> }
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
