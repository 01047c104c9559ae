//! Chapter `coding-rate`: the coding rate counts the bits of a cloud of features up to ε;
//! maximal coding rate reduction (MCR²) expands the whole set and compresses each class.

use leptos::prelude::*;
use occam_demos::{mcr2, rate_geometry, redunet};

use super::{Equation, M};
use crate::demo::{DemoState, Status, view_for};
use crate::images::ImageGrid;
use crate::plot::{Curve, Figure, Level, LinePlot};
use crate::scatter::{Layer, Outline, PlayerWords, Scatter, TrajectoryPlayer};

const CODING_LENGTH: &str = "<mi>L</mi><mo>(</mo><mi>Z</mi><mo>)</mo><mo>≈</mo><mfrac><mrow><mi>m</mi><mo>+</mo><mi>d</mi></mrow><mn>2</mn></mfrac><mspace width=\"0.1em\"/><mi>log</mi><mspace width=\"0.17em\"/><mi>det</mi><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mfrac><mi>d</mi><mrow><mi>m</mi><msup><mi>ε</mi><mn>2</mn></msup></mrow></mfrac><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>)</mo></mrow><mo>,</mo><mspace width=\"1em\"/><mi>Z</mi><mo>=</mo><mo>[</mo><msub><mi>z</mi><mn>1</mn></msub><mo>,</mo><mo>…</mo><mo>,</mo><msub><mi>z</mi><mi>m</mi></msub><mo>]</mo><mo>∈</mo><msup><mi>ℝ</mi><mrow><mi>d</mi><mo>×</mo><mi>m</mi></mrow></msup>";
const RATE: &str = "<mi>R</mi><mo>(</mo><mi>Z</mi><mo>)</mo><mo>=</mo><mfrac><mn>1</mn><mn>2</mn></mfrac><mi>log</mi><mspace width=\"0.17em\"/><mi>det</mi><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mfrac><mi>d</mi><mrow><mi>m</mi><msup><mi>ε</mi><mn>2</mn></msup></mrow></mfrac><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>)</mo></mrow>";
const EIGEN: &str = "<mi>R</mi><mo>(</mo><mi>Z</mi><mo>)</mo><mo>=</mo><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>d</mi></munderover><mfrac><mn>1</mn><mn>2</mn></mfrac><mi>log</mi><mrow><mo>(</mo><mn>1</mn><mo>+</mo><mfrac><mrow><mi>d</mi><mspace width=\"0.1em\"/><msub><mi>λ</mi><mi>i</mi></msub></mrow><mrow><mi>m</mi><msup><mi>ε</mi><mn>2</mn></msup></mrow></mfrac><mo>)</mo></mrow><mo>=</mo><mi>log</mi><mfrac><mrow><mtext>vol</mtext><mo>(</mo><msub><mi>ℰ</mi><mi>Z</mi></msub><mo>)</mo></mrow><mrow><mtext>vol</mtext><mo>(</mo><msub><mi>B</mi><mi>ε</mi></msub><mo>)</mo></mrow></mfrac><mo>,</mo><mspace width=\"1em\"/><msub><mi>ℰ</mi><mi>Z</mi></msub><mtext>: semi-axes </mtext><msqrt><msup><mi>ε</mi><mn>2</mn></msup><mo>+</mo><mi>d</mi><msub><mi>λ</mi><mi>i</mi></msub><mo>/</mo><mi>m</mi></msqrt>";
const CLASS_RATE: &str = "<msub><mi>R</mi><mi>c</mi></msub><mo>(</mo><mi>Z</mi><mo>∣</mo><mi>Π</mi><mo>)</mo><mo>=</mo><munderover><mo>∑</mo><mrow><mi>j</mi><mo>=</mo><mn>1</mn></mrow><mi>k</mi></munderover><mfrac><msub><mi>m</mi><mi>j</mi></msub><mrow><mn>2</mn><mi>m</mi></mrow></mfrac><mspace width=\"0.1em\"/><mi>log</mi><mspace width=\"0.17em\"/><mi>det</mi><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mfrac><mi>d</mi><mrow><msub><mi>m</mi><mi>j</mi></msub><msup><mi>ε</mi><mn>2</mn></msup></mrow></mfrac><msub><mi>Z</mi><mi>j</mi></msub><msubsup><mi>Z</mi><mi>j</mi><mi>⊤</mi></msubsup><mo>)</mo></mrow>";
const REDUCTION: &str = "<mi>Δ</mi><mi>R</mi><mo>(</mo><mi>Z</mi><mo>,</mo><mi>Π</mi><mo>)</mo><mo>=</mo><munder><munder><mrow><mi>R</mi><mo>(</mo><mi>Z</mi><mo>)</mo></mrow><mo>⏟</mo></munder><mtext>expand the whole</mtext></munder><mo>−</mo><munder><munder><mrow><msub><mi>R</mi><mi>c</mi></msub><mo>(</mo><mi>Z</mi><mo>∣</mo><mi>Π</mi><mo>)</mo></mrow><mo>⏟</mo></munder><mtext>compress each class</mtext></munder>";
const AVERAGE: &str = "<mi>I</mi><mo>+</mo><mi>α</mi><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>=</mo><munderover><mo>∑</mo><mrow><mi>j</mi><mo>=</mo><mn>1</mn></mrow><mi>k</mi></munderover><msub><mi>γ</mi><mi>j</mi></msub><mspace width=\"0.1em\"/><mo>(</mo><mi>I</mi><mo>+</mo><msub><mi>α</mi><mi>j</mi></msub><msub><mi>Z</mi><mi>j</mi></msub><msubsup><mi>Z</mi><mi>j</mi><mi>⊤</mi></msubsup><mo>)</mo><mo>,</mo><mspace width=\"1em\"/><mi>α</mi><mo>=</mo><mfrac><mi>d</mi><mrow><mi>m</mi><msup><mi>ε</mi><mn>2</mn></msup></mrow></mfrac><mo>,</mo><mspace width=\"0.5em\"/><msub><mi>α</mi><mi>j</mi></msub><mo>=</mo><mfrac><mi>d</mi><mrow><msub><mi>m</mi><mi>j</mi></msub><msup><mi>ε</mi><mn>2</mn></msup></mrow></mfrac><mo>,</mo><mspace width=\"0.5em\"/><msub><mi>γ</mi><mi>j</mi></msub><mo>=</mo><mfrac><msub><mi>m</mi><mi>j</mi></msub><mi>m</mi></mfrac>";
const LOGDET_GRADIENT: &str = "<mfrac><mo>∂</mo><mrow><mo>∂</mo><mi>Z</mi></mrow></mfrac><mspace width=\"0.2em\"/><mfrac><mn>1</mn><mn>2</mn></mfrac><mi>log</mi><mspace width=\"0.17em\"/><mi>det</mi><mo>(</mo><mi>I</mi><mo>+</mo><mi>a</mi><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>)</mo><mo>=</mo><mi>a</mi><mspace width=\"0.1em\"/><msup><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mi>a</mi><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup><mi>Z</mi>";
const STEP_DIRECTION: &str = "<mfrac><mrow><mo>∂</mo><mspace width=\"0.1em\"/><mi>Δ</mi><mi>R</mi></mrow><mrow><mo>∂</mo><msub><mi>z</mi><mi>i</mi></msub></mrow></mfrac><mo>=</mo><mi>E</mi><msub><mi>z</mi><mi>i</mi></msub><mo>−</mo><msub><mi>γ</mi><mi>j</mi></msub><msub><mi>C</mi><mi>j</mi></msub><msub><mi>z</mi><mi>i</mi></msub><mo>,</mo><mspace width=\"1em\"/><mi>E</mi><mo>=</mo><mi>α</mi><msup><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mi>α</mi><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup><mo>,</mo><mspace width=\"1em\"/><msub><mi>C</mi><mi>j</mi></msub><mo>=</mo><msub><mi>α</mi><mi>j</mi></msub><msup><mrow><mo>(</mo><mi>I</mi><mo>+</mo><msub><mi>α</mi><mi>j</mi></msub><msub><mi>Z</mi><mi>j</mi></msub><msubsup><mi>Z</mi><mi>j</mi><mi>⊤</mi></msubsup><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup>";
const RESIDUAL: &str = "<msup><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mi>α</mi><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup><mi>z</mi><mo>=</mo><mi>z</mi><mo>−</mo><mi>Z</mi><mover><mi>c</mi><mo>^</mo></mover><mo>,</mo><mspace width=\"1em\"/><mover><mi>c</mi><mo>^</mo></mover><mo>=</mo><munder><mo>argmin</mo><mi>c</mi></munder><mspace width=\"0.3em\"/><mo>‖</mo><mi>z</mi><mo>−</mo><mi>Z</mi><mi>c</mi><msup><mo>‖</mo><mn>2</mn></msup><mo>+</mo><mfrac><mn>1</mn><mi>α</mi></mfrac><mo>‖</mo><mi>c</mi><msup><mo>‖</mo><mn>2</mn></msup>";
const LAYER: &str = "<msubsup><mi>z</mi><mi>i</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>+</mo><mn>1</mn><mo>)</mo></mrow></msubsup><mo>=</mo><mtext>normalize</mtext><mrow><mo>(</mo><msubsup><mi>z</mi><mi>i</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>)</mo></mrow></msubsup><mo>+</mo><mi>η</mi><mspace width=\"0.1em\"/><mo>(</mo><mi>m</mi><msup><mi>E</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>)</mo></mrow></msup><msubsup><mi>z</mi><mi>i</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>)</mo></mrow></msubsup><mo>−</mo><msub><mi>m</mi><mi>j</mi></msub><msubsup><mi>C</mi><mi>j</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>)</mo></mrow></msubsup><msubsup><mi>z</mi><mi>i</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>)</mo></mrow></msubsup><mo>)</mo><mo>)</mo></mrow><mo>,</mo><mspace width=\"1em\"/><mtext>normalize</mtext><mo>(</mo><mi>v</mi><mo>)</mo><mo>=</mo><mfrac><mi>v</mi><mrow><mo>‖</mo><mi>v</mi><mo>‖</mo></mrow></mfrac>";
const OBJECTIVE: &str = "<munder><mo>max</mo><mi>θ</mi></munder><mspace width=\"0.3em\"/><mi>Δ</mi><mi>R</mi><mo>(</mo><msub><mi>f</mi><mi>θ</mi></msub><mo>(</mo><mi>X</mi><mo>)</mo><mo>,</mo><mi>Π</mi><mo>)</mo><mspace width=\"1em\"/><mtext>subject to </mtext><mo>‖</mo><msub><mi>z</mi><mi>i</mi></msub><mo>‖</mo><mo>=</mo><mn>1</mn><mo>,</mo><mspace width=\"0.5em\"/><msub><mi>z</mi><mi>i</mi></msub><mo>=</mo><msub><mi>f</mi><mi>θ</mi></msub><mo>(</mo><msub><mi>x</mi><mi>i</mi></msub><mo>)</mo>";
const CROSS_ENTROPY: &str = "<msub><mi>L</mi><mtext>CE</mtext></msub><mo>(</mo><mi>θ</mi><mo>,</mo><mi>W</mi><mo>)</mo><mo>=</mo><mfrac><mn>1</mn><mi>m</mi></mfrac><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>m</mi></munderover><mo>−</mo><mi>log</mi><mfrac><mrow><mi>exp</mi><mo>(</mo><msubsup><mi>w</mi><msub><mi>y</mi><mi>i</mi></msub><mi>⊤</mi></msubsup><msub><mi>z</mi><mi>i</mi></msub><mo>)</mo></mrow><mrow><munderover><mo>∑</mo><mrow><mi>j</mi><mo>=</mo><mn>1</mn></mrow><mi>k</mi></munderover><mi>exp</mi><mo>(</mo><msubsup><mi>w</mi><mi>j</mi><mi>⊤</mi></msubsup><msub><mi>z</mi><mi>i</mi></msub><mo>)</mo></mrow></mfrac><mo>,</mo><mspace width=\"1em\"/><msub><mi>z</mi><mi>i</mi></msub><mo>=</mo><msub><mi>f</mi><mi>θ</mi></msub><mo>(</mo><msub><mi>x</mi><mi>i</mi></msub><mo>)</mo>";
const PRINCIPAL_ANGLES: &str = "<mi>cos</mi><msub><mi>θ</mi><mi>k</mi></msub><mo>=</mo><msub><mi>σ</mi><mi>k</mi></msub><mo>(</mo><msubsup><mi>U</mi><mi>a</mi><mi>⊤</mi></msubsup><msub><mi>U</mi><mi>b</mi></msub><mo>)</mo><mo>,</mo><mspace width=\"1em\"/><mn>0</mn><mo>≤</mo><msub><mi>θ</mi><mn>1</mn></msub><mo>≤</mo><msub><mi>θ</mi><mn>2</mn></msub><mo>≤</mo><mo>⋯</mo><mo>≤</mo><mfrac><mi>π</mi><mn>2</mn></mfrac>";
const NEAREST_SUBSPACE: &str = "<mover><mi>j</mi><mo>^</mo></mover><mo>(</mo><mi>z</mi><mo>)</mo><mo>=</mo><munder><mo>argmin</mo><mi>j</mi></munder><mspace width=\"0.3em\"/><mo>‖</mo><mi>z</mi><mo>−</mo><msub><mi>U</mi><mi>j</mi></msub><msubsup><mi>U</mi><mi>j</mi><mi>⊤</mi></msubsup><mi>z</mi><mo>‖</mo>";

