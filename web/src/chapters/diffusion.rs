//! Chapter `diffusion`: a denoiser pulls noisy points back to the low-dimensional data, and a
//! chain of denoising steps turns noise into new data.

use leptos::prelude::*;
use occam_demos::{denoiser, diffusion};

use super::{Equation, M};
use crate::demo::{DemoState, Status, view_for};
use crate::plot::{Curve, Figure, Level, LinePlot};
use crate::scatter::{Layer, Scatter, TrajectoryPlayer, half_width};

const NOISY: &str = "<mi>y</mi><mo>=</mo><mi>x</mi><mo>+</mo><mi>σ</mi><mi>ε</mi><mo>,</mo><mspace width=\"1em\"/><mi>ε</mi><mo>∼</mo><mi>𝒩</mi><mo>(</mo><mn>0</mn><mo>,</mo><mi>I</mi><mo>)</mo><mo>,</mo><mspace width=\"1em\"/><mi>𝔼</mi><mo>‖</mo><mi>y</mi><mo>−</mo><mi>x</mi><msup><mo>‖</mo><mn>2</mn></msup><mo>=</mo><mi>D</mi><msup><mi>σ</mi><mn>2</mn></msup>";
const SPLIT: &str = "<mi>𝔼</mi><mo>‖</mo><mi>x</mi><mo>−</mo><mover><mi>x</mi><mo>^</mo></mover><mo>(</mo><mi>y</mi><mo>)</mo><msup><mo>‖</mo><mn>2</mn></msup><mo>=</mo><munder><munder><mrow><mi>𝔼</mi><mo>‖</mo><mi>x</mi><mo>−</mo><mi>𝔼</mi><mo>[</mo><mi>x</mi><mo>∣</mo><mi>y</mi><mo>]</mo><msup><mo>‖</mo><mn>2</mn></msup></mrow><mo>⏟</mo></munder><mtext>no denoiser removes this</mtext></munder><mo>+</mo><munder><munder><mrow><mi>𝔼</mi><mo>‖</mo><mi>𝔼</mi><mo>[</mo><mi>x</mi><mo>∣</mo><mi>y</mi><mo>]</mo><mo>−</mo><mover><mi>x</mi><mo>^</mo></mover><mo>(</mo><mi>y</mi><mo>)</mo><msup><mo>‖</mo><mn>2</mn></msup></mrow><mo>⏟</mo></munder><mtext>zero for the posterior mean</mtext></munder>";
const TWEEDIE: &str = "<mi>𝔼</mi><mo>[</mo><mi>x</mi><mo>∣</mo><mi>y</mi><mo>]</mo><mo>=</mo><mi>y</mi><mo>+</mo><msup><mi>σ</mi><mn>2</mn></msup><mspace width=\"0.1em\"/><mo>∇</mo><mi>log</mi><msub><mi>p</mi><mi>σ</mi></msub><mo>(</mo><mi>y</mi><mo>)</mo><mo>,</mo><mspace width=\"1em\"/><msub><mi>p</mi><mi>σ</mi></msub><mo>(</mo><mi>y</mi><mo>)</mo><mo>=</mo><mo>∫</mo><mi>p</mi><mo>(</mo><mi>x</mi><mo>)</mo><mspace width=\"0.1em\"/><mi>𝒩</mi><mo>(</mo><mi>y</mi><mo>;</mo><mi>x</mi><mo>,</mo><msup><mi>σ</mi><mn>2</mn></msup><mi>I</mi><mo>)</mo><mspace width=\"0.1em\"/><mi>d</mi><mi>x</mi>";
const TWEEDIE_WHY: &str = "<msup><mi>σ</mi><mn>2</mn></msup><mo>∇</mo><msub><mi>p</mi><mi>σ</mi></msub><mo>(</mo><mi>y</mi><mo>)</mo><mo>=</mo><mo>∫</mo><mo>(</mo><mi>x</mi><mo>−</mo><mi>y</mi><mo>)</mo><mspace width=\"0.1em\"/><mi>p</mi><mo>(</mo><mi>x</mi><mo>)</mo><mspace width=\"0.1em\"/><mi>𝒩</mi><mo>(</mo><mi>y</mi><mo>;</mo><mi>x</mi><mo>,</mo><msup><mi>σ</mi><mn>2</mn></msup><mi>I</mi><mo>)</mo><mspace width=\"0.1em\"/><mi>d</mi><mi>x</mi><mo>=</mo><msub><mi>p</mi><mi>σ</mi></msub><mo>(</mo><mi>y</mi><mo>)</mo><mspace width=\"0.1em\"/><mo>(</mo><mi>𝔼</mi><mo>[</mo><mi>x</mi><mo>∣</mo><mi>y</mi><mo>]</mo><mo>−</mo><mi>y</mi><mo>)</mo>";
const MIXTURE: &str = "<mi>p</mi><mo>(</mo><mi>x</mi><mo>)</mo><mo>=</mo><munder><mo>∑</mo><mi>k</mi></munder><msub><mi>π</mi><mi>k</mi></msub><mspace width=\"0.1em\"/><mi>𝒩</mi><mo>(</mo><mi>x</mi><mo>;</mo><msub><mi>μ</mi><mi>k</mi></msub><mo>,</mo><msub><mi>Σ</mi><mi>k</mi></msub><mo>)</mo><mo>,</mo><mspace width=\"1em\"/><msub><mi>Σ</mi><mi>k</mi></msub><mo>=</mo><munderover><mo>∑</mo><mrow><mi>j</mi><mo>=</mo><mn>1</mn></mrow><msub><mi>d</mi><mi>k</mi></msub></munderover><msub><mi>λ</mi><mrow><mi>k</mi><mi>j</mi></mrow></msub><mspace width=\"0.1em\"/><msub><mi>u</mi><mrow><mi>k</mi><mi>j</mi></mrow></msub><msubsup><mi>u</mi><mrow><mi>k</mi><mi>j</mi></mrow><mi>⊤</mi></msubsup>";
const WEIGHTS: &str = "<msub><mi>w</mi><mi>k</mi></msub><mo>(</mo><mi>y</mi><mo>)</mo><mo>=</mo><mfrac><mrow><msub><mi>π</mi><mi>k</mi></msub><mspace width=\"0.1em\"/><mi>𝒩</mi><mo>(</mo><mi>y</mi><mo>;</mo><msub><mi>μ</mi><mi>k</mi></msub><mo>,</mo><msub><mi>Σ</mi><mi>k</mi></msub><mo>+</mo><msup><mi>σ</mi><mn>2</mn></msup><mi>I</mi><mo>)</mo></mrow><mrow><munder><mo>∑</mo><mi>l</mi></munder><msub><mi>π</mi><mi>l</mi></msub><mspace width=\"0.1em\"/><mi>𝒩</mi><mo>(</mo><mi>y</mi><mo>;</mo><msub><mi>μ</mi><mi>l</mi></msub><mo>,</mo><msub><mi>Σ</mi><mi>l</mi></msub><mo>+</mo><msup><mi>σ</mi><mn>2</mn></msup><mi>I</mi><mo>)</mo></mrow></mfrac>";
const MIXTURE_DENOISER: &str = "<mi>𝔼</mi><mo>[</mo><mi>x</mi><mo>∣</mo><mi>y</mi><mo>]</mo><mo>=</mo><munder><mo>∑</mo><mi>k</mi></munder><msub><mi>w</mi><mi>k</mi></msub><mo>(</mo><mi>y</mi><mo>)</mo><mspace width=\"0.1em\"/><mo>(</mo><msub><mi>μ</mi><mi>k</mi></msub><mo>+</mo><msub><mi>Σ</mi><mi>k</mi></msub><msup><mrow><mo>(</mo><msub><mi>Σ</mi><mi>k</mi></msub><mo>+</mo><msup><mi>σ</mi><mn>2</mn></msup><mi>I</mi><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup><mo>(</mo><mi>y</mi><mo>−</mo><msub><mi>μ</mi><mi>k</mi></msub><mo>)</mo><mo>)</mo>";
const SHRINK: &str = "<msub><mi>Σ</mi><mi>k</mi></msub><msup><mrow><mo>(</mo><msub><mi>Σ</mi><mi>k</mi></msub><mo>+</mo><msup><mi>σ</mi><mn>2</mn></msup><mi>I</mi><mo>)</mo></mrow><mrow><mo>−</mo><mn>1</mn></mrow></msup><mo>=</mo><munderover><mo>∑</mo><mrow><mi>j</mi><mo>=</mo><mn>1</mn></mrow><msub><mi>d</mi><mi>k</mi></msub></munderover><mfrac><msub><mi>λ</mi><mrow><mi>k</mi><mi>j</mi></mrow></msub><mrow><msub><mi>λ</mi><mrow><mi>k</mi><mi>j</mi></mrow></msub><mo>+</mo><msup><mi>σ</mi><mn>2</mn></msup></mrow></mfrac><mspace width=\"0.2em\"/><msub><mi>u</mi><mrow><mi>k</mi><mi>j</mi></mrow></msub><msubsup><mi>u</mi><mrow><mi>k</mi><mi>j</mi></mrow><mi>⊤</mi></msubsup>";
const FORWARD: &str = "<msub><mi>x</mi><mi>t</mi></msub><mo>=</mo><msub><mi>α</mi><mi>t</mi></msub><msub><mi>x</mi><mn>0</mn></msub><mo>+</mo><msub><mi>σ</mi><mi>t</mi></msub><mi>ε</mi><mo>,</mo><mspace width=\"1em\"/><msubsup><mi>α</mi><mi>t</mi><mn>2</mn></msubsup><mo>=</mo><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub><mo>=</mo><munderover><mo>∏</mo><mrow><mi>s</mi><mo>=</mo><mn>1</mn></mrow><mi>t</mi></munderover><mo>(</mo><mn>1</mn><mo>−</mo><msub><mi>β</mi><mi>s</mi></msub><mo>)</mo><mo>,</mo><mspace width=\"1em\"/><msubsup><mi>σ</mi><mi>t</mi><mn>2</mn></msubsup><mo>=</mo><mn>1</mn><mo>−</mo><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub>";
const SCHEDULE: &str = "<msub><mi>β</mi><mi>t</mi></msub><mo>=</mo><msup><mn>10</mn><mrow><mo>−</mo><mn>4</mn></mrow></msup><mo>+</mo><mo>(</mo><mn>0.02</mn><mo>−</mo><msup><mn>10</mn><mrow><mo>−</mo><mn>4</mn></mrow></msup><mo>)</mo><mspace width=\"0.1em\"/><mfrac><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow><mrow><mi>T</mi><mo>−</mo><mn>1</mn></mrow></mfrac><mo>,</mo><mspace width=\"1em\"/><mi>t</mi><mo>=</mo><mn>1</mn><mo>,</mo><mo>…</mo><mo>,</mo><mi>T</mi><mo>=</mo><mn>1000</mn>";
const LEVEL_IS_DENOISING: &str = "<mfrac><msub><mi>x</mi><mi>t</mi></msub><msub><mi>α</mi><mi>t</mi></msub></mfrac><mo>=</mo><msub><mi>x</mi><mn>0</mn></msub><mo>+</mo><mfrac><msub><mi>σ</mi><mi>t</mi></msub><msub><mi>α</mi><mi>t</mi></msub></mfrac><mspace width=\"0.1em\"/><mi>ε</mi>";
const LOSS: &str = "<mi>L</mi><mo>(</mo><mi>θ</mi><mo>)</mo><mo>=</mo><msub><mi>𝔼</mi><mrow><mi>t</mi><mo>,</mo><msub><mi>x</mi><mn>0</mn></msub><mo>,</mo><mi>ε</mi></mrow></msub><mo>‖</mo><mi>ε</mi><mo>−</mo><msub><mi>ε</mi><mi>θ</mi></msub><mo>(</mo><msub><mi>α</mi><mi>t</mi></msub><msub><mi>x</mi><mn>0</mn></msub><mo>+</mo><msub><mi>σ</mi><mi>t</mi></msub><mi>ε</mi><mo>,</mo><mi>t</mi><mo>)</mo><msup><mo>‖</mo><mn>2</mn></msup>";
const X0_HAT: &str = "<msub><mover><mi>x</mi><mo>^</mo></mover><mn>0</mn></msub><mo>=</mo><mfrac><mrow><msub><mi>x</mi><mi>t</mi></msub><mo>−</mo><msub><mi>σ</mi><mi>t</mi></msub><mspace width=\"0.1em\"/><msub><mi>ε</mi><mi>θ</mi></msub><mo>(</mo><msub><mi>x</mi><mi>t</mi></msub><mo>,</mo><mi>t</mi><mo>)</mo></mrow><msub><mi>α</mi><mi>t</mi></msub></mfrac><mo>,</mo><mspace width=\"1em\"/><msub><mi>ε</mi><mi>θ</mi></msub><mo>(</mo><msub><mi>x</mi><mi>t</mi></msub><mo>,</mo><mi>t</mi><mo>)</mo><mo>≈</mo><mi>𝔼</mi><mo>[</mo><mi>ε</mi><mo>∣</mo><msub><mi>x</mi><mi>t</mi></msub><mo>]</mo><mo>=</mo><mo>−</mo><msub><mi>σ</mi><mi>t</mi></msub><mspace width=\"0.1em\"/><mo>∇</mo><mi>log</mi><msub><mi>p</mi><mi>t</mi></msub><mo>(</mo><msub><mi>x</mi><mi>t</mi></msub><mo>)</mo>";
const SAMPLER: &str = "<msub><mi>x</mi><msup><mi>t</mi><mo>′</mo></msup></msub><mo>=</mo><msqrt><msub><mover><mi>α</mi><mo>¯</mo></mover><msup><mi>t</mi><mo>′</mo></msup></msub></msqrt><mspace width=\"0.1em\"/><msub><mover><mi>x</mi><mo>^</mo></mover><mn>0</mn></msub><mo>+</mo><msqrt><mn>1</mn><mo>−</mo><msub><mover><mi>α</mi><mo>¯</mo></mover><msup><mi>t</mi><mo>′</mo></msup></msub><mo>−</mo><msup><mi>s</mi><mn>2</mn></msup></msqrt><mspace width=\"0.1em\"/><mover><mi>ε</mi><mo>^</mo></mover><mo>+</mo><mi>s</mi><mi>z</mi><mo>,</mo><mspace width=\"1em\"/><mover><mi>ε</mi><mo>^</mo></mover><mo>=</mo><msub><mi>ε</mi><mi>θ</mi></msub><mo>(</mo><msub><mi>x</mi><mi>t</mi></msub><mo>,</mo><mi>t</mi><mo>)</mo><mo>,</mo><mspace width=\"1em\"/><mi>z</mi><mo>∼</mo><mi>𝒩</mi><mo>(</mo><mn>0</mn><mo>,</mo><mi>I</mi><mo>)</mo>";
const NOISE_CHOICE: &str = "<msubsup><mi>s</mi><mtext>DDPM</mtext><mn>2</mn></msubsup><mo>=</mo><mfrac><mrow><mn>1</mn><mo>−</mo><msub><mover><mi>α</mi><mo>¯</mo></mover><msup><mi>t</mi><mo>′</mo></msup></msub></mrow><mrow><mn>1</mn><mo>−</mo><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub></mrow></mfrac><mrow><mo>(</mo><mn>1</mn><mo>−</mo><mfrac><msub><mover><mi>α</mi><mo>¯</mo></mover><mi>t</mi></msub><msub><mover><mi>α</mi><mo>¯</mo></mover><msup><mi>t</mi><mo>′</mo></msup></msub></mfrac><mo>)</mo></mrow><mo>,</mo><mspace width=\"1em\"/><msub><mi>s</mi><mtext>DDIM</mtext></msub><mo>=</mo><mn>0</mn>";
const I_MMSE: &str = "<mfrac><mi>d</mi><mrow><mi>d</mi><mi>γ</mi></mrow></mfrac><mi>I</mi><mo>(</mo><mi>x</mi><mo>;</mo><msqrt><mi>γ</mi></msqrt><mspace width=\"0.1em\"/><mi>x</mi><mo>+</mo><mi>ε</mi><mo>)</mo><mo>=</mo><mfrac><mn>1</mn><mn>2</mn></mfrac><mi>𝔼</mi><mo>‖</mo><mi>x</mi><mo>−</mo><mi>𝔼</mi><mo>[</mo><mi>x</mi><mo>∣</mo><msqrt><mi>γ</mi></msqrt><mspace width=\"0.1em\"/><mi>x</mi><mo>+</mo><mi>ε</mi><mo>]</mo><msup><mo>‖</mo><mn>2</mn></msup>";
const DISTANCE: &str = "<mi>d</mi><mo>(</mo><mi>S</mi><mo>)</mo><mo>=</mo><mfrac><mn>1</mn><mrow><mo>|</mo><mi>S</mi><mo>|</mo></mrow></mfrac><munder><mo>∑</mo><mrow><mi>x</mi><mo>∈</mo><mi>S</mi></mrow></munder><munder><mo>min</mo><mrow><mi>r</mi><mo>∈</mo><mi>R</mi></mrow></munder><mo>‖</mo><mi>x</mi><mo>−</mo><mi>r</mi><mo>‖</mo>";
const MEMORIZER: &str = "<mi>𝔼</mi><mo>[</mo><mi>x</mi><mo>∣</mo><mi>y</mi><mo>]</mo><mo>=</mo><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><msub><mi>w</mi><mi>i</mi></msub><mo>(</mo><mi>y</mi><mo>)</mo><mspace width=\"0.1em\"/><msub><mi>x</mi><mi>i</mi></msub><mo>,</mo><mspace width=\"1em\"/><msub><mi>w</mi><mi>i</mi></msub><mo>(</mo><mi>y</mi><mo>)</mo><mo>∝</mo><msup><mi>e</mi><mrow><mo>−</mo><mo>‖</mo><mi>y</mi><mo>−</mo><msub><mi>x</mi><mi>i</mi></msub><msup><mo>‖</mo><mn>2</mn></msup><mo>/</mo><mn>2</mn><msup><mi>σ</mi><mn>2</mn></msup></mrow></msup>";

