//! Chapter `crate`: unroll the optimization of the sparse rate reduction and you get a transformer
//! whose attention compresses the tokens against subspaces and whose second step, one ISTA step,
//! makes them sparse (CRATE).

use leptos::prelude::*;
use occam_demos::{crate_digits, crate_layers};

use super::{Equation, M};
use crate::demo::{DemoState, view_for};
use crate::images::ImageGrid;
use crate::plot::{Curve, Figure, LinePlot};

const SPARSE_RATE_REDUCTION: &str = "<munder><mo>max</mo><mi>Z</mi></munder><mspace width=\"0.3em\"/><munder><munder><mrow><mi>R</mi><mo>(</mo><mi>Z</mi><mo>)</mo></mrow><mo>⏟</mo></munder><mtext>keep the tokens spread out</mtext></munder><mo>−</mo><munder><munder><mrow><msub><mi>R</mi><mi>c</mi></msub><mo>(</mo><mi>Z</mi><mo>;</mo><msub><mi>U</mi><mrow><mo>[</mo><mi>K</mi><mo>]</mo></mrow></msub><mo>)</mo></mrow><mo>⏟</mo></munder><mtext>compress them against K subspaces</mtext></munder><mo>−</mo><munder><munder><mrow><mi>λ</mi><mo>‖</mo><mi>Z</mi><msub><mo>‖</mo><mn>0</mn></msub></mrow><mo>⏟</mo></munder><mtext>make them sparse</mtext></munder>";
const SUBSPACE_RATE: &str = "<msub><mi>R</mi><mi>c</mi></msub><mo>(</mo><mi>Z</mi><mo>;</mo><msub><mi>U</mi><mrow><mo>[</mo><mi>K</mi><mo>]</mo></mrow></msub><mo>)</mo><mo>=</mo><munderover><mo>∑</mo><mrow><mi>k</mi><mo>=</mo><mn>1</mn></mrow><mi>K</mi></munderover><mfrac><mn>1</mn><mn>2</mn></mfrac><mi>log</mi><mspace width=\"0.17em\"/><mi>det</mi><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mfrac><mi>p</mi><mrow><mi>N</mi><msup><mi>ε</mi><mn>2</mn></msup></mrow></mfrac><msup><mrow><mo>(</mo><msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><mi>Z</mi><mo>)</mo></mrow><mi>⊤</mi></msup><mo>(</mo><msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><mi>Z</mi><mo>)</mo><mo>)</mo></mrow><mo>,</mo><mspace width=\"1em\"/><msub><mi>U</mi><mi>k</mi></msub><mo>∈</mo><msup><mi>ℝ</mi><mrow><mi>d</mi><mo>×</mo><mi>p</mi></mrow></msup><mo>,</mo><mspace width=\"0.5em\"/><msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><msub><mi>U</mi><mi>k</mi></msub><mo>=</mo><mi>I</mi>";
const RATE_GRADIENT: &str = "<msub><mo>∇</mo><mi>Z</mi></msub><msub><mi>R</mi><mi>c</mi></msub><mo>=</mo><mi>α</mi><munderover><mo>∑</mo><mrow><mi>k</mi><mo>=</mo><mn>1</mn></mrow><mi>K</mi></munderover><msub><mi>U</mi><mi>k</mi></msub><msub><mi>A</mi><mi>k</mi></msub><msup><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mi>α</mi><msubsup><mi>A</mi><mi>k</mi><mi>⊤</mi></msubsup><msub><mi>A</mi><mi>k</mi></msub><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup><mo>,</mo><mspace width=\"1em\"/><msub><mi>A</mi><mi>k</mi></msub><mo>=</mo><msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><mi>Z</mi><mo>∈</mo><msup><mi>ℝ</mi><mrow><mi>p</mi><mo>×</mo><mi>N</mi></mrow></msup><mo>,</mo><mspace width=\"0.5em\"/><mi>α</mi><mo>=</mo><mfrac><mi>p</mi><mrow><mi>N</mi><msup><mi>ε</mi><mn>2</mn></msup></mrow></mfrac>";
const SOFTMAX_SWAP: &str = "<msub><mi>A</mi><mi>k</mi></msub><msup><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mi>α</mi><msubsup><mi>A</mi><mi>k</mi><mi>⊤</mi></msubsup><msub><mi>A</mi><mi>k</mi></msub><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup><mo>≈</mo><msub><mi>A</mi><mi>k</mi></msub><mo>−</mo><msub><mi>A</mi><mi>k</mi></msub><mspace width=\"0.1em\"/><mo>(</mo><mi>α</mi><msubsup><mi>A</mi><mi>k</mi><mi>⊤</mi></msubsup><msub><mi>A</mi><mi>k</mi></msub><mo>)</mo><mspace width=\"0.6em\"/><mo>⇝</mo><mspace width=\"0.6em\"/><msub><mi>A</mi><mi>k</mi></msub><mo>−</mo><msub><mi>A</mi><mi>k</mi></msub><mspace width=\"0.1em\"/><mi>softmax</mi><mo>(</mo><msubsup><mi>A</mi><mi>k</mi><mi>⊤</mi></msubsup><msub><mi>A</mi><mi>k</mi></msub><mo>)</mo>";
const MSSA: &str = "<mi>MSSA</mi><mo>(</mo><mi>Z</mi><mo>)</mo><mo>=</mo><munderover><mo>∑</mo><mrow><mi>k</mi><mo>=</mo><mn>1</mn></mrow><mi>K</mi></munderover><msub><mi>U</mi><mi>k</mi></msub><mspace width=\"0.1em\"/><mo>(</mo><msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><mi>Z</mi><mo>)</mo><mspace width=\"0.1em\"/><mi>softmax</mi><mrow><mo>(</mo><msup><mrow><mo>(</mo><msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><mi>Z</mi><mo>)</mo></mrow><mi>⊤</mi></msup><mo>(</mo><msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><mi>Z</mi><mo>)</mo><mo>)</mo></mrow>";
const COMPRESSION_STEP: &str = "<msup><mi>Z</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>+</mo><mn>½</mn><mo>)</mo></mrow></msup><mo>=</mo><msup><mi>Z</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>)</mo></mrow></msup><mo>+</mo><mi>κ</mi><mspace width=\"0.1em\"/><mi>MSSA</mi><mo>(</mo><msup><mi>Z</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>)</mo></mrow></msup><mo>)</mo>";
const NONNEGATIVE_LASSO: &str = "<munder><mo>min</mo><mrow><mi>Z</mi><mo>≥</mo><mn>0</mn></mrow></munder><mspace width=\"0.3em\"/><mfrac><mn>1</mn><mn>2</mn></mfrac><mo>‖</mo><msup><mi>Z</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>+</mo><mn>½</mn><mo>)</mo></mrow></msup><mo>−</mo><mi>D</mi><mi>Z</mi><msubsup><mo>‖</mo><mi>F</mi><mn>2</mn></msubsup><mo>+</mo><mi>λ</mi><mo>‖</mo><mi>Z</mi><msub><mo>‖</mo><mn>1</mn></msub><mo>,</mo><mspace width=\"1em\"/><mi>D</mi><mo>∈</mo><msup><mi>ℝ</mi><mrow><mi>d</mi><mo>×</mo><mi>d</mi></mrow></msup>";
const ISTA_STEP: &str = "<msup><mi>Z</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>+</mo><mn>1</mn><mo>)</mo></mrow></msup><mo>=</mo><mi>ReLU</mi><mrow><mo>(</mo><mi>Y</mi><mo>+</mo><mi>η</mi><mspace width=\"0.1em\"/><msup><mi>D</mi><mi>⊤</mi></msup><mo>(</mo><mi>Y</mi><mo>−</mo><mi>D</mi><mi>Y</mi><mo>)</mo><mo>−</mo><mi>η</mi><mi>λ</mi><mo>)</mo></mrow><mo>,</mo><mspace width=\"1em\"/><mi>Y</mi><mo>=</mo><msup><mi>Z</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>+</mo><mn>½</mn><mo>)</mo></mrow></msup><mo>,</mo><mspace width=\"1em\"/><mi>η</mi><mo>=</mo><mn>0.1</mn><mo>,</mo><mspace width=\"0.5em\"/><mi>λ</mi><mo>=</mo><mn>0.1</mn>";
const STANDARD_BLOCK: &str = "<msub><mtext>head</mtext><mi>k</mi></msub><mo>(</mo><mi>Z</mi><mo>)</mo><mo>=</mo><mo>(</mo><msubsup><mi>W</mi><mi>k</mi><mi>V</mi></msubsup><mi>Z</mi><mo>)</mo><mspace width=\"0.1em\"/><mi>softmax</mi><mrow><mo>(</mo><mfrac><mrow><msup><mrow><mo>(</mo><msubsup><mi>W</mi><mi>k</mi><mi>K</mi></msubsup><mi>Z</mi><mo>)</mo></mrow><mi>⊤</mi></msup><mo>(</mo><msubsup><mi>W</mi><mi>k</mi><mi>Q</mi></msubsup><mi>Z</mi><mo>)</mo></mrow><msqrt><mi>p</mi></msqrt></mfrac><mo>)</mo></mrow><mo>,</mo><mspace width=\"1em\"/><mi>MLP</mi><mo>(</mo><mi>z</mi><mo>)</mo><mo>=</mo><msub><mi>W</mi><mn>2</mn></msub><mspace width=\"0.1em\"/><mi>GELU</mi><mo>(</mo><msub><mi>W</mi><mn>1</mn></msub><mi>z</mi><mo>+</mo><msub><mi>b</mi><mn>1</mn></msub><mo>)</mo><mo>+</mo><msub><mi>b</mi><mn>2</mn></msub><mo>,</mo><mspace width=\"0.5em\"/><msub><mi>W</mi><mn>1</mn></msub><mo>∈</mo><msup><mi>ℝ</mi><mrow><mn>4</mn><mi>w</mi><mo>×</mo><mi>w</mi></mrow></msup>";
const CRATE_PARAMETERS: &str = "<msub><mi>n</mi><mtext>CRATE</mtext></msub><mo>=</mo><munder><munder><msup><mi>w</mi><mn>2</mn></msup><mo>⏟</mo></munder><mrow><msub><mi>U</mi><mn>1</mn></msub><mo>,</mo><mo>…</mo><mo>,</mo><msub><mi>U</mi><mi>K</mi></msub></mrow></munder><mo>+</mo><munder><munder><mrow><msup><mi>w</mi><mn>2</mn></msup><mo>+</mo><mi>w</mi></mrow><mo>⏟</mo></munder><mtext>output map</mtext></munder><mo>+</mo><munder><munder><msup><mi>w</mi><mn>2</mn></msup><mo>⏟</mo></munder><mi>D</mi></munder><mo>+</mo><munder><munder><mrow><mn>4</mn><mi>w</mi></mrow><mo>⏟</mo></munder><mtext>two LayerNorms</mtext></munder><mo>=</mo><mn>3</mn><msup><mi>w</mi><mn>2</mn></msup><mo>+</mo><mn>5</mn><mi>w</mi>";
const TRANSFORMER_PARAMETERS: &str = "<msub><mi>n</mi><mtext>transformer</mtext></msub><mo>=</mo><munder><munder><mrow><mn>3</mn><mo>(</mo><msup><mi>w</mi><mn>2</mn></msup><mo>+</mo><mi>w</mi><mo>)</mo></mrow><mo>⏟</mo></munder><mrow><msup><mi>W</mi><mi>Q</mi></msup><mo>,</mo><msup><mi>W</mi><mi>K</mi></msup><mo>,</mo><msup><mi>W</mi><mi>V</mi></msup></mrow></munder><mo>+</mo><munder><munder><mrow><msup><mi>w</mi><mn>2</mn></msup><mo>+</mo><mi>w</mi></mrow><mo>⏟</mo></munder><mtext>output map</mtext></munder><mo>+</mo><munder><munder><mrow><mn>8</mn><msup><mi>w</mi><mn>2</mn></msup><mo>+</mo><mn>5</mn><mi>w</mi></mrow><mo>⏟</mo></munder><mtext>MLP</mtext></munder><mo>+</mo><munder><munder><mrow><mn>4</mn><mi>w</mi></mrow><mo>⏟</mo></munder><mtext>two LayerNorms</mtext></munder><mo>=</mo><mn>12</mn><msup><mi>w</mi><mn>2</mn></msup><mo>+</mo><mn>13</mn><mi>w</mi>";
const TOKENS: &str = "<msup><mi>Z</mi><mrow><mo>(</mo><mn>0</mn><mo>)</mo></mrow></msup><mo>=</mo><mo>[</mo><msub><mi>z</mi><mtext>cls</mtext></msub><mo>,</mo><mi>E</mi><msub><mi>x</mi><mn>1</mn></msub><mo>,</mo><mo>…</mo><mo>,</mo><mi>E</mi><msub><mi>x</mi><mi>N</mi></msub><mo>]</mo><mo>∈</mo><msup><mi>ℝ</mi><mrow><mi>w</mi><mo>×</mo><mo>(</mo><mi>N</mi><mo>+</mo><mn>1</mn><mo>)</mo></mrow></msup><mo>,</mo><mspace width=\"1em\"/><mi>N</mi><mo>=</mo><msup><mrow><mo>(</mo><mn>8</mn><mo>/</mo><mi>P</mi><mo>)</mo></mrow><mn>2</mn></msup><mo>,</mo><mspace width=\"1em\"/><mtext>scores</mtext><mo>=</mo><mi>W</mi><msubsup><mi>z</mi><mtext>cls</mtext><mrow><mo>(</mo><mi>L</mi><mo>)</mo></mrow></msubsup><mo>∈</mo><msup><mi>ℝ</mi><mn>10</mn></msup>";