/// The chapter page.
#[component]
pub fn CodingRate() -> impl IntoView {
    view! {
        <article class="chapter-page">
            <p class="kicker">"Chapter 4"</p>
            <h1>"Contrastive coding rate (MCR²)"</h1>
            <p>
                "Chapter 1 counted information in bits: the shortest code for a message costs its total surprise, and a model that predicts well codes well. "
                "Chapter 2 found that data crowd near low-dimensional subspaces, and that naming a point by its few coordinates on its subspace, plus a description of the subspace itself (the two-part code), costs far fewer bits than listing its pixels. "
                "Chapter 3 used the same knowledge to take noise away: a good denoiser pulls a noisy point back onto the thin slice where the data live."
            </p>
            <p>
                "This chapter turns the question around. So far the data were given and we compressed them. Now suppose a network maps each input " <M mathml="<mi>x</mi>"/> " to a feature vector " <M mathml="<mi>z</mi>"/> ", and we get to choose the map. Which features should we want? "
                "The answer here is: features that compress well, in a precise sense, once you know which class each point belongs to. "
                "To make that precise we need a way to count the bits of a cloud of real vectors; with labels, the count becomes a principle, "<em>"expand the whole, compress each class"</em>"; and the principle, followed one gradient step at a time, becomes a deep network whose every weight is written down from the data."
            </p>
            <h2>"How many bits does a cloud of vectors cost?"</h2>
            <p>
                "Take " <M mathml="<mi>m</mi>"/> " feature vectors " <M mathml="<msub><mi>z</mi><mn>1</mn></msub><mo>,</mo><mo>…</mo><mo>,</mo><msub><mi>z</mi><mi>m</mi></msub>"/> " in " <M mathml="<msup><mi>ℝ</mi><mi>d</mi></msup>"/> ", the columns of a matrix " <M mathml="<mi>Z</mi>"/> ". "
                "A real number has infinitely many digits, so no finite code sends these vectors exactly. We must agree on a precision " <M mathml="<mi>ε</mi>"/> " and accept any decoded vector within about " <M mathml="<mi>ε</mi>"/> " of the original. "
                "Then counting is geometry. Blur every vector into a small ball of radius " <M mathml="<mi>ε</mi>"/> ": vectors whose balls overlap cannot be told apart, so the number of distinct codewords we need is about the number of such balls that fit in the region the cloud fills, and naming one of " <M mathml="<mi>N</mi>"/> " codewords costs " <M mathml="<mi>log</mi><mi>N</mi>"/> ", as in chapter 1. "
                "Shannon set up this kind of lossy counting in 1948 and developed it in 1959 as "<em>"rate-distortion theory"</em>"; for a Gaussian source the answer has a closed form (Cover and Thomas, chapter 10). "
                "Ma, Derksen, Hong and Wright (2007) wrote it for a finite set of vectors, estimating the covariance from the vectors themselves:"
            </p>
            <Equation mathml=CODING_LENGTH/>
            <p>
                "The logarithm is natural, here and in the whole chapter, so lengths are in "<em>"nats"</em>"; divide by " <M mathml="<mi>ln</mi><mn>2</mn><mo>≈</mo><mn>0.693</mn>"/> " to get bits. "
                "The length has two parts, like chapter 2's code. The part proportional to " <M mathml="<mi>m</mi>"/> " pays for the vectors; the part proportional to " <M mathml="<mi>d</mi>"/> " does not grow with the number of vectors; read it as paying, once, for the code book: the ellipsoid's axes, the model. "
                "Per vector, the model's share fades as " <M mathml="<mi>m</mi>"/> " grows, and what remains is the "<em>"coding rate"</em>":"
            </p>
            <Equation mathml=RATE/>
            <p>
                "Write " <M mathml="<msub><mi>λ</mi><mn>1</mn></msub><mo>,</mo><mo>…</mo><mo>,</mo><msub><mi>λ</mi><mi>d</mi></msub>"/> " for the eigenvalues of " <M mathml="<mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup>"/> ". Then " <M mathml="<msub><mi>λ</mi><mi>i</mi></msub><mo>/</mo><mi>m</mi>"/> " is the spread of the cloud along its " <M mathml="<mi>i</mi>"/> "-th principal direction, chapter 2's spectrum once more. "
                "A determinant is the product of the eigenvalues, so the rate splits into one term per direction, and each term has a picture:"
            </p>
            <Equation mathml=EIGEN/>
            <p>
                "Rounding noise of squared length " <M mathml="<msup><mi>ε</mi><mn>2</mn></msup>"/> ", shared evenly by the " <M mathml="<mi>d</mi>"/> " directions, puts " <M mathml="<msup><mi>ε</mi><mn>2</mn></msup><mo>/</mo><mi>d</mi>"/> " in each and fills a ball " <M mathml="<msub><mi>B</mi><mi>ε</mi></msub>"/> " of radius " <M mathml="<mi>ε</mi>"/> ". "
                "The blurred cloud fills an ellipsoid " <M mathml="<msub><mi>ℰ</mi><mi>Z</mi></msub>"/> " along the same principal directions, with the semi-axes above. "
                "The ratio of the two volumes is the product of the ratios of the axes, so the rate is the logarithm of how many " <M mathml="<mi>ε</mi>"/> "-balls the ellipsoid holds: the volume of the cloud, measured in units of the precision."
            </p>
            <p>
                "Notice the 1 inside each logarithm, the " <M mathml="<mi>I</mi>"/> " in the determinant. A direction in which the cloud is much thinner than the precision, " <M mathml="<msub><mi>λ</mi><mi>i</mi></msub><mo>≪</mo><mi>m</mi><msup><mi>ε</mi><mn>2</mn></msup><mo>/</mo><mi>d</mi>"/> ", adds " <M mathml="<mfrac><mn>1</mn><mn>2</mn></mfrac><mi>log</mi><mo>(</mo><mn>1</mn><mo>+</mo><mtext>tiny</mtext><mo>)</mo><mo>≈</mo><mtext>tiny</mtext>"/> ": it costs almost nothing, because everything in it rounds to zero. "
                "This is chapter 2's rule of dropping the components with small eigenvalues, applied softly, with " <M mathml="<mi>ε</mi>"/> " deciding what counts as small; and it is chapter 3's rule that directions drowned in noise are not worth describing. "
                "Without the 1, data lying exactly on a subspace would have a zero eigenvalue and a rate of " <M mathml="<mo>−</mo><mi>∞</mi>"/> "; with it, a flat cloud simply costs what its few thick directions cost."
            </p>
            <p>
                "One more rule before the rate can judge features. Multiply every " <M mathml="<msub><mi>z</mi><mi>i</mi></msub>"/> " by 10: every " <M mathml="<msub><mi>λ</mi><mi>i</mi></msub>"/> " grows a hundredfold, and the rate grows by nearly " <M mathml="<mi>log</mi><mn>10</mn>"/> " for every direction the cloud uses, although the arrangement of the points has not changed at all. A representation could look rich just by being large. "
                "So features are put on the unit sphere: each column of " <M mathml="<mi>Z</mi>"/> " is scaled to length 1. Then " <M mathml="<msub><mi>λ</mi><mn>1</mn></msub><mo>+</mo><mo>⋯</mo><mo>+</mo><msub><mi>λ</mi><mi>d</mi></msub><mo>=</mo><mi>tr</mi><mo>(</mo><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>)</mo><mo>=</mo><mi>m</mi>"/> " is fixed, and the rate measures only how that total is shared among directions. "
                "All points on one line give the least, " <M mathml="<mfrac><mn>1</mn><mn>2</mn></mfrac><mi>log</mi><mo>(</mo><mn>1</mn><mo>+</mo><mi>d</mi><mo>/</mo><msup><mi>ε</mi><mn>2</mn></msup><mo>)</mo>"/> "; an even share, " <M mathml="<msub><mi>λ</mi><mi>i</mi></msub><mo>=</mo><mi>m</mi><mo>/</mo><mi>d</mi>"/> ", gives the most, " <M mathml="<mfrac><mi>d</mi><mn>2</mn></mfrac><mi>log</mi><mo>(</mo><mn>1</mn><mo>+</mo><mn>1</mn><mo>/</mo><msup><mi>ε</mi><mn>2</mn></msup><mo>)</mo>"/> " (the logarithm is concave, so evening out the eigenvalues can only raise the sum)."
            </p>
            <h2>"Expand the whole, compress each class"</h2>
            <p>
                "Now give the points labels. There are " <M mathml="<mi>k</mi>"/> " classes; " <M mathml="<mi>Π</mi>"/> " records which class each point belongs to, and the " <M mathml="<msub><mi>m</mi><mi>j</mi></msub>"/> " points of class " <M mathml="<mi>j</mi>"/> " are the columns of " <M mathml="<msub><mi>Z</mi><mi>j</mi></msub>"/> ". "
                "If the receiver already knows the labels, we can code each class on its own, with an ellipsoid fitted to that class alone. The cost per point is the "<em>"class rate"</em>", each class's rate weighted by its share of the points:"
            </p>
            <Equation mathml=CLASS_RATE/>
            <p>"The difference is the "<em>"rate reduction"</em>": the nats per point that knowing the classes saves."</p>
            <Equation mathml=REDUCTION/>
            <p>
                "It is never negative. The matrix of the whole set is an average of the classes' matrices, weighted by their shares " <M mathml="<msub><mi>γ</mi><mi>j</mi></msub>"/> ":"
            </p>
            <Equation mathml=AVERAGE/>
            <p>
                "and " <M mathml="<mi>log det</mi>"/> " is a concave function of a positive definite matrix, so the log-determinant of an average is at least the average of the log-determinants: " <M mathml="<mi>R</mi><mo>≥</mo><msub><mi>R</mi><mi>c</mi></msub>"/> ". "
                "Equality holds only when every class has the same matrix " <M mathml="<msub><mi>Z</mi><mi>j</mi></msub><msubsup><mi>Z</mi><mi>j</mi><mi>⊤</mi></msubsup><mo>/</mo><msub><mi>m</mi><mi>j</mi></msub>"/> ", that is, when the labels say nothing about where the points lie."
            </p>
            <p>
                "The principle of "<em>"maximal coding rate reduction"</em>", MCR² (Yu, Chan, You, Song and Ma 2020), takes " <M mathml="<mi>Δ</mi><mi>R</mi>"/> " as the measure of a good representation, and asks for features that make it as large as possible. It pulls two ways at once. "
                "A large " <M mathml="<mi>R</mi>"/> " asks the whole set to fill as many directions as it can, so different classes should point different ways: "<em>"expand the whole"</em>". "
                "A small " <M mathml="<msub><mi>R</mi><mi>c</mi></msub>"/> " asks each class to fill as few directions as it can, a thin slice of its own, chapter 2's low-dimensional subspace: "<em>"compress each class"</em>". "
                "Yu and colleagues proved what the best arrangement looks like. Informally: if each class may use at most " <M mathml="<msub><mi>d</mi><mi>j</mi></msub>"/> " dimensions and the feature space has room for all of them, " <M mathml="<msub><mi>d</mi><mn>1</mn></msub><mo>+</mo><mo>⋯</mo><mo>+</mo><msub><mi>d</mi><mi>k</mi></msub><mo>≤</mo><mi>d</mi>"/> ", then at the maximum the classes lie in mutually orthogonal subspaces, and (for small enough " <M mathml="<mi>ε</mi>"/> ") each class spreads out over its whole subspace, nearly evenly. "
                "Between classes, as different as possible; within a class, as varied as allowed."
            </p>
            <p>
                "Read as code lengths, this is a statement about description. " <M mathml="<mi>R</mi>"/> " is what the features cost without the labels, " <M mathml="<msub><mi>R</mi><mi>c</mi></msub>"/> " what they cost with them. On the sphere " <M mathml="<mi>R</mi>"/> " cannot grow without bound, so the representations that maximize the gap are those in which the labels are worth the most: each class has the shortest description it can have, while the whole set stays rich enough that nothing has been thrown away to get there. "
                "Rissanen's principle of the shortest description (1978), which chapter 1 met, here picks not a model of the data but the data's representation."
            </p>
            <p>
                "Compare the usual way of training a classifier, "<em>"cross-entropy"</em>": a linear layer on top of the features predicts the class, and the loss is the code length of the labels, chapter 1's surprise. It asks only that the classes be told apart, and it is content to lose everything else. "
                "Papyan, Han and Donoho (2020) found that when networks are trained with it long past the point of fitting their training data, the features of each class shrink toward the class mean, and the means spread out as far from each other as " <M mathml="<mi>k</mi>"/> " points can: "<em>"neural collapse"</em>". "
                "In coding-rate terms the class rate falls to almost nothing, but so does the rate of the whole, since " <M mathml="<mi>k</mi>"/> " points span at most " <M mathml="<mi>k</mi>"/> " directions; how a particular 7 is slanted, or how thick its stroke is, is gone. MCR² keeps that variety: each class is a subspace with as many directions as it needs."
            </p>
            <p>
                "The first demo lets you see the three rates. It draws a few classes of points on the circle (" <code>"dimension=2"</code> ") or on the sphere (" <code>"dimension=3"</code> "), each class bunched around a direction of its own, and recomputes " <M mathml="<mi>R</mi>"/> ", " <M mathml="<msub><mi>R</mi><mi>c</mi></msub>"/> " and " <M mathml="<mi>Δ</mi><mi>R</mi>"/> " (in nats) the moment you change anything. "
                "The figure shows the points, the ellipse of the whole set's matrix " <M mathml="<mi>I</mi><mo>+</mo><mi>α</mi><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup>"/> " and one for each class, and an " <M mathml="<mi>ε</mi>"/> "-ball for scale. "
                "Lower " <code>"spread"</code> " and watch each class's ellipse thin toward a line: the class rate falls and the rate reduction rises, while the whole set's rate falls much less, as long as the classes point different ways. "
                "Then move " <code>"eps"</code> ": a coarser precision fits fewer balls in every ellipse, so the rates fall, and at very coarse precision every cloud looks like a single ball and the labels save almost nothing; a finer one makes even thin directions worth paying for. "
                "Regenerate draws a fresh sample with a new seed."
            </p>
            {view_for(&rate_geometry::SPEC)}
            <h2>"Climbing the rate reduction, one layer at a time"</h2>
            <p>
                "How do we move points to make " <M mathml="<mi>Δ</mi><mi>R</mi>"/> " larger? Follow its gradient. One identity does all the work: for any " <M mathml="<mi>a</mi><mo>&gt;</mo><mn>0</mn>"/> ","
            </p>
            <Equation mathml=LOGDET_GRADIENT/>
            <p>
                "(differentiate " <M mathml="<mi>log det</mi><mspace width='0.17em'/><mi>A</mi>"/> " to get " <M mathml="<mi>tr</mi><mo>(</mo><msup><mi>A</mi><mrow><mo>−</mo><mn>1</mn></mrow></msup><mi>d</mi><mi>A</mi><mo>)</mo>"/> ", and collect the two symmetric halves of " <M mathml="<mi>d</mi><mo>(</mo><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>)</mo>"/> "). "
                "Applied to both rates, with " <M mathml="<mi>α</mi>"/> ", " <M mathml="<msub><mi>α</mi><mi>j</mi></msub>"/> " and " <M mathml="<msub><mi>γ</mi><mi>j</mi></msub>"/> " as above, it gives the direction in which a point " <M mathml="<msub><mi>z</mi><mi>i</mi></msub>"/> " of class " <M mathml="<mi>j</mi>"/> " should move:"
            </p>
            <Equation mathml=STEP_DIRECTION/>
            <p>
                "Read the two terms through their eigenvalues. Along a principal direction in which " <M mathml="<mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup>"/> " has eigenvalue " <M mathml="<mi>λ</mi>"/> ", " <M mathml="<mi>E</mi>"/> " multiplies by " <M mathml="<mi>α</mi><mo>/</mo><mo>(</mo><mn>1</mn><mo>+</mo><mi>α</mi><mi>λ</mi><mo>)</mo>"/> ": large where the whole set is thin, small where it is thick. "
                "So " <M mathml="<mi>E</mi><msub><mi>z</mi><mi>i</mi></msub>"/> " is mostly the part of " <M mathml="<msub><mi>z</mi><mi>i</mi></msub>"/> " that points into directions the set barely uses, and adding it pushes the point into empty space: "<em>"expansion"</em>". "
                "In the same way " <M mathml="<msub><mi>C</mi><mi>j</mi></msub><msub><mi>z</mi><mi>i</mi></msub>"/> " is the part of " <M mathml="<msub><mi>z</mi><mi>i</mi></msub>"/> " in directions its own class barely uses, and subtracting it pulls the point toward the directions its classmates share: "<em>"compression"</em>"."
            </p>
            <p>
                "These operators are old friends. " <M mathml="<msup><mrow><mo>(</mo><mi>I</mi><mo>+</mo><mi>α</mi><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup><mi>z</mi>"/> " is the residual of a ridge regression of " <M mathml="<mi>z</mi>"/> " on the data, the part of " <M mathml="<mi>z</mi>"/> " that the columns of " <M mathml="<mi>Z</mi>"/> " cannot explain:"
            </p>
            <Equation mathml=RESIDUAL/>
            <p>
                "Equivalently, with " <M mathml="<mi>Σ</mi><mo>=</mo><mi>Z</mi><msup><mi>Z</mi><mi>⊤</mi></msup><mo>/</mo><mi>m</mi>"/> " and noise variance " <M mathml="<msup><mi>σ</mi><mn>2</mn></msup><mo>=</mo><msup><mi>ε</mi><mn>2</mn></msup><mo>/</mo><mi>d</mi>"/> ", it equals " <M mathml="<mi>z</mi><mo>−</mo><mi>Σ</mi><msup><mrow><mo>(</mo><mi>Σ</mi><mo>+</mo><msup><mi>σ</mi><mn>2</mn></msup><mi>I</mi><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup><mi>z</mi>"/> ": the point minus chapter 3's Gaussian denoiser, the piece that the denoiser would throw away as noise. "
                "Since " <M mathml="<mi>m</mi><mi>E</mi>"/> " and " <M mathml="<msub><mi>m</mi><mi>j</mi></msub><msub><mi>C</mi><mi>j</mi></msub>"/> " both equal " <M mathml="<mi>d</mi><mo>/</mo><msup><mi>ε</mi><mn>2</mn></msup>"/> " times such a residual, one against the whole set and one against the point's own class, the step moves each point by the difference of the two: toward what its own class explains, and away from what the whole set already covers."
            </p>
            <p>
                "Chan, Yu, You, Qi, Wright and Ma (2022) turned this into a network, "<em>"ReduNet"</em>". Each layer is one gradient step, followed by a return to the sphere:"
            </p>
            <Equation mathml=LAYER/>
            <p>
                "where " <M mathml="<msup><mi>E</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>)</mo></mrow></msup>"/> " and " <M mathml="<msubsup><mi>C</mi><mi>j</mi><mrow><mo>(</mo><mi>ℓ</mi><mo>)</mo></mrow></msubsup>"/> " are computed from the features as they arrive at layer " <M mathml="<mi>ℓ</mi>"/> ". (The factor " <M mathml="<mi>m</mi>"/> " is there so that a step size " <M mathml="<mi>η</mi>"/> " means the same whatever the number of points.) "
                "The result is a deep network in which every weight is written down from the data by a formula, layer after layer, with no backpropagation and nothing left unexplained: a "<em>"white box"</em>". "
                "A new point whose class is unknown cannot use its own " <M mathml="<msub><mi>C</mi><mi>j</mi></msub>"/> "; the paper assigns it softly to each class according to how small its residual " <M mathml="<mo>‖</mo><msub><mi>C</mi><mi>j</mi></msub><mi>z</mi><mo>‖</mo>"/> " is. "
                "The paper also shows that when the classes must be recognized wherever a pattern is shifted, these operators become convolutions: the layers of a convolutional network, derived rather than designed."
            </p>
            <p>
                "The second demo runs ReduNet on points on the circle or the sphere. Use the player (play, pause, or drag the slider over the layers) to watch the points move, and follow " <M mathml="<mi>Δ</mi><mi>R</mi>"/> " layer by layer; the metrics give its value for the input and after the last layer. "
                "A subspace through the origin meets the circle in two opposite points, so a class may gather into two antipodal clusters: that is still one line, and it costs no more to code than one cluster."
            </p>
            {view_for(&redunet::SPEC)}
            <h2>"Learning features with the rate reduction"</h2>
            <p>
                "ReduNet moves the points themselves. To get a representation that applies to new inputs, we can instead train an encoder " <M mathml="<msub><mi>f</mi><mi>θ</mi></msub>"/> ", a small network whose outputs are normalized onto the sphere, with the rate reduction as its objective:"
            </p>
            <Equation mathml=OBJECTIVE/>
            <p>
                "The gradient of " <M mathml="<mi>Δ</mi><mi>R</mi>"/> " with respect to the features is the expand-minus-compress direction above; backpropagation carries it through the network into the weights, and Adam takes the steps. "
                "For comparison, the same encoder can be trained the usual way, through a linear classifier with weights " <M mathml="<msub><mi>w</mi><mn>1</mn></msub><mo>,</mo><mo>…</mo><mo>,</mo><msub><mi>w</mi><mi>k</mi></msub>"/> " and the cross-entropy of the labels " <M mathml="<msub><mi>y</mi><mi>i</mi></msub>"/> ":"
            </p>
            <Equation mathml=CROSS_ENTROPY/>
            <p>
                "What should a good representation look like? Sort the samples by class and draw " <M mathml="<mo>|</mo><msup><mi>Z</mi><mi>⊤</mi></msup><mi>Z</mi><mo>|</mo>"/> ", the absolute cosine between every pair of features. "
                "If the classes sit in orthogonal subspaces, the picture turns "<em>"block diagonal"</em>": bright squares where a class meets itself, near zero everywhere else. "
                "The singular values of each class's features tell how many directions the class fills: a few large ones and then nothing means a low-dimensional subspace, chapter 2's spectrum seen from inside the network. "
                "How far apart two class subspaces are is measured by their "<em>"principal angles"</em>". With orthonormal bases " <M mathml="<msub><mi>U</mi><mi>a</mi></msub>"/> " and " <M mathml="<msub><mi>U</mi><mi>b</mi></msub>"/> " of the two subspaces (Björck and Golub 1973),"
            </p>
            <Equation mathml=PRINCIPAL_ANGLES/>
            <p>
                "where " <M mathml="<msub><mi>σ</mi><mi>k</mi></msub>"/> " is the " <M mathml="<mi>k</mi>"/> "-th largest singular value. The first angle is the smallest angle between a line in one subspace and a line in the other; all of them are 90° exactly when the subspaces are orthogonal. The demo averages them over every pair of classes. "
                "Finally, a representation like this classifies without a classifier. Take " <M mathml="<msub><mi>U</mi><mi>j</mi></msub>"/> ", the leading singular vectors of class " <M mathml="<mi>j</mi>"/> "'s training features, and send a test point to the class whose subspace is nearest:"
            </p>
            <Equation mathml=NEAREST_SUBSPACE/>
            <p>
                "The demo trains on " <code>"dataset=subspaces"</code> ", a few classes near overlapping low-dimensional subspaces of " <M mathml="<msup><mi>ℝ</mi><mn>32</mn></msup>"/> ", or on " <code>"dataset=digits"</code> ", chapter 2's 8×8 handwritten digits. "
                "Switch " <code>"loss"</code> " between " <code>"mcr2"</code> " and " <code>"cross-entropy"</code> " and compare. With MCR² the heat map should turn block diagonal, the principal angles climb toward 90° and the nearest-subspace rule classify well: the input subspaces overlapped, and the encoder has pulled them apart. "
                "Cross-entropy separates the classes too, but nothing asks it to make them orthogonal or to keep their variety, and the rate of the whole tells you how much of that variety survived."
            </p>
            {view_for(&mcr2::SPEC)}
            <h2>"Toward transformers"</h2>
            <p>
                "Each ReduNet layer was a step of an optimization, with operators read off the data. The next chapter follows the same recipe for the features of an image or a sentence, which arrive as a set of "<em>"tokens"</em>". "
                "Compress the tokens against a few subspaces, one per head, take a gradient step on that coding rate, and the step that comes out looks like multi-head self-attention: each token moves toward the tokens that resemble it within each head's subspace. "
                "Add a sparsity term and take one ISTA step, the algorithm of chapter 2's sparse coding, and you get the block that follows attention. "
                "Yu and colleagues (2023) called the result CRATE: a transformer whose every layer compresses and then sparsifies, and whose every part has a stated job. "
                "Ma, Tsao and Shum (2022) argue that this is no accident: a learner that seeks the most parsimonious representation of what it sees, and checks it for consistency, arrives at networks like these."
            </p>
            <h2>"Exercises"</h2>
            <ol class="exercises">
                <li>"In the rate-geometry demo, take " <code>"classes=2"</code> " and " <code>"dimension=2"</code> " and lower " <code>"spread"</code> " step by step, writing down " <code>"rate"</code> ", " <code>"class-rate"</code> " and " <code>"delta-rate"</code> " each time. Which of the three moves most, and why does the whole set's rate fall less than the class rate? Then, at the smallest spread, halve and double " <code>"eps"</code> ". Use the term " <M mathml="<mfrac><mn>1</mn><mn>2</mn></mfrac><mi>log</mi><mo>(</mo><mn>1</mn><mo>+</mo><mi>d</mi><mi>λ</mi><mo>/</mo><mi>m</mi><msup><mi>ε</mi><mn>2</mn></msup><mo>)</mo>"/> " of a thin direction to explain what you see."</li>
                <li>"On the sphere the rate lies between " <M mathml="<mfrac><mn>1</mn><mn>2</mn></mfrac><mi>log</mi><mo>(</mo><mn>1</mn><mo>+</mo><mi>d</mi><mo>/</mo><msup><mi>ε</mi><mn>2</mn></msup><mo>)</mo>"/> " and " <M mathml="<mfrac><mi>d</mi><mn>2</mn></mfrac><mi>log</mi><mo>(</mo><mn>1</mn><mo>+</mo><mn>1</mn><mo>/</mo><msup><mi>ε</mi><mn>2</mn></msup><mo>)</mo>"/> ". Compute both bounds at the demo's " <code>"eps"</code> " for " <code>"dimension=2"</code> " and " <code>"dimension=3"</code> ", and compare them with " <code>"rate"</code> " as you change " <code>"classes"</code> " and " <code>"spread"</code> ". Which settings come close to the upper bound? Then double " <code>"points"</code> ": why does the rate hardly change, though there are twice as many vectors to code?"</li>
                <li>"In the ReduNet demo, with " <code>"classes=2"</code> " and " <code>"dimension=2"</code> ", play through the layers. Where do the two classes end up, and at what angle to each other? Compare " <code>"delta-rate-first"</code> " with " <code>"delta-rate"</code> ". Then try " <code>"classes=3"</code> " in " <code>"dimension=3"</code> ", and " <code>"classes=3"</code> " in " <code>"dimension=2"</code> ", where three lines cannot all be orthogonal: what compromise do the layers find?"</li>
                <li>"Keep the ReduNet demo's " <code>"seed"</code> " fixed and vary " <code>"eta"</code> " from small to large with the same " <code>"layers"</code> ". Does " <M mathml="<mi>Δ</mi><mi>R</mi>"/> " rise at every layer? When does a large step overshoot? How many layers does a small step need to reach the same " <code>"delta-rate"</code> "? Finally raise " <code>"eps"</code> ": how does the coarser precision change the final arrangement?"</li>
                <li>"In the MCR² demo, train on " <code>"dataset=subspaces"</code> " with " <code>"loss=mcr2"</code> " and then with " <code>"loss=cross-entropy"</code> ", same " <code>"seed"</code> " and " <code>"steps"</code> ". Compare " <code>"mean-principal-angle-degrees"</code> ", " <code>"nearest-subspace-accuracy"</code> ", " <code>"rate"</code> " and " <code>"class-rate"</code> ", the heat maps and each class's singular values. Which loss keeps more of each class's variety, and how can you tell from the numbers alone?"</li>
                <li>"Switch to " <code>"dataset=digits"</code> " (ten classes) and lower " <code>"feature-dim"</code> " step by step with " <code>"loss=mcr2"</code> ". Ten mutually orthogonal subspaces need at least ten dimensions, and more if each class is to keep several directions. At which " <code>"feature-dim"</code> " does the mean principal angle start to fall well below 90°, and what happens to " <code>"nearest-subspace-accuracy"</code> " there?"</li>
            </ol>
            <h2>"References"</h2>
            <ol class="references">
                <li>"C. E. Shannon. A mathematical theory of communication. " <cite>"Bell System Technical Journal"</cite> " 27 (1948), 379–423 and 623–656."</li>
                <li>"C. E. Shannon. Coding theorems for a discrete source with a fidelity criterion. " <cite>"IRE National Convention Record"</cite> ", part 4 (1959), 142–163."</li>
                <li>"T. M. Cover, J. A. Thomas. " <cite>"Elements of Information Theory"</cite> ", 2nd ed. Wiley, 2006. Chapter 10 (rate distortion theory; the Gaussian source)."</li>
                <li>"Y. Ma, H. Derksen, W. Hong, J. Wright. Segmentation of multivariate mixed data via lossy data coding and compression. " <cite>"IEEE Transactions on Pattern Analysis and Machine Intelligence"</cite> " 29 (2007), 1546–1562."</li>
                <li>"J. Rissanen. Modeling by shortest data description. " <cite>"Automatica"</cite> " 14 (1978), 465–471."</li>
                <li>"Y. Yu, K. H. R. Chan, C. You, C. Song, Y. Ma. Learning diverse and discriminative representations via the principle of maximal coding rate reduction. " <cite>"Advances in Neural Information Processing Systems (NeurIPS)"</cite> " 33 (2020), 9422–9434."</li>
                <li>"V. Papyan, X. Y. Han, D. L. Donoho. Prevalence of neural collapse during the terminal phase of deep learning training. " <cite>"Proceedings of the National Academy of Sciences"</cite> " 117 (2020), 24652–24663."</li>
                <li>"K. H. R. Chan, Y. Yu, C. You, H. Qi, J. Wright, Y. Ma. ReduNet: a white-box deep network from the principle of maximizing rate reduction. " <cite>"Journal of Machine Learning Research"</cite> " 23 (2022), 114:1–114:103."</li>
                <li>"Å. Björck, G. H. Golub. Numerical methods for computing angles between linear subspaces. " <cite>"Mathematics of Computation"</cite> " 27 (1973), 579–594."</li>
                <li>"Y. Yu, S. Buchanan, D. Pai, T. Chu, Z. Wu, S. Tong, B. D. Haeffele, Y. Ma. White-box transformers via sparse rate reduction. " <cite>"Advances in Neural Information Processing Systems (NeurIPS)"</cite> " 36 (2023)."</li>
                <li>"Y. Ma, D. Tsao, H.-Y. Shum. On the principles of parsimony and self-consistency for the emergence of intelligence. " <cite>"Frontiers of Information Technology & Electronic Engineering"</cite> " 23 (2022), 1298–1323."</li>
            </ol>
            <p class="credit" data-credit="digits">
                "Data: the 8×8 handwritten digits are the test set of “Optical Recognition of Handwritten Digits” by E. Alpaydin and C. Kaynak (1998), UCI Machine Learning Repository, CC BY 4.0, as distributed with scikit-learn; converted for occam by "<code>"scripts/digits.py"</code>"."
            </p>
        </article>
    }
}