/// The chapter page.
#[component]
pub fn Diffusion() -> impl IntoView {
    view! {
        <article class="chapter-page">
            <p class="kicker">"Chapter 3"</p>
            <h1>"Denoising and diffusion"</h1>
            <p>
                "Chapter 2 found that data fill only a thin slice of the space they are written in: handwritten digits crowd near a few flat subspaces of the 64 dimensions of their pixels, and saying where a digit sits on that slice takes far fewer numbers than listing its pixels. "
                "This chapter asks what else that knowledge buys. Two things, it turns out. You can "<em>"clean"</em>" data: a point knocked off the slice by noise can be pushed back onto it. And you can "<em>"make"</em>" data: start from pure noise and push, a little at a time, until it lands on the slice. "
                "Both are done by the same tool, a "<em>"denoiser"</em>", and a good denoiser is a model of where the data lives."
            </p>
            <h2>"Noise spreads the data out"</h2>
            <p>
                "Take a data point " <M mathml="<mi>x</mi>"/> " in " <M mathml="<mi>D</mi>"/> " dimensions and add independent Gaussian noise of standard deviation " <M mathml="<mi>σ</mi>"/> " to every coordinate:"
            </p>
            <Equation mathml=NOISY/>
            <p>
                "If you knew nothing about where data can be, the noisy point " <M mathml="<mi>y</mi>"/> " itself would be your best guess of " <M mathml="<mi>x</mi>"/> ", and you would be off by " <M mathml="<mi>D</mi><msup><mi>σ</mi><mn>2</mn></msup>"/> " in squared distance, on average: the cost of doing nothing. "
                "Now suppose the data lie on a line in the plane. The noise pushes each point along the line and across it. The push across the line is plainly noise, because the data never go there, so projecting " <M mathml="<mi>y</mi>"/> " back onto the line removes it and halves the error, from " <M mathml="<mn>2</mn><msup><mi>σ</mi><mn>2</mn></msup>"/> " to " <M mathml="<msup><mi>σ</mi><mn>2</mn></msup>"/> ". "
                "Near a " <M mathml="<mi>d</mi>"/> "-dimensional subspace of " <M mathml="<msup><mi>ℝ</mi><mi>D</mi></msup>"/> " the same projection removes the noise in " <M mathml="<mi>D</mi><mo>−</mo><mi>d</mi>"/> " directions and keeps it in " <M mathml="<mi>d</mi>"/> ". The thinner the data, the more noise can be taken away; and what lets you take it away is exactly what compressed the data in chapter 2, knowing the subspace."
            </p>
            <h2>"The best denoiser is an average"</h2>
            <p>
                "Which function " <M mathml="<mover><mi>x</mi><mo>^</mo></mover><mo>(</mo><mi>y</mi><mo>)</mo>"/> " has the least expected squared error? The "<em>"posterior mean"</em>" " <M mathml="<mi>𝔼</mi><mo>[</mo><mi>x</mi><mo>∣</mo><mi>y</mi><mo>]</mo>"/> ": the average of all the clean points that could have produced " <M mathml="<mi>y</mi>"/> ", each weighted by how likely it was to have done so. "
                "The reason is a split of the error into two parts that do not interact (the cross term averages to zero given " <M mathml="<mi>y</mi>"/> "):"
            </p>
            <Equation mathml=SPLIT/>
            <p>
                "The first part is the uncertainty that remains about " <M mathml="<mi>x</mi>"/> " after seeing " <M mathml="<mi>y</mi>"/> ", which no function of " <M mathml="<mi>y</mi>"/> " can remove; the second is how far the guess is from the posterior mean. So every denoiser's error is at least the posterior mean's, and the demo below uses that error as its yardstick."
            </p>
            <p>
                "The posterior mean has a second face. Let " <M mathml="<msub><mi>p</mi><mi>σ</mi></msub>"/> " be the density of the noisy points: the data's density, blurred by the noise. Then"
            </p>
            <Equation mathml=TWEEDIE/>
            <p>
                "This is "<em>"Tweedie's formula"</em>": Robbins (1956) published it, crediting Maurice Tweedie, and Efron (2011) tells its history and its uses. One line shows why it holds. The gradient of the Gaussian " <M mathml="<mi>𝒩</mi><mo>(</mo><mi>y</mi><mo>;</mo><mi>x</mi><mo>,</mo><msup><mi>σ</mi><mn>2</mn></msup><mi>I</mi><mo>)</mo>"/> " in " <M mathml="<mi>y</mi>"/> " is the Gaussian times " <M mathml="<mo>(</mo><mi>x</mi><mo>−</mo><mi>y</mi><mo>)</mo><mo>/</mo><msup><mi>σ</mi><mn>2</mn></msup>"/> ", so"
            </p>
            <Equation mathml=TWEEDIE_WHY/>
            <p>
                "and dividing by " <M mathml="<msub><mi>p</mi><mi>σ</mi></msub><mo>(</mo><mi>y</mi><mo>)</mo>"/> " gives the formula, since " <M mathml="<mo>∇</mo><mi>p</mi><mo>/</mo><mi>p</mi><mo>=</mo><mo>∇</mo><mi>log</mi><mi>p</mi>"/> ". "
                "The gradient of the log-density, " <M mathml="<mo>∇</mo><mi>log</mi><msub><mi>p</mi><mi>σ</mi></msub>"/> ", is called the "<em>"score"</em>". It points from " <M mathml="<mi>y</mi>"/> " towards where noisy points are denser, which is towards the data. "
                "So a denoiser and a score are one object: knowing either, you know the other. Vincent (2011) drew the consequence for learning: training a network to denoise is the same as fitting the score of the blurred density by "<em>"score matching"</em>" (Hyvärinen 2005). "
                "The network in the first demo makes the link literal: it outputs a correction to add to " <M mathml="<mi>y</mi>"/> ", and the correction it should learn is " <M mathml="<msup><mi>σ</mi><mn>2</mn></msup><mo>∇</mo><mi>log</mi><msub><mi>p</mi><mi>σ</mi></msub><mo>(</mo><mi>y</mi><mo>)</mo>"/> "."
            </p>
            <h2>"A closed form for flat pieces"</h2>
            <p>
                "For most data the posterior mean has no formula. One exception is a mixture of Gaussians: with probability " <M mathml="<msub><mi>π</mi><mi>k</mi></msub>"/> " a point is drawn from a Gaussian with mean " <M mathml="<msub><mi>μ</mi><mi>k</mi></msub>"/> " and covariance " <M mathml="<msub><mi>Σ</mi><mi>k</mi></msub>"/> ". "
                "When " <M mathml="<msub><mi>Σ</mi><mi>k</mi></msub>"/> " has low rank " <M mathml="<msub><mi>d</mi><mi>k</mi></msub>"/> ", the component is flat: a line, a plane, a " <M mathml="<msub><mi>d</mi><mi>k</mi></msub>"/> "-dimensional piece spanned by the eigenvectors " <M mathml="<msub><mi>u</mi><mrow><mi>k</mi><mi>j</mi></mrow></msub>"/> " of its covariance, with variances " <M mathml="<msub><mi>λ</mi><mrow><mi>k</mi><mi>j</mi></mrow></msub>"/> ". "
                "A mixture of them is chapter 2's union of subspaces, made into a distribution:"
            </p>
            <Equation mathml=MIXTURE/>
            <p>
                "A noisy point from component " <M mathml="<mi>k</mi>"/> " is Gaussian with covariance " <M mathml="<msub><mi>Σ</mi><mi>k</mi></msub><mo>+</mo><msup><mi>σ</mi><mn>2</mn></msup><mi>I</mi>"/> ", so Bayes' rule gives the probability that " <M mathml="<mi>y</mi>"/> " came from component " <M mathml="<mi>k</mi>"/> ","
            </p>
            <Equation mathml=WEIGHTS/>
            <p>"and, component by component, the posterior mean of a Gaussian (the Wiener filter):"</p>
            <Equation mathml=MIXTURE_DENOISER/>
            <p>
                "Read it piece by piece. The weights decide which piece " <M mathml="<mi>y</mi>"/> " came from, softly: a point far from one piece and near another goes almost entirely to the near one, and a point halfway between two is shared. "
                "Within a piece, the matrix in the middle, written with the piece's own directions,"
            </p>
            <Equation mathml=SHRINK/>
            <p>
                "keeps only the piece's directions (every direction across it gets the factor zero, so this is a projection) and shrinks each kept direction by " <M mathml="<msub><mi>λ</mi><mrow><mi>k</mi><mi>j</mi></mrow></msub><mo>/</mo><mo>(</mo><msub><mi>λ</mi><mrow><mi>k</mi><mi>j</mi></mrow></msub><mo>+</mo><msup><mi>σ</mi><mn>2</mn></msup><mo>)</mo>"/> ": "
                "a direction in which the data vary much more than the noise is kept nearly whole, and one drowned by the noise is pulled towards the piece's mean. "
                "Projection and shrinkage: the best denoiser is chapter 2's principal components, applied softly, piece by piece."
            </p>
            <p>
                "The first demo puts this to work. Its "<code>"mixture"</code>" data are two lines and a plane through the origin of " <M mathml="<msup><mi>ℝ</mi><mn>3</mn></msup>"/> " (drawn below from a fixed angle). "
                "A small network with two hidden layers sees noisy points and their clean originals, a fresh batch of 256 at every step, and learns with Adam to minimize its squared error. "
                "The demo measures it on 600 test points, beside the exact posterior mean from the formula above and beside doing nothing. "
                "The other data sets are curves in the plane (two moons, a swiss roll, a ring). For them the demo has no closed form, so you can judge the network only against doing nothing, and by eye."
            </p>
            {view_for(&denoiser::SPEC)}
            <p>
                "Where a point clearly came from a line, both denoisers put it back on the line; where it could have come from two pieces, they hedge and leave it between them. "
                "Raise " <M mathml="<mi>σ</mi>"/> " and the pieces blur into each other: the shrink factors fall, and both pull points towards the origin, the one place all three pieces share. When you cannot tell where a point came from, the safest guess is the place the possibilities have in common."
            </p>
            <p>
                "The link to compression is more than an analogy. Guo, Shamai and Verdú (2005) proved that for Gaussian noise the information a noisy point carries about the clean one, in nats, grows with the signal-to-noise ratio " <M mathml="<mi>γ</mi><mo>=</mo><mn>1</mn><mo>/</mo><msup><mi>σ</mi><mn>2</mn></msup>"/> " at a rate set by the best denoiser's error:"
            </p>
            <Equation mathml=I_MMSE/>
            <p>
                "Integrate the right side from pure noise " <M mathml="<mo>(</mo><mi>γ</mi><mo>=</mo><mn>0</mn><mo>)</mo>"/> " up to the level you have, and you have counted the information that level keeps: the best denoiser's error is the rate at which information arrives as the noise falls. The diffusion models that come next measure their code lengths with a similar sum over noise levels."
            </p>
            <h2>"From denoising to generating"</h2>
            <p>
                "A denoiser takes away a little noise. Chain many small denoising steps, from noise so large that nothing of the data is left down to none at all, and pure noise turns into data. That is a "<em>"diffusion model"</em>" (Sohl-Dickstein et al. 2015; Ho, Jain and Abbeel 2020). "
                "First the data are blurred in stages, the "<em>"forward process"</em>":"
            </p>
            <Equation mathml=FORWARD/>
            <p>"with the variances " <M mathml="<msub><mi>β</mi><mi>t</mi></msub>"/> " of Ho, Jain and Abbeel's linear schedule:"</p>
            <Equation mathml=SCHEDULE/>
            <p>
                "Because " <M mathml="<msubsup><mi>α</mi><mi>t</mi><mn>2</mn></msubsup><mo>+</mo><msubsup><mi>σ</mi><mi>t</mi><mn>2</mn></msubsup><mo>=</mo><mn>1</mn>"/> ", the signal fades while the noise grows and the overall spread stays about the same. "
                "At the first level the points are barely touched (" <M mathml="<msub><mi>σ</mi><mn>1</mn></msub><mo>=</mo><mn>0.01</mn>"/> "); at the last, " <M mathml="<msub><mi>α</mi><mn>1000</mn></msub><mo>≈</mo><mn>0.006</mn>"/> " and " <M mathml="<msub><mi>x</mi><mn>1000</mn></msub>"/> " is, for every practical purpose, standard Gaussian noise. "
                "Every level is a denoising problem of the kind above, at noise " <M mathml="<msub><mi>σ</mi><mi>t</mi></msub><mo>/</mo><msub><mi>α</mi><mi>t</mi></msub>"/> ":"
            </p>
            <Equation mathml=LEVEL_IS_DENOISING/>
            <p>
                "The network " <M mathml="<msub><mi>ε</mi><mi>θ</mi></msub><mo>(</mo><msub><mi>x</mi><mi>t</mi></msub><mo>,</mo><mi>t</mi><mo>)</mo>"/> " is told the point and its level and guesses the noise in it. It learns from clean points blurred to random levels, with the loss"
            </p>
            <Equation mathml=LOSS/>
            <p>
                "Guessing the noise is denoising in disguise: subtract the guessed noise and rescale, and you have a guess of the clean point. The best noise guess is the posterior mean of the noise, and by Tweedie's formula (applied at level " <M mathml="<mi>t</mi>"/> ") it is a scaled score:"
            </p>
            <Equation mathml=X0_HAT/>
            <p>
                "So one network holds a denoiser, and a score, for every level at once. "
                "Ho, Jain and Abbeel arrived at this loss from a bound on the code length of the data, the negative log-likelihood of chapter 1 in bits: the bound is a sum, over the levels, of weighted noise-guessing errors, and dropping the weights gave the simpler loss above, with which their samples looked better."
            </p>
            <h2>"Walking noise back to data"</h2>
            <p>
                "To generate, start from pure noise " <M mathml="<msub><mi>x</mi><mi>T</mi></msub><mo>∼</mo><mi>𝒩</mi><mo>(</mo><mn>0</mn><mo>,</mo><mi>I</mi><mo>)</mo>"/> " and walk down the levels. "
                "At each step, from level " <M mathml="<mi>t</mi>"/> " to a lower level " <M mathml="<msup><mi>t</mi><mo>′</mo></msup>"/> ", estimate the clean point " <M mathml="<msub><mover><mi>x</mi><mo>^</mo></mover><mn>0</mn></msub>"/> " and the noise " <M mathml="<mover><mi>ε</mi><mo>^</mo></mover>"/> ", then mix them again in the proportions of level " <M mathml="<msup><mi>t</mi><mo>′</mo></msup>"/> ", perhaps with some fresh noise " <M mathml="<mi>z</mi>"/> ":"
            </p>
            <Equation mathml=SAMPLER/>
            <p>
                "The demo walks down evenly spaced levels, as many steps as you ask for; the last step lands on level 0, where " <M mathml="<msub><mover><mi>α</mi><mo>¯</mo></mover><mn>0</mn></msub><mo>=</mo><mn>1</mn>"/> " and the update returns " <M mathml="<msub><mover><mi>x</mi><mo>^</mo></mover><mn>0</mn></msub>"/> " itself. "
                "Two choices of the fresh noise " <M mathml="<mi>s</mi>"/> " give the two samplers:"
            </p>
            <Equation mathml=NOISE_CHOICE/>
            <p>
                "With " <code>"ddpm"</code> ", fresh noise enters at every step: visiting all 1,000 levels, this is exactly Ho, Jain and Abbeel's ancestral sampler (with the variance they call " <M mathml="<msub><mover><mi>β</mi><mo>~</mo></mover><mi>t</mi></msub>"/> "), and over fewer levels it is the member " <M mathml="<mi>η</mi><mo>=</mo><mn>1</mn>"/> " of the family of Song, Meng and Ermon (2021). "
                "With " <code>"ddim"</code> ", their " <M mathml="<mi>η</mi><mo>=</mo><mn>0</mn>"/> ", no noise is added after the start: the path from " <M mathml="<msub><mi>x</mi><mi>T</mi></msub>"/> " to the sample is deterministic, the same noise always becomes the same sample, and in their experiments it kept its quality with far fewer steps than DDPM. "
                "You can see why here. Each step uses only the denoiser's single best guess " <M mathml="<msub><mover><mi>x</mi><mo>^</mo></mover><mn>0</mn></msub>"/> ", not the whole range of clean points the noisy one could have come from, and a big step pays for that in spread: with the exact mixture denoiser, 100 DDPM steps left the samples on each line with about a fifth too little variance, 500 steps with a few percent, while 100 DDIM steps were within a few percent."
            </p>
            <p>
                "Why does the walk end on the data? At high noise the posterior mean knows only roughly where the data are, so the first steps move every point towards the bulk of the data. As the noise falls the denoiser can tell the pieces apart, and the point commits to one, then to a place on it. "
                "No single step is asked to do more than remove a little noise, which is what a denoiser does. Watch it in the player below: the paths start as a shapeless cloud and end on the data."
            </p>
            <p>
                "The demo trains " <M mathml="<msub><mi>ε</mi><mi>θ</mi></msub>"/> " (three hidden layers, told the level " <M mathml="<mi>t</mi>"/> ") on fresh batches of 256 points at random levels, then draws 800 samples and keeps the paths of 80 of them. "
                "Two practical details. The levels are drawn as " <M mathml="<mi>t</mi><mo>=</mo><mn>1</mn><mo>+</mo><mo>⌊</mo><mi>T</mi><msup><mi>u</mi><mn>2</mn></msup><mo>⌋</mo>"/> " with " <M mathml="<mi>u</mi>"/> " uniform, so that the low levels, where the last steps put the finishing touches on each sample, get about a third of the training (with uniform levels, samples ended several times farther from the data). "
                "And at the noisiest levels the estimate " <M mathml="<msub><mover><mi>x</mi><mo>^</mo></mover><mn>0</mn></msub>"/> " divides by " <M mathml="<msub><mi>α</mi><mi>t</mi></msub><mo>≈</mo><mn>0.006</mn>"/> ", which magnifies the network's errors, so it is clipped to ±4, beyond where any data lie, as Ho, Jain and Abbeel did. "
                "How good are the samples? For points in the plane you can look, but the demo also measures: for each sample, the distance to the nearest point of a reference set " <M mathml="<mi>R</mi>"/> " of 2,000 data points, averaged over the samples " <M mathml="<mi>S</mi>"/> ":"
            </p>
            <Equation mathml=DISTANCE/>
            <p>
                "Even perfect samples do not sit exactly on reference points, because the reference set is finite. So the demo computes the same average for 800 fresh data points, drawn independently of the reference: that is the floor, and the ratio of the two says how close to the floor the samples come. "
                "The measure is one-sided. It checks that samples land where data are, not that they cover all of it: samples piled onto one moon would score well, which is what the scatter is for. A ratio below 1 is possible too, when samples crowd into the densest parts of the data, where neighbours are close."
            </p>
            {view_for(&diffusion::SPEC)}
            <h2>"What the network must learn"</h2>
            <p>
                "With " <code>"denoiser=exact"</code> " (mixture data only) the sampler uses the mixture's exact posterior mean at every level, the formula above at noise " <M mathml="<msub><mi>σ</mi><mi>t</mi></msub><mo>/</mo><msub><mi>α</mi><mi>t</mi></msub>"/> ", and nothing is trained. "
                "Then sampling reproduces the mixture itself, up to the error of taking finitely many steps: the sample distance should come down to the floor. "
                "Everything a diffusion network has to learn is therefore where the data live, one noise level at a time; the gap between " <code>"learned"</code> " and " <code>"exact"</code> " is what it has not yet learned."
            </p>
            <p>
                "That raises a puzzle, and it is this notebook's thesis once more. Real models are trained on a finite set of examples " <M mathml="<msub><mi>x</mi><mn>1</mn></msub><mo>,</mo><mo>…</mo><mo>,</mo><msub><mi>x</mi><mi>n</mi></msub>"/> ". "
                "The exact denoiser of that set is the mixture formula with " <M mathml="<mi>n</mi>"/> " components of zero width, one on each example:"
            </p>
            <Equation mathml=MEMORIZER/>
            <p>
                "A sampler driven by it ends every path on (or very near) one of the training examples: the perfect model of the training set can only repeat it. A diffusion model that makes new data must fall short of that perfect fit, and make up for it with structure, the lines and planes of this chapter or the strokes of chapter 2's digits, that holds for data it has not seen. "
                "Kadkhodaie, Guth, Simoncelli and Mallat (2024) watched image models cross over from repeating their training images to generating new ones as the training set grew. "
                "The demos here never see the same point twice (every batch is freshly drawn), so there is nothing to memorize; the lesson is that a description that generalizes, not a list, is what the network is for."
            </p>
            <h2>"Exercises"</h2>
            <ol class="exercises">
                <li>"In the denoiser demo, run the mixture at " <code>"sigma=0.2"</code> ", " <code>"0.5"</code> " and " <code>"1.5"</code> ". How does the optimal error compare with the error of doing nothing, " <M mathml="<mn>3</mn><msup><mi>σ</mi><mn>2</mn></msup>"/> ", at each? At which σ do the posterior means start to gather at the origin, and why there?"</li>
                <li>"With " <code>"hidden=8"</code> " and then " <code>"hidden=128"</code> ", how close does the learned denoiser get to the optimum (the ratio of their errors)? Does training longer (" <code>"steps=5000"</code> ") help the small one as much as the large one?"</li>
                <li>"In the diffusion demo, set " <code>"sampler-steps=10"</code> " and compare " <code>"sampler=ddpm"</code> " with " <code>"sampler=ddim"</code> ": which gives the smaller sample distance? Watch the paths of each in the player. Then try " <code>"sampler-steps=200"</code> "."</li>
                <li>"On the mixture, compare " <code>"denoiser=exact"</code> " with " <code>"denoiser=learned"</code> " at " <code>"steps=200"</code> " and at the default 4,000. How much of the exact sampler's quality does the network reach, and where on the three pieces do its samples go wrong?"</li>
                <li>"Choose " <code>"dataset=swiss-roll"</code> " in the denoiser demo with " <code>"hidden=8"</code> " and with " <code>"hidden=256"</code> ", then in the diffusion demo with " <code>"hidden=16"</code> " and " <code>"hidden=256"</code> ". Where along the spiral does the small network go wrong first? What about the shape there might make it hard?"</li>
            </ol>
            <h2>"References"</h2>
            <ol class="references">
                <li>"H. Robbins. An empirical Bayes approach to statistics. " <cite>"Proceedings of the Third Berkeley Symposium on Mathematical Statistics and Probability"</cite> " 1 (1956), 157–163."</li>
                <li>"B. Efron. Tweedie's formula and selection bias. " <cite>"Journal of the American Statistical Association"</cite> " 106 (2011), 1602–1614."</li>
                <li>"A. Hyvärinen. Estimation of non-normalized statistical models by score matching. " <cite>"Journal of Machine Learning Research"</cite> " 6 (2005), 695–709."</li>
                <li>"P. Vincent. A connection between score matching and denoising autoencoders. " <cite>"Neural Computation"</cite> " 23 (2011), 1661–1674."</li>
                <li>"D. Guo, S. Shamai (Shitz), S. Verdú. Mutual information and minimum mean-square error in Gaussian channels. " <cite>"IEEE Transactions on Information Theory"</cite> " 51 (2005), 1261–1282."</li>
                <li>"J. Sohl-Dickstein, E. Weiss, N. Maheswaranathan, S. Ganguli. Deep unsupervised learning using nonequilibrium thermodynamics. " <cite>"Proceedings of the 32nd International Conference on Machine Learning (ICML)"</cite> " (2015), 2256–2265."</li>
                <li>"J. Ho, A. Jain, P. Abbeel. Denoising diffusion probabilistic models. " <cite>"Advances in Neural Information Processing Systems (NeurIPS)"</cite> " 33 (2020), 6840–6851."</li>
                <li>"J. Song, C. Meng, S. Ermon. Denoising diffusion implicit models. " <cite>"International Conference on Learning Representations (ICLR)"</cite> " (2021)."</li>
                <li>"Y. Song, J. Sohl-Dickstein, D. P. Kingma, A. Kumar, S. Ermon, B. Poole. Score-based generative modeling through stochastic differential equations. " <cite>"International Conference on Learning Representations (ICLR)"</cite> " (2021)."</li>
                <li>"Z. Kadkhodaie, E. P. Simoncelli. Stochastic solutions for linear inverse problems using the prior implicit in a denoiser. " <cite>"Advances in Neural Information Processing Systems (NeurIPS)"</cite> " 34 (2021)."</li>
                <li>"Z. Kadkhodaie, F. Guth, E. P. Simoncelli, S. Mallat. Generalization in diffusion models arises from geometry-adaptive harmonic representations. " <cite>"International Conference on Learning Representations (ICLR)"</cite> " (2024)."</li>
            </ol>
        </article>
    }
}