/// The chapter page.
#[component]
pub fn CrateChapter() -> impl IntoView {
    view! {
        <article class="chapter-page">
            <p class="kicker">"Chapter 5"</p>
            <h1>"CRATE: a white-box transformer"</h1>
            <p>
                "Chapter 4 counted the bits of a cloud of features with the coding rate, and asked for features that make the rate reduction large: expand the whole set, compress each class. "
                "It did so in two ways. The MCR² encoder was an ordinary network, a black box, trained with the rate reduction as its loss: the objective said what the features should look like, but nothing said what each layer was for. "
                "ReduNet went further: each layer was one gradient step on the rate reduction, with every operator written down from the data. "
                "Its layers were explained, but they looked little like the transformers that now do most of the work in language and vision."
            </p>
            <p>
                "This chapter follows Yu, Buchanan, Pai, Chu, Wu, Tong, Haeffele and Ma (2023), who took the last step. "
                "Write down a slightly larger objective, take one optimization step for each of its parts, and stack the steps: what comes out is a "<em>"transformer"</em>", the architecture behind today's language and vision models, with attention and a second block after it, each block with a job you can state in one sentence. "
                "They called it CRATE, for coding rate reduction transformer. Attention compresses; the block after it sparsifies."
            </p>
            <h2>"Sparse rate reduction"</h2>
            <p>
                "A transformer does not see one feature vector per example. It sees a set of "<em>"tokens"</em>": the words of a sentence, or the patches of an image, each turned into a vector of " <M mathml="<mi>d</mi>"/> " numbers. "
                "The " <M mathml="<mi>N</mi>"/> " tokens of one input are the columns of " <M mathml="<mi>Z</mi><mo>∈</mo><msup><mi>ℝ</mi><mrow><mi>d</mi><mo>×</mo><mi>N</mi></mrow></msup>"/> ", and every layer maps such a matrix to another of the same shape. "
                "What should the tokens become, layer after layer? CRATE's answer bets on chapter 2's picture: the tokens should come to lie near a few low-dimensional subspaces, one for each kind of thing a token can be, and within them they should be described by a few nonzero numbers. "
                "The paper writes this as the "<em>"sparse rate reduction"</em>":"
            </p>
            <Equation mathml=SPARSE_RATE_REDUCTION/>
            <p>
                "The first term is chapter 4's coding rate of all the tokens together, " <M mathml="<mi>R</mi><mo>(</mo><mi>Z</mi><mo>)</mo><mo>=</mo><mfrac><mn>1</mn><mn>2</mn></mfrac><mi>log</mi><mspace width='0.17em'/><mi>det</mi><mo>(</mo><mi>I</mi><mo>+</mo><mfrac><mi>d</mi><mrow><mi>N</mi><msup><mi>ε</mi><mn>2</mn></msup></mrow></mfrac><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>)</mo>"/> ": large when the tokens use many directions, so that nothing is squeezed away. "
                "The last term counts the nonzero entries, " <M mathml="<mo>‖</mo><mi>Z</mi><msub><mo>‖</mo><mn>0</mn></msub>"/> ", with a price " <M mathml="<mi>λ</mi>"/> " on each, in the spirit of chapter 2's sparse codes. "
                "The middle term replaces chapter 4's class rate. There are no labels on tokens, so instead of classes there are " <M mathml="<mi>K</mi>"/> " subspaces, each given by a matrix " <M mathml="<msub><mi>U</mi><mi>k</mi></msub>"/> " whose " <M mathml="<mi>p</mi>"/> " orthonormal columns span it, and the tokens are coded as seen from inside each one:"
            </p>
            <Equation mathml=SUBSPACE_RATE/>
            <p>
                "The columns of " <M mathml="<msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><mi>Z</mi>"/> " are the tokens' " <M mathml="<mi>p</mi>"/> " coordinates in subspace " <M mathml="<mi>k</mi>"/> ", and each term is the rate of those " <M mathml="<mi>N</mi>"/> " small vectors: the logarithm of the number of " <M mathml="<mi>ε</mi>"/> "-balls their cloud fills, as in chapter 4. "
                "(The matrix sits in the other order, " <M mathml="<msup><mi>A</mi><mi>⊤</mi></msup><mi>A</mi>"/> " rather than " <M mathml="<mi>A</mi><msup><mi>A</mi><mi>⊤</mi></msup>"/> "; both have the same nonzero eigenvalues, so the rate is the same; written this way, its gradient will act across the tokens, which is where attention comes from.) "
                "A small " <M mathml="<msub><mi>R</mi><mi>c</mi></msub>"/> " means that inside every subspace the tokens crowd into a few directions: they are compressed against the subspaces. "
                "On its own that would be easy to win by shrinking every token to zero, which is why " <M mathml="<mi>R</mi><mo>(</mo><mi>Z</mi><mo>)</mo>"/> " stands beside it, pulling the other way, as the whole set's rate did in chapter 4."
            </p>
            <p>
                "Three terms, three wishes: spread out, compressed, sparse. Maximizing all of them at once is hard, so CRATE does what ReduNet did and takes small steps, but it "<em>"alternates"</em>": each layer takes one step on the compression term, then one step on sparsity (with the fit of a dictionary keeping the expansion term in check). "
                "The two half-steps are the two blocks of a transformer layer."
            </p>
            <h2>"Compression is attention"</h2>
            <p>
                "To lower " <M mathml="<msub><mi>R</mi><mi>c</mi></msub>"/> ", move the tokens down its gradient. Chapter 4's identity for the gradient of a log-determinant, applied to each term with " <M mathml="<msub><mi>A</mi><mi>k</mi></msub><mo>=</mo><msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><mi>Z</mi>"/> ", gives"
            </p>
            <Equation mathml=RATE_GRADIENT/>
            <p>
                "The inverse here is an " <M mathml="<mi>N</mi><mo>×</mo><mi>N</mi>"/> " matrix: it acts across the tokens, mixing each token with the others. Chapter 4 read " <M mathml="<msup><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mi>α</mi><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup>"/> " as a residual, the part of a vector that the data cannot explain; the same reading holds here, column by column. "
                "Column " <M mathml="<mi>j</mi>"/> " of the gradient is (up to the factor " <M mathml="<mi>α</mi>"/> ") the part of token " <M mathml="<mi>j</mi>"/> "'s coordinates in subspace " <M mathml="<mi>k</mi>"/> " that the tokens' coordinates there, taken together, cannot account for. Stepping against it removes that part: each token moves toward what it has in common with the rest."
            </p>
            <p>
                "An " <M mathml="<mi>N</mi><mo>×</mo><mi>N</mi>"/> " inverse at every layer would be slow, and the paper replaces it in two moves. "
                "First, when " <M mathml="<mi>α</mi>"/> " is small the inverse is close to its first-order expansion, " <M mathml="<msup><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mi>α</mi><mi>G</mi><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup><mo>≈</mo><mi>I</mi><mo>−</mo><mi>α</mi><mi>G</mi>"/> ". "
                "Then the correction " <M mathml="<msub><mi>A</mi><mi>k</mi></msub><mo>(</mo><mi>α</mi><msubsup><mi>A</mi><mi>k</mi><mi>⊤</mi></msubsup><msub><mi>A</mi><mi>k</mi></msub><mo>)</mo>"/> " mixes the tokens: its column " <M mathml="<mi>j</mi>"/> " is a sum of every token's coordinates weighted by " <M mathml="<mi>α</mi>"/> " times its inner product with token " <M mathml="<mi>j</mi>"/> ", a similarity. "
                "Second, those raw weights (which can be negative, and need not add up to anything in particular) are swapped for a "<em>"softmax"</em>" of the similarities, taken column by column: positive weights that sum to one and favour the most similar tokens. The sum becomes a similarity-weighted average:"
            </p>
            <Equation mathml=SOFTMAX_SWAP/>
            <p>
                "The second move is not an identity, and the paper does not claim it is; it keeps what the correction term does (mix each token with the tokens it resembles) in a form that is well behaved at any scale. "
                "Put back into the gradient step, the averaged part, summed over the subspaces, is "<em>"multi-head subspace self-attention"</em>":"
            </p>
            <Equation mathml=MSSA/>
            <p>
                "Here is the whole step, read in words. Column " <M mathml="<mi>j</mi>"/> " of " <M mathml="<mo>(</mo><msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><mi>Z</mi><mo>)</mo><mspace width='0.1em'/><mi>softmax</mi><mo>(</mo><mo>⋯</mo><mo>)</mo>"/> " averages the tokens' coordinates in subspace " <M mathml="<mi>k</mi>"/> ", each weighted by how similar it is to token " <M mathml="<mi>j</mi>"/> " in that subspace; " <M mathml="<msub><mi>U</mi><mi>k</mi></msub>"/> " carries the average back into the token space. "
                "The descent step moves a token by " <M mathml="<mi>κ</mi>"/> " times the difference between this average and its own coordinates, " <M mathml="<mi>Z</mi><mo>−</mo><mi>κ</mi><msub><mo>∑</mo><mi>k</mi></msub><msub><mi>U</mi><mi>k</mi></msub><msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><mi>Z</mi><mo>+</mo><mi>κ</mi><mspace width='0.1em'/><mi>MSSA</mi><mo>(</mo><mi>Z</mi><mo>)</mo>"/> " with the constant " <M mathml="<mi>α</mi>"/> " folded into " <M mathml="<mi>κ</mi>"/> ". "
                "When the subspaces together span the whole space, the middle term is just " <M mathml="<mi>κ</mi><mi>Z</mi>"/> ", a shrinking of every token by the same factor, and dropping it changes the step only by a rescaling and a different " <M mathml="<mi>κ</mi>"/> ". CRATE keeps the plain residual form:"
            </p>
            <Equation mathml=COMPRESSION_STEP/>
            <p>
                "This is attention, with one difference. In a standard transformer each head computes three projections of the tokens, queries, keys and values, from three separate matrices; here all three are the same projection " <M mathml="<msubsup><mi>U</mi><mi>k</mi><mi>⊤</mi></msubsup><mi>Z</mi>"/> ", so a head has one matrix instead of three. "
                "Each head is a subspace, and a token attends to the tokens that share its subspace, in that subspace's coordinates. "
                "(In the trained network the map " <M mathml="<mo>[</mo><msub><mi>U</mi><mn>1</mn></msub><mo>,</mo><mo>…</mo><mo>,</mo><msub><mi>U</mi><mi>K</mi></msub><mo>]</mo>"/> " that carries the heads' averages back into the token space is replaced by a learned output matrix, and, as in a standard transformer, implementations scale the similarities by " <M mathml="<mn>1</mn><mo>/</mo><msqrt><mi>p</mi></msqrt>"/> " before the softmax; a LayerNorm puts the tokens on a common scale before the step.)"
            </p>
            <p>
                "Chapter 3 has met this move before. Its best denoiser for data on a few flat pieces was a weighted average: softmax weights saying how likely each piece was, and a pull of the noisy point onto the likely pieces. "
                "MSSA does the same to tokens. A token knocked off its subspace by noise has its coordinates replaced, a little, by the average of the tokens it resembles there, and noise that the tokens do not share averages away. "
                "Compression against subspaces and denoising toward them are the same operation, seen once as fewer bits and once as less noise."
            </p>
            <h2>"Sparsification is ISTA"</h2>
            <p>
                "After attention, the tokens should become sparse: described by a few nonzero numbers in some dictionary. "
                "Counting nonzeros, " <M mathml="<mo>‖</mo><mi>Z</mi><msub><mo>‖</mo><mn>0</mn></msub>"/> ", gives a problem with no useful gradient, so CRATE uses chapter 2's convex stand-in, the " <M mathml="<msub><mi>ℓ</mi><mn>1</mn></msub>"/> " norm, in a lasso: find nonnegative codes " <M mathml="<mi>Z</mi>"/> " whose combination " <M mathml="<mi>D</mi><mi>Z</mi>"/> " of the dictionary's columns reproduces the tokens that attention produced, paying " <M mathml="<mi>λ</mi>"/> " for every unit of coefficient:"
            </p>
            <Equation mathml=NONNEGATIVE_LASSO/>
            <p>
                "The fit " <M mathml="<mo>‖</mo><msup><mi>Z</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>+</mo><mn>½</mn><mo>)</mo></mrow></msup><mo>−</mo><mi>D</mi><mi>Z</mi><mo>‖</mo>"/> " is what keeps the expansion term in play: the new codes must still carry what the tokens carried, and when " <M mathml="<mi>D</mi>"/> " is close to orthogonal (a rotation changes no coding rate) a good fit keeps the rate " <M mathml="<mi>R</mi>"/> " where attention left it, while the penalty does the sparsifying. "
                "Chapter 2 solved the lasso with ISTA: a gradient step on the fit, then soft thresholding, which shrinks every coefficient toward zero and sets the small ones to exactly zero (Daubechies, Defrise and De Mol 2004). "
                "With the codes kept nonnegative, the threshold becomes one-sided: subtract the threshold, then set everything negative to zero, which is the ReLU. "
                "CRATE takes exactly one ISTA step, starting from the tokens themselves, " <M mathml="<mi>Z</mi><mo>=</mo><msup><mi>Z</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>+</mo><mn>½</mn><mo>)</mo></mrow></msup>"/> ", with step size " <M mathml="<mi>η</mi>"/> ":"
            </p>
            <Equation mathml=ISTA_STEP/>
            <p>
                "The values " <M mathml="<mi>η</mi><mo>=</mo><mi>λ</mi><mo>=</mo><mn>0.1</mn>"/> " are those of the paper's code, and " <M mathml="<mi>η</mi><mi>λ</mi>"/> " is subtracted from every entry. "
                "The dictionary " <M mathml="<mi>D</mi>"/> " is learned, like the atoms of chapter 2's dictionary; unlike that dictionary, which had 96 atoms for 64 pixels, it is square here: a " <M mathml="<mi>d</mi><mo>×</mo><mi>d</mi>"/> " matrix per layer. "
                "This step takes the place of the transformer's MLP, the two-layer network that follows attention in every block, and it has the same kind of parts, a matrix, a threshold and a ReLU, in an order that a sparse-coding algorithm dictates."
            </p>
            <p>
                "Turning the iterations of an algorithm into the layers of a network is an old idea with a name, "<em>"unrolling"</em>". "
                "Gregor and LeCun (2010) unrolled a few ISTA iterations into a small network, LISTA, learned its matrices by backpropagation, and found that a handful of learned layers gave codes about as good as many more iterations of the fixed algorithm. "
                "Sparse coding itself goes back to Olshausen and Field (1996), whose sparse codes of natural images grew atoms like the edge detectors of the visual cortex. "
                "CRATE unrolls a different optimization, the sparse rate reduction, and one ISTA step is only its second half."
            </p>
            <h2>"A stack that knows the subspaces"</h2>
            <p>
                "Before any training, check that the derivation does what it says when its assumptions hold. "
                "The first demo draws " <M mathml="<mi>N</mi>"/> " tokens from " <code>"subspaces"</code> " known subspaces of a space of dimension " <code>"dim"</code> ", adds Gaussian noise of size " <code>"noise"</code> ", and passes them through " <code>"layers"</code> " CRATE layers (attention step, then ISTA step) whose " <M mathml="<msub><mi>U</mi><mi>k</mi></msub>"/> " are the true bases of the subspaces. The subspaces are blocks of coordinates, so a clean token is already sparse, and the ISTA step's dictionary is the identity; each layer first centres and rescales its tokens, as a LayerNorm without learned parameters would. Nothing is learned; " <code>"seed"</code> " picks the draw. "
                "Layer by layer the figures show the tokens' class rate " <M mathml="<msub><mi>R</mi><mi>c</mi></msub>"/> ", the compression term, and the share of their entries that are exactly zero. "
                "If the white-box story is right, " <M mathml="<msub><mi>R</mi><mi>c</mi></msub>"/> " should fall from " <code>"class-rate-first"</code> " to " <code>"class-rate-last"</code> " as the attention steps pull each token toward its subspace's crowd, and " <code>"sparsity-last"</code> " should be well above zero. "
                "Raise the noise and the stack has more to undo; add subspaces to the same dimension and they begin to overlap, so a token's similarities no longer point to one subspace alone."
            </p>
            {view_for(&crate_layers::SPEC)}
            <h2>"A transformer, part by part"</h2>
            <p>
                "Set a CRATE layer beside the block of a standard transformer (Vaswani and colleagues 2017), written in the same column convention (in code with tokens as rows it reads " <M mathml="<mi>softmax</mi><mo>(</mo><mi>Q</mi><msup><mi>K</mi><mi>⊤</mi></msup><mo>/</mo><msqrt><mi>p</mi></msqrt><mo>)</mo><mi>V</mi>"/> "):"
            </p>
            <Equation mathml=STANDARD_BLOCK/>
            <p>
                "A standard block adds the heads' outputs (through an output matrix) to the tokens, then adds the MLP's output, with a LayerNorm (Ba, Kiros and Hinton 2016) before each of the two steps; GELU is a smooth cousin of the ReLU (Hendrycks and Gimpel 2016). "
                "The shapes match CRATE's: a residual attention step, then a token-by-token step. What differs is where each part comes from. "
                "In CRATE, queries, keys and values are one matrix because the gradient of " <M mathml="<msub><mi>R</mi><mi>c</mi></msub>"/> " has one projection in it; the softmax is the stand-in for an inverse; the second block is a sparse-coding step with a threshold whose size is the price of a nonzero. "
                "Every part has a stated purpose, and the purpose can be measured. "
                "It also makes CRATE smaller. With width " <M mathml="<mi>w</mi>"/> " (the token dimension " <M mathml="<mi>d</mi>"/> ") and " <M mathml="<mi>K</mi>"/> " heads of dimension " <M mathml="<mi>p</mi>"/> ", " <M mathml="<mi>K</mi><mi>p</mi><mo>=</mo><mi>w</mi>"/> ", the parameters of one layer are"
            </p>
            <Equation mathml=CRATE_PARAMETERS/>
            <Equation mathml=TRANSFORMER_PARAMETERS/>
            <p>
                "One " <M mathml="<mi>U</mi>"/> " instead of three projections with their biases saves " <M mathml="<mn>2</mn><msup><mi>w</mi><mn>2</mn></msup><mo>+</mo><mn>3</mn><mi>w</mi>"/> "; a square dictionary instead of an MLP four times as wide saves " <M mathml="<mn>7</mn><msup><mi>w</mi><mn>2</mn></msup><mo>+</mo><mn>5</mn><mi>w</mi>"/> ". "
                "At width 32 a CRATE layer has 3,232 parameters and a standard one 12,704, about four times as many; the number of heads changes neither count."
            </p>
            <p>
                "What does "<em>"white box"</em>" promise, then? Not that a trained CRATE computes exactly the steps above. Its " <M mathml="<msub><mi>U</mi><mi>k</mi></msub>"/> " and " <M mathml="<mi>D</mi>"/> " are learned by backpropagation on whatever loss the task has, nothing forces them to stay orthonormal, and the derivation used approximations along the way. "
                "The claim is that the derivation says what to measure, and the measurements can be made. "
                "Yu and colleagues trained CRATE on ImageNet and measured, layer by layer, the compression term " <M mathml="<msub><mi>R</mi><mi>c</mi></msub>"/> " of the tokens (against each layer's learned subspaces) and their sparsity: in their figures " <M mathml="<msub><mi>R</mi><mi>c</mi></msub>"/> " mostly falls and the share of zero entries mostly rises from layer to layer, as the design intends, though nothing in the training asked for either directly. "
                "Its accuracy came close to that of carefully engineered vision transformers such as ViT, with far fewer parameters. "
                "In a follow-up, Yu, Chu, Tong, Wu, Pai, Buchanan and Ma (2024) looked at CRATE's attention maps on images: trained only to classify, CRATE's heads pick out the objects in a picture, and some heads their parts, without ever being shown a segmentation, something standard vision transformers had shown mainly when trained with self-supervised methods. "
                "These are observations on large images and large models; whether a small model on tiny digits shows the same is what the next demo lets you check, and it may show it only in part."
            </p>
            <h2>"Training CRATE on digits"</h2>
            <p>
                "Vision transformers (Dosovitskiy and colleagues 2021) turn an image into tokens by cutting it into square patches. Our 8×8 digits are small, so the patches are too: " <M mathml="<mi>P</mi><mo>×</mo><mi>P</mi>"/> " pixels each, giving " <M mathml="<mi>N</mi><mo>=</mo><mn>16</mn>"/> " tokens of 4 pixels for " <M mathml="<mi>P</mi><mo>=</mo><mn>2</mn>"/> ", or 4 tokens of 16 pixels for " <M mathml="<mi>P</mi><mo>=</mo><mn>4</mn>"/> ". "
                "Each patch, flattened to a vector " <M mathml="<msub><mi>x</mi><mi>i</mi></msub>"/> ", goes through the same learned linear map " <M mathml="<mi>E</mi>"/> " into the width " <M mathml="<mi>w</mi>"/> ", and one more token, the "<em>"class token"</em>" " <M mathml="<msub><mi>z</mi><mtext>cls</mtext></msub>"/> ", a learned vector that belongs to no patch, joins them. "
                "It gathers, through attention, what the network needs to know about the whole digit; after the last of " <M mathml="<mi>L</mi>"/> " layers a linear map " <M mathml="<mi>W</mi>"/> " turns it into ten scores, one per digit:"
            </p>
            <Equation mathml=TOKENS/>
            <p>
                "(Attention by itself does not know where a token came from; vision transformers add a learned position vector to each token for that, and so do both models here.) "
                "Both models, " <code>"model=crate"</code> " and " <code>"model=transformer"</code> ", are built this way with the same width, depth and heads, and both are trained the same way: Adam (Kingma and Ba 2015) on the cross-entropy of the labels, the code length of chapter 1, on the training digits, measured on the test digits. "
                "Only the blocks differ, so any difference in the results is the blocks' doing."
            </p>
            <p>
                "Here is what to look at. First, " <code>"parameters"</code> " against " <code>"test-accuracy"</code> ": how much accuracy, if any, does CRATE give up for having about a quarter of the parameters in its blocks? "
                "Second, for the trained CRATE, the per-layer curves, " <code>"class-rate-per-layer"</code> " and " <code>"sparsity-per-layer"</code> ": does the class rate of the tokens fall from layer to layer, and does the share of zeros in the ISTA outputs rise, as the design intends? Nothing in the cross-entropy asks for either, so a fall and a rise here are the white-box claim passing a test, and their absence would be informative too. "
                "Third, the attention maps: for a chosen digit, each head's map shows which patches it attends to. Do the heads look at the strokes or at the empty border? Do different heads pick different parts of the digit? "
                "With only 4 or 16 patches there are no objects to segment in the paper's sense; look instead for heads that follow the ink."
            </p>
            {view_for(&crate_digits::SPEC)}
            <h2>"Compression, from the first chapter to the last"</h2>
            <p>
                "One thread runs through this notebook. Chapter 1 measured information by the length of its shortest code, Shannon's entropy, and found that a model that predicts well is a model that compresses well; Rissanen's principle picked the model that gives the shortest total description. "
                "Chapter 2 found that real data compress because they lie near low-dimensional subspaces, one (PCA) or a union of many (sparse coding), and that saying where a point lies on them is the short description. "
                "Chapter 3 used that structure to remove noise, pulling points back onto it, and then to generate new data by denoising pure noise a step at a time. "
                "Chapter 4 measured the bits of a cloud of features with the coding rate and asked for features that compress each class while keeping the whole rich, and ReduNet climbed that objective one layer at a time. "
                "This chapter took the same climb for tokens and arrived at something very close to the architecture that the field found by trial and error: attention as a compression step, the block after it as a sparse-coding step."
            </p>
            <p>
                "The limits deserve the same plain statement. The models here are small and the data are toys: points on a few subspaces, and 8×8 digits cut into a handful of patches. "
                "A derivation tells you what a layer would do if its weights were the ones the derivation assumes; a trained network's weights are whatever lowered its loss. The first-order expansion, the softmax in place of an inverse, the single ISTA step and the learned output map each loosen the link between the formula and the layer. "
                "So the derivation is a hypothesis about the trained network, and the measurements, the rate and the sparsity layer by layer and the attention maps, are how it is checked. "
                "That is the notebook's thesis in one last form: a description is good if it is short and if it survives the data, and the description of a network is no exception."
            </p>
            <h2>"Exercises"</h2>
            <ol class="exercises">
                <li>"In the hand-built stack, start from the smallest " <code>"noise"</code> " and raise it step by step, writing down " <code>"class-rate-first"</code> " and " <code>"class-rate-last"</code> " each time. How much does the stack lower the class rate at each noise level? Is there a noise level past which the layers stop helping? Repeat one setting with two other values of " <code>"seed"</code> " to see how much of what you measured is chance."</li>
                <li>"Vary " <code>"layers"</code> " from 1 upward with the other parameters fixed. Does " <M mathml="<msub><mi>R</mi><mi>c</mi></msub>"/> " fall at every layer, or does it level off? Look at " <code>"sparsity-last"</code> " after a single layer: a ReLU zeroes every negative entry, and the ISTA step barely moves a token when " <M mathml="<mi>η</mi><mo>=</mo><mn>0.1</mn>"/> ", so about what share of zeros do you expect from one step on tokens whose entries are as often negative as positive? How does the share change with more layers?"</li>
                <li>"Keep " <code>"dim"</code> " fixed and raise " <code>"subspaces"</code> ". Once the subspaces can no longer be mutually orthogonal, a token has large similarities with tokens of other subspaces too. What happens to " <code>"class-rate-last"</code> " compared with " <code>"class-rate-first"</code> "? Relate what you see to chapter 4's principal angles between subspaces."</li>
                <li>"In the digits demo, train " <code>"model=crate"</code> " and " <code>"model=transformer"</code> " with the same " <code>"width"</code> ", " <code>"layers"</code> ", " <code>"steps"</code> " and " <code>"seed"</code> ". Everything outside the blocks is shared, so the difference in " <code>"parameters"</code> " should be " <M mathml="<mi>L</mi><mo>(</mo><mn>9</mn><msup><mi>w</mi><mn>2</mn></msup><mo>+</mo><mn>8</mn><mi>w</mi><mo>)</mo>"/> " for " <M mathml="<mi>L</mi>"/> " layers of width " <M mathml="<mi>w</mi>"/> ": check it. Then change " <code>"heads"</code> ": why does neither count move? Which model gets more " <code>"test-accuracy"</code> " per parameter? Try a transformer of smaller " <code>"width"</code> " with about as many parameters as the CRATE, and compare again."</li>
                <li>"For " <code>"model=crate"</code> ", compare " <code>"class-rate-per-layer"</code> " and " <code>"sparsity-per-layer"</code> " after a short run (a small " <code>"steps"</code> ") and after a long one. Which of the two trends is there from the start, because of the architecture alone, and which appears only with training? Look at the same numbers for " <code>"model=transformer"</code> ": what, if anything, do its layers do to the class rate?"</li>
                <li>"Train CRATE with " <code>"heads=1"</code> " and then with more heads at the same " <code>"width"</code> ". Look at each head's attention map on a few digits: do different heads attend to different strokes, or do they all look at the same patches? Does " <code>"test-accuracy"</code> " depend on the number of heads, given that the parameter count does not? Repeat with another " <code>"seed"</code> ": which of the patterns you saw survive?"</li>
            </ol>
            <h2>"References"</h2>
            <ol class="references">
                <li>"Y. Yu, S. Buchanan, D. Pai, T. Chu, Z. Wu, S. Tong, B. D. Haeffele, Y. Ma. White-box transformers via sparse rate reduction. " <cite>"Advances in Neural Information Processing Systems (NeurIPS)"</cite> " 36 (2023)."</li>
                <li>"Y. Yu, T. Chu, S. Tong, Z. Wu, D. Pai, S. Buchanan, Y. Ma. Emergence of segmentation with minimalistic white-box transformers. " <cite>"Conference on Parsimony and Learning (CPAL)"</cite> " (2024). arXiv:2308.16271."</li>
                <li>"A. Vaswani, N. Shazeer, N. Parmar, J. Uszkoreit, L. Jones, A. N. Gomez, Ł. Kaiser, I. Polosukhin. Attention is all you need. " <cite>"Advances in Neural Information Processing Systems (NeurIPS)"</cite> " 30 (2017)."</li>
                <li>"A. Dosovitskiy, L. Beyer, A. Kolesnikov, D. Weissenborn, X. Zhai, T. Unterthiner, M. Dehghani, M. Minderer, G. Heigold, S. Gelly, J. Uszkoreit, N. Houlsby. An image is worth 16x16 words: transformers for image recognition at scale. " <cite>"International Conference on Learning Representations (ICLR)"</cite> " (2021)."</li>
                <li>"J. L. Ba, J. R. Kiros, G. E. Hinton. Layer normalization. arXiv:1607.06450 (2016)."</li>
                <li>"D. Hendrycks, K. Gimpel. Gaussian error linear units (GELUs). arXiv:1606.08415 (2016)."</li>
                <li>"D. P. Kingma, J. Ba. Adam: a method for stochastic optimization. " <cite>"International Conference on Learning Representations (ICLR)"</cite> " (2015)."</li>
                <li>"K. Gregor, Y. LeCun. Learning fast approximations of sparse coding. " <cite>"Proceedings of the 27th International Conference on Machine Learning (ICML)"</cite> " (2010), 399–406."</li>
                <li>"I. Daubechies, M. Defrise, C. De Mol. An iterative thresholding algorithm for linear inverse problems with a sparsity constraint. " <cite>"Communications on Pure and Applied Mathematics"</cite> " 57 (2004), 1413–1457."</li>
                <li>"B. A. Olshausen, D. J. Field. Emergence of simple-cell receptive field properties by learning a sparse code for natural images. " <cite>"Nature"</cite> " 381 (1996), 607–609."</li>
                <li>"K. H. R. Chan, Y. Yu, C. You, H. Qi, J. Wright, Y. Ma. ReduNet: a white-box deep network from the principle of maximizing rate reduction. " <cite>"Journal of Machine Learning Research"</cite> " 23 (2022), 114:1–114:103."</li>
                <li>"Y. Yu, K. H. R. Chan, C. You, C. Song, Y. Ma. Learning diverse and discriminative representations via the principle of maximal coding rate reduction. " <cite>"Advances in Neural Information Processing Systems (NeurIPS)"</cite> " 33 (2020), 9422–9434."</li>
                <li>"C. E. Shannon. A mathematical theory of communication. " <cite>"Bell System Technical Journal"</cite> " 27 (1948), 379–423 and 623–656."</li>
                <li>"J. Rissanen. Modeling by shortest data description. " <cite>"Automatica"</cite> " 14 (1978), 465–471."</li>
            </ol>
            <p class="credit" data-credit="digits">
                "Data: the 8×8 handwritten digits are the test set of “Optical Recognition of Handwritten Digits” by E. Alpaydin and C. Kaynak (1998), UCI Machine Learning Repository, CC BY 4.0, as distributed with scikit-learn; converted for occam by "<code>"scripts/digits.py"</code>"."
            </p>
        </article>
    }
}