/// Curve classes of the plot style, one per class of points.
const CLASS_CURVES: [&str; 10] = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"];

/// The points on the circle or sphere, the ellipse whose volume in ε-balls the whole set's rate
/// counts, each class's ellipse, and an ε-ball for scale.
pub fn rate_geometry_figures(state: DemoState) -> AnyView {
    let eps = move || {
        state
            .values
            .with(|values| values.float(rate_geometry::EPS.name).unwrap_or(0.5))
    };
    let points = Signal::derive(move || {
        state
            .cloud(rate_geometry::POINTS_CLOUD)
            .map(|cloud| Layer {
                label: "points (colour: class)".into(),
                class: "classes",
                cloud,
            })
            .into_iter()
            .collect::<Vec<_>>()
    });
    let outlines = Signal::derive(move || {
        let Some(cloud) = state.cloud(rate_geometry::POINTS_CLOUD) else {
            return Vec::new();
        };
        let (d, eps) = (cloud.dimension, eps());
        let sphere: Vec<f64> = (0..d * d)
            .map(|index| if index % (d + 1) == 0 { 1.0 } else { 0.0 })
            .collect();
        let mut outlines = vec![
            Outline::of_ellipsoid("sphere", &sphere, d),
            Outline::of_ellipsoid("whole", &rate_geometry::ellipsoid(&cloud.coords, d, eps), d),
        ];
        let classes = cloud
            .labels
            .iter()
            .copied()
            .max()
            .map_or(0, |last| last + 1);
        for class in 0..classes {
            let points = rate_geometry::class_points(&cloud.coords, &cloud.labels, d, class);
            outlines.push(Outline::of_ellipsoid(
                CLASS_CURVES[class.min(9) as usize],
                &rate_geometry::ellipsoid(&points, d, eps),
                d,
            ));
        }
        // An ε-ball in the top left corner, for scale.
        let mut ball = Outline::of_ellipsoid("eps-ball", &[eps * eps, 0.0, 0.0, eps * eps], 2);
        ball.center = (-1.95 + eps, 1.95 - eps);
        outlines.push(ball);
        outlines
    });
    let note = move || {
        let rate = state.metric("rate")?;
        let class_rate = state.metric("class-rate")?;
        let delta = state.metric("delta-rate")?;
        Some(view! {
            <p class="note full">
                {format!(
                    "About e^R = {:.0} ε-balls fit in the dashed grey ellipse (R = {rate:.3} nats, {:.2} bits a point). Class by class, the coloured ellipses hold e^Rc = {:.1} on average (Rc = {class_rate:.3}): knowing the classes saves ΔR = {delta:.3} nats ({:.2} bits) a point.",
                    rate.exp(),
                    rate / std::f64::consts::LN_2,
                    class_rate.exp(),
                    delta / std::f64::consts::LN_2,
                )}
            </p>
        })
    };
    view! {
        <div class="figures">
            <Scatter layers=points outlines=outlines half=2.0
                caption="The dashed grey ellipse has the shape matrix ε²I + (d/m)ZZᵀ: the rate R is the log of how many ε-balls (the small circle) fit in it. Each coloured ellipse is the same for one class alone."
                description="Points of each class on the unit circle or sphere, with the ellipse of the whole set, one ellipse per class, and a small circle of radius epsilon."/>
            {note}
        </div>
    }
    .into_any()
}