/// The report's cloud `name` as a layer, when the report has it.
fn layer(state: DemoState, name: &str, label: &str, class: &'static str) -> Option<Layer> {
    state.cloud(name).map(|cloud| Layer {
        label: label.to_owned(),
        class,
        cloud,
    })
}

pub fn denoiser_figures(state: DemoState) -> AnyView {
    let curves = Signal::derive(move || Figure {
        curves: vec![
            Curve {
                label: "training loss".into(),
                class: "one",
                points: state.series(denoiser::LOSS_CURVE),
            },
            Curve {
                label: "test error".into(),
                class: "two",
                points: state.series(denoiser::TEST_CURVE),
            },
        ],
        levels: state
            .metric("optimal-mse")
            .map(|optimal| Level {
                label: format!("optimal (posterior mean): {optimal:.3}"),
                y: optimal,
            })
            .into_iter()
            .collect(),
        y_range: state.metric("noise-mse").map(|noise| (0.0, 1.5 * noise)),
        ..Figure::default()
    });
    // Both panels share one window, set by the noisy points.
    let half = Signal::derive(move || {
        let clouds: Vec<_> = [denoiser::NOISY, denoiser::CLEAN]
            .into_iter()
            .filter_map(|name| state.cloud(name))
            .collect();
        half_width(&clouds.iter().collect::<Vec<_>>())
    });
    let noise = Signal::derive(move || {
        [
            layer(state, denoiser::NOISY, "noisy y = x + σε", "noisy"),
            layer(state, denoiser::CLEAN, "clean x", "clean"),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let denoised = Signal::derive(move || {
        [
            layer(state, denoiser::CLEAN, "clean x", "clean faint"),
            layer(state, denoiser::DENOISED, "learned denoiser", "denoised"),
            layer(
                state,
                denoiser::OPTIMAL,
                "posterior mean 𝔼[x ∣ y]",
                "optimal",
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let note = move || {
        let learned = state.metric("denoiser-mse")?;
        let nothing = state.metric("noise-mse")?;
        let text = match state.metric("optimal-mse") {
            Some(optimal) => {
                let ratio = state
                    .metric("mse-ratio")
                    .unwrap_or(learned / optimal.max(1e-12));
                format!(
                    "The learned denoiser's error is {ratio:.2}× the optimum's ({learned:.3} against {optimal:.3} per point); doing nothing costs {nothing:.3}, {:.1}× the optimum.",
                    nothing / optimal.max(1e-12)
                )
            }
            None => format!(
                "The learned denoiser's error is {learned:.3} per point; doing nothing costs {nothing:.3}, so it removes {:.0}% of the noise's error. (There is no closed-form optimum for this data set.)",
                100.0 * (1.0 - learned / nothing.max(1e-12))
            ),
        };
        Some(view! { <p class="note full">{text}</p> })
    };
    view! {
        <div class="figures">
            <div class="full">
                <LinePlot figure=curves x_label="training step" y_label="squared error" description="The training loss and the test error of the learned denoiser by step, with the error of the optimal denoiser as a line."/>
            </div>
            {note}
            <Scatter layers=noise half=half caption="Test points before and after the noise." description="Clean test points and the same points with noise added."/>
            <Scatter layers=denoised half=half caption="The noisy points after denoising, over the clean ones." description="The noisy test points after the learned denoiser and after the posterior mean, over the clean points."/>
        </div>
    }
    .into_any()
}

pub fn diffusion_figures(state: DemoState) -> AnyView {
    let is_exact = move || {
        state
            .values
            .with(|values| values.choice(diffusion::DENOISER.name).ok() == Some("exact"))
    };
    let loss = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "noise-prediction loss".into(),
            class: "one",
            points: state.series(diffusion::LOSS_CURVE),
        }],
        ..Figure::default()
    });
    let loss_plot = move || {
        if is_exact() {
            view! { <p class="note">"The exact denoiser needs no training: sampling starts at once."</p> }.into_any()
        } else {
            view! { <LinePlot figure=loss x_label="training step" y_label="loss" description="The diffusion network's noise-prediction loss by training step."/> }.into_any()
        }
    };
    let samples = Signal::derive(move || {
        [
            layer(state, diffusion::DATA, "data", "data"),
            layer(state, diffusion::SAMPLES, "samples", "samples"),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let note = move || {
        let samples = state.metric("sample-distance")?;
        let data = state.metric("data-distance")?;
        let ratio = state
            .metric("distance-ratio")
            .unwrap_or(samples / data.max(1e-12));
        Some(view! {
            <p class="note full">
                {format!("Samples lie on average {samples:.3} from the nearest reference data point; fresh data points lie {data:.3} from it: {ratio:.2}× the floor.")}
            </p>
        })
    };
    view! {
        <div class="figures">
            {loss_plot}
            <Scatter layers=samples caption="The final samples over data points." description="The diffusion model's samples drawn over points from the data distribution."/>
            {note}
            <div class="full">
                <TrajectoryPlayer
                    trajectories=Signal::derive(move || state.cloud(diffusion::TRAJECTORIES))
                    data=Signal::derive(move || state.cloud(diffusion::DATA))
                    is_done=Signal::derive(move || state.status.get() == Status::Done)
                    caption="80 samples on their way from pure noise (step 0) to the end of the sampler, each with a trail of its last dozen steps, over the data."
                    description="The paths of 80 samples through the sampler's steps, from noise to data, drawn over the data points."/>
            </div>
        </div>
    }
    .into_any()
}