/// The class rate and the share of zero entries, input then layer by layer, and the tokens.
pub fn crate_layers_figures(state: DemoState) -> AnyView {
    let rates = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "class rate Rc of the tokens".into(),
            class: "one",
            points: state.series("class-rate-per-layer"),
        }],
        ..Figure::default()
    });
    let sparsity = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "share of zero entries".into(),
            class: "two",
            points: state.series("sparsity-per-layer"),
        }],
        y_range: Some((0.0, 1.0)),
        ..Figure::default()
    });
    view! {
        <div class="figures">
            <LinePlot figure=rates x_label="layer (0: the input)" y_label="nats a token" description="The class rate of the tokens against their subspaces, falling layer by layer."/>
            <LinePlot figure=sparsity x_label="layer (0: the input)" y_label="share" description="The share of zero entries in the tokens, rising layer by layer."/>
            <div class="full tokens">
                <ImageGrid images=Signal::derive(move || state.images(crate_layers::TOKENS))
                    caption=Signal::derive(|| "The tokens (one row each, sorted by subspace; coordinates across) at the input and after each layer: red positive, blue negative, white zero. The noise fades and each token keeps only its own block.".to_owned())/>
            </div>
        </div>
    }
    .into_any()
}

/// Training curves, per-layer class rate and sparsity, and the heads' attention on a digit.
pub fn crate_digits_figures(state: DemoState) -> AnyView {
    let training = Signal::derive(move || Figure {
        curves: vec![
            Curve {
                label: "training loss".into(),
                class: "one",
                points: state.series(crate_digits::LOSS_CURVE),
            },
            Curve {
                label: "test accuracy".into(),
                class: "two",
                points: state.series(crate_digits::ACCURACY_CURVE),
            },
        ],
        ..Figure::default()
    });
    let layers = Signal::derive(move || {
        // Both on one scale: the class rate divided by the embedding's.
        let rates = state.series("class-rate-per-layer");
        let first = rates.first().map_or(1.0, |point| point.1.max(1e-12));
        Figure {
            curves: vec![
                Curve {
                    label: "class rate Rc, over the embedding's".into(),
                    class: "one",
                    points: rates
                        .iter()
                        .map(|&(layer, rate)| (layer, rate / first))
                        .collect(),
                },
                Curve {
                    label: "share of zero entries".into(),
                    class: "two",
                    points: state.series("sparsity-per-layer"),
                },
            ],
            y_range: Some((0.0, 1.2)),
            ..Figure::default()
        }
    });
    view! {
        <div class="figures">
            <LinePlot figure=training x_label="training step" y_label="loss, accuracy" description="The training loss and the test accuracy by step."/>
            <LinePlot figure=layers x_label="layer (0: the embedding)" y_label="ratio, share" description="Per layer: the class rate of the tokens relative to the embedding's, and the share of zero entries."/>
            <div class="full attention-maps">
                <ImageGrid images=Signal::derive(move || state.images(crate_digits::DIGIT))
                    caption=Signal::derive(|| "The test digit.".to_owned())/>
                <ImageGrid images=Signal::derive(move || state.images(crate_digits::ATTENTION))
                    caption=Signal::derive(|| "Each head's attention from the class token over the 16 patches of that digit, layer by layer: the darkest patch is the one the head attends to most.".to_owned())/>
            </div>
        </div>
    }
    .into_any()
}