/// The points moving layer by layer, and ΔR, R and R_c by layer.
pub fn redunet_figures(state: DemoState) -> AnyView {
    let curves = Signal::derive(move || {
        let (classes, eps) = state.values.with(|values| {
            (
                values.int(rate_geometry::CLASSES.name).unwrap_or(2) as f64,
                values.float(rate_geometry::EPS.name).unwrap_or(0.5),
            )
        });
        let dimension = state
            .values
            .with(|values| values.int(rate_geometry::DIMENSION.name).unwrap_or(2) as f64);
        // Equal classes on mutually orthogonal lines (when the dimension leaves room): R =
        // (k/2) ln(1 + d/(k ε²)) and R_c = ½ ln(1 + d/ε²).
        let levels = (classes <= dimension)
            .then(|| {
                let optimum = classes / 2.0 * (1.0 + dimension / (classes * eps * eps)).ln()
                    - 0.5 * (1.0 + dimension / (eps * eps)).ln();
                Level {
                    label: format!("classes on orthogonal lines: ΔR = {optimum:.3}"),
                    y: optimum,
                }
            })
            .into_iter()
            .collect();
        Figure {
            curves: vec![
                Curve {
                    label: "ΔR".into(),
                    class: "one",
                    points: state.series(redunet::DELTA_CURVE),
                },
                Curve {
                    label: "R (whole set)".into(),
                    class: "two",
                    points: state.series(redunet::RATE_CURVE),
                },
                Curve {
                    label: "Rc (class by class)".into(),
                    class: "three",
                    points: state.series(redunet::CLASS_RATE_CURVE),
                },
            ],
            levels,
            ..Figure::default()
        }
    });
    view! {
        <div class="figures">
            <div class="full">
                <TrajectoryPlayer
                    trajectories=Signal::derive(move || state.cloud(redunet::LAYERS_CLOUD))
                    data=Signal::derive(|| None)
                    is_done=Signal::derive(move || state.status.get() == Status::Done)
                    words=PlayerWords::LAYERS
                    caption="Each point through the layers (colour: class), with a trail of its last dozen layers."
                    description="The points of each class moving layer by layer on the circle or sphere."/>
            </div>
            <div class="full">
                <LinePlot figure=curves x_label="layer" y_label="nats a point" description="The rate reduction, the whole set's rate and the class rate after each layer."/>
            </div>
        </div>
    }
    .into_any()
}

/// Training curves, the Gram matrix of test features, each class's singular values and the
/// principal angles between classes.
pub fn mcr2_figures(state: DemoState) -> AnyView {
    let training = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "ΔR of the training features".into(),
            class: "one",
            points: state.series(mcr2::DELTA_CURVE),
        }],
        ..Figure::default()
    });
    let accuracy = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "nearest-subspace accuracy (test)".into(),
            class: "two",
            points: state.series(mcr2::ACCURACY_CURVE),
        }],
        y_range: Some((0.0, 1.0)),
        ..Figure::default()
    });
    let spectra = Signal::derive(move || Figure {
        curves: (0..10)
            .filter_map(|class| {
                let points = state.series(&format!("{}{class}", mcr2::SINGULAR_VALUES));
                (!points.is_empty()).then(|| Curve {
                    label: format!("class {class}"),
                    class: CLASS_CURVES[class],
                    points,
                })
            })
            .collect(),
        ..Figure::default()
    });
    let angles = move || {
        let images = state.images(mcr2::ANGLES)?;
        let classes = images.width;
        let header = (0..classes)
            .map(|class| view! { <th scope="col">{class}</th> })
            .collect_view();
        let rows = (0..classes)
            .map(|a| {
                let cells = (0..classes)
                    .map(|b| {
                        let degrees = 90.0 * f64::from(images.pixels[a * classes + b]);
                        view! { <td>{if a == b { "—".to_owned() } else { format!("{degrees:.0}°") }}</td> }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{a}</th>{cells}</tr> }
            })
            .collect_view();
        Some(view! {
            <figure class="angles full" data-angles>
                <table>
                    <thead><tr><th></th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <figcaption>"Mean principal angle between each two classes' subspaces (90°: orthogonal)."</figcaption>
            </figure>
        })
    };
    view! {
        <div class="figures">
            <LinePlot figure=training x_label="training step" y_label="ΔR (nats a point)" description="The rate reduction of the training features by step."/>
            <LinePlot figure=accuracy x_label="training step" y_label="accuracy" description="The share of test points classified correctly by the nearest class subspace, by step."/>
            <div class="gram">
                <ImageGrid images=Signal::derive(move || state.images(mcr2::GRAM))
                    caption=Signal::derive(|| "|zᵢᵀzⱼ| for test points sorted by class: white 0 (orthogonal), black 1 (the same direction). Blocks on the diagonal and white elsewhere: each class in its own subspace.".to_owned())/>
            </div>
            <LinePlot figure=spectra x_label="k" y_label="σₖ / √mⱼ" description="The singular values of each class's features: a few large ones mean the class fills a low-dimensional subspace."/>
            {angles}
        </div>
    }
    .into_any()
}
