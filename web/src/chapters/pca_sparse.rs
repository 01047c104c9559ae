//! Chapter `pca-sparse`: data lives near low-dimensional subspaces; finding them compresses it.

use leptos::prelude::*;
use occam_demos::{bases, pca, sparse_coding};

use super::{Equation, M};
use crate::demo::{DemoState, view_for};
use crate::images::ImageGrid;
use crate::plot::{Curve, Figure, Level, LinePlot};

const COVARIANCE: &str = "<mi>C</mi><mo>=</mo><mfrac><mn>1</mn><mi>n</mi></mfrac><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><mo>(</mo><msub><mi>x</mi><mi>i</mi></msub><mo>−</mo><mi>μ</mi><mo>)</mo><msup><mrow><mo>(</mo><msub><mi>x</mi><mi>i</mi></msub><mo>−</mo><mi>μ</mi><mo>)</mo></mrow><mi>⊤</mi></msup><mo>,</mo><mspace width=\"1em\"/><mi>C</mi><msub><mi>v</mi><mi>j</mi></msub><mo>=</mo><msub><mi>λ</mi><mi>j</mi></msub><msub><mi>v</mi><mi>j</mi></msub>";
const RECONSTRUCTION: &str = "<mover><mi>x</mi><mo>^</mo></mover><mo>=</mo><mi>μ</mi><mo>+</mo><munderover><mo>∑</mo><mrow><mi>j</mi><mo>=</mo><mn>1</mn></mrow><mi>k</mi></munderover><msub><mi>c</mi><mi>j</mi></msub><msub><mi>v</mi><mi>j</mi></msub><mo>,</mo><mspace width=\"1em\"/><msub><mi>c</mi><mi>j</mi></msub><mo>=</mo><msubsup><mi>v</mi><mi>j</mi><mi>⊤</mi></msubsup><mo>(</mo><mi>x</mi><mo>−</mo><mi>μ</mi><mo>)</mo>";
const EXPLAINED: &str = "<mtext>EV</mtext><mo>(</mo><mi>k</mi><mo>)</mo><mo>=</mo><mfrac><mrow><msub><mi>λ</mi><mn>1</mn></msub><mo>+</mo><mo>⋯</mo><mo>+</mo><msub><mi>λ</mi><mi>k</mi></msub></mrow><mrow><msub><mi>λ</mi><mn>1</mn></msub><mo>+</mo><mo>⋯</mo><mo>+</mo><msub><mi>λ</mi><mi>D</mi></msub></mrow></mfrac><mo>,</mo><mspace width=\"1em\"/><mfrac><mn>1</mn><mi>n</mi></mfrac><munder><mo>∑</mo><mi>i</mi></munder><mo>‖</mo><msub><mi>x</mi><mi>i</mi></msub><mo>−</mo><msub><mover><mi>x</mi><mo>^</mo></mover><mi>i</mi></msub><msup><mo>‖</mo><mn>2</mn></msup><mo>=</mo><munder><mo>∑</mo><mrow><mi>j</mi><mo>&gt;</mo><mi>k</mi></mrow></munder><msub><mi>λ</mi><mi>j</mi></msub>";
const SUBSPACE_ITERATION: &str = "<msub><mi>Q</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub><msub><mi>R</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub><mo>=</mo><msup><mi>C</mi><mn>2</mn></msup><msub><mi>Q</mi><mi>t</mi></msub><mo>,</mo><mspace width=\"1em\"/><msub><mi>Q</mi><mn>0</mn></msub><mo>=</mo><mi>I</mi>";
const CODE_LENGTH: &str = "<mi>L</mi><mo>=</mo><munder><munder><mrow><mn>16</mn><mo>(</mo><mi>k</mi><mo>+</mo><mn>1</mn><mo>)</mo><mi>D</mi></mrow><mo>⏟</mo></munder><mtext>basis and mean</mtext></munder><mo>+</mo><munder><munder><mrow><munder><mo>∑</mo><mi>i</mi></munder><munderover><mo>∑</mo><mrow><mi>j</mi><mo>=</mo><mn>1</mn></mrow><mi>k</mi></munderover><mi>ℓ</mi><mo>(</mo><mo>round</mo><mo>(</mo><msub><mi>c</mi><mi>ij</mi></msub><mo>/</mo><mi>Δ</mi><mo>)</mo><mo>)</mo></mrow><mo>⏟</mo></munder><mtext>the coefficients</mtext></munder>";
const LASSO: &str = "<munder><mo>min</mo><mi>z</mi></munder><mspace width=\"0.3em\"/><mfrac><mn>1</mn><mn>2</mn></mfrac><mo>‖</mo><mi>x</mi><mo>−</mo><mi>A</mi><mi>z</mi><msup><mo>‖</mo><mn>2</mn></msup><mo>+</mo><mi>λ</mi><mo>‖</mo><mi>z</mi><msub><mo>‖</mo><mn>1</mn></msub><mo>,</mo><mspace width=\"1em\"/><mi>A</mi><mi>z</mi><mo>=</mo><munderover><mo>∑</mo><mrow><mi>j</mi><mo>=</mo><mn>1</mn></mrow><mi>m</mi></munderover><msub><mi>z</mi><mi>j</mi></msub><msub><mi>a</mi><mi>j</mi></msub>";
const ISTA: &str = "<msub><mi>z</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub><mo>=</mo><msub><mi>S</mi><mrow><mi>λ</mi><mo>/</mo><mi>L</mi></mrow></msub><mo>(</mo><msub><mi>y</mi><mi>t</mi></msub><mo>−</mo><mfrac><mn>1</mn><mi>L</mi></mfrac><msup><mi>A</mi><mi>⊤</mi></msup><mo>(</mo><mi>A</mi><msub><mi>y</mi><mi>t</mi></msub><mo>−</mo><mi>x</mi><mo>)</mo><mo>)</mo><mo>,</mo><mspace width=\"1em\"/><msub><mi>S</mi><mi>τ</mi></msub><mo>(</mo><mi>v</mi><mo>)</mo><mo>=</mo><mo>sign</mo><mo>(</mo><mi>v</mi><mo>)</mo><mo>max</mo><mo>(</mo><mo>|</mo><mi>v</mi><mo>|</mo><mo>−</mo><mi>τ</mi><mo>,</mo><mn>0</mn><mo>)</mo>";
const MOMENTUM: &str = "<msub><mi>y</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub><mo>=</mo><msub><mi>z</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub><mo>+</mo><mfrac><mrow><msub><mi>s</mi><mi>t</mi></msub><mo>−</mo><mn>1</mn></mrow><msub><mi>s</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub></mfrac><mo>(</mo><msub><mi>z</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub><mo>−</mo><msub><mi>z</mi><mi>t</mi></msub><mo>)</mo><mo>,</mo><mspace width=\"1em\"/><msub><mi>s</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub><mo>=</mo><mfrac><mrow><mn>1</mn><mo>+</mo><msqrt><mn>1</mn><mo>+</mo><mn>4</mn><msubsup><mi>s</mi><mi>t</mi><mn>2</mn></msubsup></msqrt></mrow><mn>2</mn></mfrac>";
const DICTIONARY: &str = "<munder><mo>min</mo><mrow><mi>A</mi><mo>,</mo><mi>Z</mi></mrow></munder><mspace width=\"0.3em\"/><mfrac><mn>1</mn><mi>n</mi></mfrac><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><mfrac><mn>1</mn><mn>2</mn></mfrac><mo>‖</mo><msub><mi>x</mi><mi>i</mi></msub><mo>−</mo><mi>A</mi><msub><mi>z</mi><mi>i</mi></msub><msup><mo>‖</mo><mn>2</mn></msup><mo>+</mo><mi>λ</mi><mo>‖</mo><msub><mi>z</mi><mi>i</mi></msub><msub><mo>‖</mo><mn>1</mn></msub><mspace width=\"1em\"/><mtext>with every </mtext><mo>‖</mo><msub><mi>a</mi><mi>j</mi></msub><mo>‖</mo><mo>≤</mo><mn>1</mn>";
const M_TERM: &str = "<msub><mi>e</mi><mi>m</mi></msub><mo>(</mo><mi>x</mi><mo>)</mo><mo>=</mo><munder><mo>min</mo><mrow><mo>|</mo><mi>S</mi><mo>|</mo><mo>=</mo><mi>m</mi></mrow></munder><mspace width=\"0.3em\"/><munder><mo>min</mo><mi>c</mi></munder><mspace width=\"0.3em\"/><mo>‖</mo><mi>x</mi><mo>−</mo><munder><mo>∑</mo><mrow><mi>j</mi><mo>∈</mo><mi>S</mi></mrow></munder><msub><mi>c</mi><mi>j</mi></msub><msub><mi>b</mi><mi>j</mi></msub><msup><mo>‖</mo><mn>2</mn></msup>";

/// The chapter page.
#[component]
pub fn PcaSparse() -> impl IntoView {
    view! {
        <article class="chapter-page">
            <p class="kicker">"Chapter 2"</p>
            <h1>"PCA and sparse coding"</h1>
            <p>
                "An 8×8 grey image is 64 numbers. Fill those numbers at random and you get static, every time: the images that look like handwritten digits are a vanishingly thin slice of the 64-dimensional space of all images. "
                "That is good news for compression. If the data sits near a small surface inside a big space, then saying where a point is "<em>"on that surface"</em>" takes far fewer numbers than listing all of its pixels. "
                "Most of your pixels are wasted; this chapter finds the few numbers that are not."
            </p>
            <p>
                "The data here are 1,797 handwritten digits, each 8×8 pixels with 17 grey levels (Alpaydin and Kaynak's collection, as shipped by scikit-learn). "
                "Raw, each image costs 64 pixels × 8 bits = 512 bits."
            </p>
            <h2>"One flat slice: principal components"</h2>
            <p>
                "The simplest kind of thin slice is flat: a k-dimensional subspace through the average image " <M mathml="<mi>μ</mi>"/> ". "
                "Which subspace? The one along which the data varies most. Its directions are the eigenvectors of the covariance matrix, the "<em>"principal components"</em>" (Pearson 1901, Hotelling 1933):"
            </p>
            <Equation mathml=COVARIANCE/>
            <p>
                "Here " <M mathml="<msub><mi>λ</mi><mi>j</mi></msub>"/> " is the variance of the data along " <M mathml="<msub><mi>v</mi><mi>j</mi></msub>"/> ", sorted from largest to smallest. Keep the first k components, and each image is described by k numbers, its coordinates in the subspace:"
            </p>
            <Equation mathml=RECONSTRUCTION/>
            <p>
                "What is lost is exactly the variance in the directions thrown away. So the fraction of the variance explained by k components, and the squared error of the reconstruction, are read straight off the spectrum:"
            </p>
            <Equation mathml=EXPLAINED/>
            <p>
                "The demo finds the eigenvectors on your machine's tensor backend by "<em>"subspace iteration"</em>": start with all D directions and repeatedly multiply them by the covariance (squared, to go twice as fast) and make them orthonormal again with a QR decomposition. "
                "Multiplying by " <M mathml="<mi>C</mi>"/> " stretches each direction by its eigenvalue, so the strong directions take over the first columns, one after another; the residual curve shows how far the columns still are from eigenvectors."
            </p>
            <Equation mathml=SUBSPACE_ITERATION/>
            <p>
                "Then it compresses for real. The k coefficients of each image are rounded to multiples of a step " <M mathml="<mi>Δ</mi>"/> " (chosen so that rounding adds only a tenth to the error of keeping k components) and arithmetic-coded as in chapter 1, with adaptive models that learn how spread out each component is. "
                "As with the neural model there, the decoder must also be sent the model: the k components and the mean image, at 16 bits a number. The total, over all images,"
            </p>
            <Equation mathml=CODE_LENGTH/>
            <p>
                "is divided by the number of images and set beside the 512 raw bits. Ten components explain about three quarters of the variance of the digits, and their code takes about 32 bits per image: one sixteenth of the raw pixels. "
                "Try the "<code>"subspace"</code>" data too: points that lie exactly in a 5-dimensional subspace of 64 dimensions. Its spectrum has five bars and then nothing, and at k = 5 the variance is explained completely; add noise and watch the other 59 eigenvalues rise from zero."
            </p>
            {view_for(&pca::SPEC)}
            <h2>"Many small slices: sparse coding"</h2>
            <p>
                "A single flat subspace is a blunt tool. A 1 and an 8 use different strokes, and a subspace wide enough to hold both must also hold many images that are neither. "
                "A sharper picture is a "<em>"union"</em>" of many small subspaces: keep a dictionary of m building blocks, the "<em>"atoms"</em>" " <M mathml="<msub><mi>a</mi><mi>j</mi></msub>"/> ", and describe each image by a few of them. Which few may change from image to image. "
                "Olshausen and Field (1996) showed that asking for such "<em>"sparse"</em>" codes of natural images produces atoms that look like the edge detectors of the visual cortex."
            </p>
            <p>
                "Finding the code of one image is the "<em>"lasso"</em>" (Tibshirani 1996): fit the image, but pay " <M mathml="<mi>λ</mi>"/> " for every unit of coefficient, which drives most coefficients to exactly zero:"
            </p>
            <Equation mathml=LASSO/>
            <p>
                "ISTA solves it by alternating a gradient step on the fit with "<em>"soft thresholding"</em>", which shrinks every coefficient towards zero by " <M mathml="<mi>λ</mi><mo>/</mo><mi>L</mi>"/> " and sets the small ones to exactly zero (Daubechies, Defrise and De Mol 2004); " <M mathml="<mi>L</mi>"/> " is the largest eigenvalue of " <M mathml="<msup><mi>A</mi><mi>⊤</mi></msup><mi>A</mi>"/> ":"
            </p>
            <Equation mathml=ISTA/>
            <p>
                "ISTA takes " <M mathml="<msub><mi>y</mi><mi>t</mi></msub><mo>=</mo><msub><mi>z</mi><mi>t</mi></msub>"/> ". FISTA (Beck and Teboulle 2009) instead steps from a point pushed a little further along the last move, and reaches a given accuracy in far fewer iterations:"
            </p>
            <Equation mathml=MOMENTUM/>
            <p>
                "Learning the dictionary alternates two moves over all the digits: find every code with the atoms held fixed (ten FISTA iterations, starting from the last codes), then move the atoms down the gradient of the fit with the codes held fixed, and scale any atom longer than 1 back to length 1. "
                "Neither move can raise the objective, so the curve below only goes down:"
            </p>
            <Equation mathml=DICTIONARY/>
            <p>
                "The atoms start as random static, so whatever shape they take is learned. Within a few epochs they turn into digits and parts of digits (loops, bars, slanted strokes, with blue parts that rub out ink), and at the default " <M mathml="<mi>λ</mi><mo>=</mo><mn>0.5</mn>"/> " each digit is described by about ten of the 96. Raise " <M mathml="<mi>λ</mi>"/> " for sparser codes and blurrier digits; lower it for sharper digits that use more atoms."
            </p>
            {view_for(&sparse_coding::SPEC)}
            <h2>"Fixed bases and learned ones"</h2>
            <p>
                "JPEG (Wallace 1991) compresses a photograph by cutting it into 8×8 tiles and describing each tile in a fixed basis, the discrete cosine transform (Ahmed, Natarajan and Rao 1974): smooth patterns first, fine detail last. "
                "Most of a tile's energy sits in a few coefficients, so JPEG keeps those few and spends almost nothing on the rest. The DCT knows nothing about any particular data; it bets only that images are mostly smooth."
            </p>
            <p>
                "Our digits are 8×8 tiles too, so we can run JPEG's thought experiment: describe each digit by its m most useful numbers in a basis, and measure what is lost. "
                "In an orthonormal basis (the DCT, or PCA's components) the best m numbers are simply the m largest coefficients. In the overcomplete dictionary they are found greedily by orthogonal matching pursuit (Pati, Rezaiifar and Krishnaprasad 1993): pick the atom that best matches what is left, refit, repeat."
            </p>
            <Equation mathml=M_TERM/>
            <p>
                "PCA and the dictionary learn from the first 1,200 digits; all three are scored on the other 597, which they never saw. Learning pays: at every m the learned bases lose less than the cosines, and over the first coefficients, where compression matters most, the sparse dictionary (128 atoms, started from training digits), free to choose different atoms for different digits, loses least. "
                "The structure they found in one set of digits carries over to new ones: the compression generalizes, which is the whole thesis of this notebook in one plot."
            </p>
            {view_for(&bases::SPEC)}
            <h2>"Exercises"</h2>
            <ol class="exercises">
                <li>"In the PCA demo, find the smallest k whose code takes fewer bits than the same images' 4-bit pixels (they only have 17 grey levels, so 4.09 bits per pixel would do). What does the reconstruction look like there?"</li>
                <li>"Set k = 64. Why does the code now take more bits than the raw pixels, though it loses nothing?"</li>
                <li>"Choose the subspace data with noise 0.1. Which k gives the fewest bits per image? Compare it with the subspace's true dimension, 5."</li>
                <li>"Run sparse coding with ISTA and with FISTA for the same epochs. How much lower does FISTA get the objective?"</li>
                <li>"With 16 atoms instead of 96, what do the atoms look like? And with 256?"</li>
                <li>"In the bases demo, at which m does PCA lose half as much as the DCT?"</li>
            </ol>
            <h2>"References"</h2>
            <ol class="references">
                <li>"K. Pearson. On lines and planes of closest fit to systems of points in space. " <cite>"Philosophical Magazine"</cite> " 2 (1901), 559–572."</li>
                <li>"H. Hotelling. Analysis of a complex of statistical variables into principal components. " <cite>"Journal of Educational Psychology"</cite> " 24 (1933), 417–441."</li>
                <li>"B. A. Olshausen, D. J. Field. Emergence of simple-cell receptive field properties by learning a sparse code for natural images. " <cite>"Nature"</cite> " 381 (1996), 607–609."</li>
                <li>"R. Tibshirani. Regression shrinkage and selection via the lasso. " <cite>"Journal of the Royal Statistical Society B"</cite> " 58 (1996), 267–288."</li>
                <li>"I. Daubechies, M. Defrise, C. De Mol. An iterative thresholding algorithm for linear inverse problems with a sparsity constraint. " <cite>"Communications on Pure and Applied Mathematics"</cite> " 57 (2004), 1413–1457."</li>
                <li>"A. Beck, M. Teboulle. A fast iterative shrinkage-thresholding algorithm for linear inverse problems. " <cite>"SIAM Journal on Imaging Sciences"</cite> " 2 (2009), 183–202."</li>
                <li>"Y. C. Pati, R. Rezaiifar, P. S. Krishnaprasad. Orthogonal matching pursuit. " <cite>"27th Asilomar Conference on Signals, Systems and Computers"</cite> " (1993), 40–44."</li>
                <li>"N. Ahmed, T. Natarajan, K. R. Rao. Discrete cosine transform. " <cite>"IEEE Transactions on Computers"</cite> " 23 (1974), 90–93."</li>
                <li>"G. K. Wallace. The JPEG still picture compression standard. " <cite>"Communications of the ACM"</cite> " 34 (1991), 30–44."</li>
                <li>"G. H. Golub, C. F. Van Loan. " <cite>"Matrix Computations"</cite> ", 4th ed. Johns Hopkins, 2013. Section 8.3 (subspace iteration)."</li>
                <li>"J. Rissanen. Modeling by shortest data description. " <cite>"Automatica"</cite> " 14 (1978), 465–471."</li>
            </ol>
            <p class="credit" data-credit="digits">
                "Data: the 8×8 handwritten digits are the test set of “Optical Recognition of Handwritten Digits” by E. Alpaydin and C. Kaynak (1998), UCI Machine Learning Repository, CC BY 4.0, as distributed with scikit-learn; converted for occam by "<code>"scripts/digits.py"</code>"."
            </p>
        </article>
    }
}

/// A line with a point per value, for a series plotted as a staircase (histograms).
fn steps(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    points
        .iter()
        .flat_map(|&(x, y)| [(x - 0.5, y), (x + 0.5, y)])
        .collect()
}

/// A caption that never changes.
fn fixed(text: &'static str) -> Signal<String> {
    Signal::derive(move || text.to_owned())
}

/// The report's image grids `(name, caption)`, one under another.
fn pictures(state: DemoState, grids: Vec<(&'static str, Signal<String>)>) -> impl IntoView {
    let grids = grids
        .into_iter()
        .map(|(name, caption)| view! { <ImageGrid images=Signal::derive(move || state.images(name)) caption=caption/> })
        .collect_view();
    view! { <div class="full pictures">{grids}</div> }
}

pub fn pca_figures(state: DemoState) -> AnyView {
    let k = move || state.values.with(|values| values.int("k").unwrap_or(10)) as f64;
    let residual = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "residual (log₁₀)".into(),
            class: "one",
            points: state
                .series(pca::RESIDUAL_CURVE)
                .into_iter()
                .map(|(x, y)| (x, y.max(1e-12).log10()))
                .collect(),
        }],
        levels: vec![Level {
            label: "stop: 10⁻⁴".into(),
            y: -4.0,
        }],
        y_range: Some((-7.0, 0.0)),
        ..Figure::default()
    });
    let spectrum = Signal::derive(move || {
        let explained = state.series(pca::EXPLAINED_CURVE);
        let marker = explained
            .iter()
            .find(|(x, _)| *x == k())
            .map(|&(x, y)| (x, y, format!("k = {x}: {:.1}%", 100.0 * y)));
        let variances = state.series(pca::SPECTRUM);
        let largest = variances.iter().map(|p| p.1).fold(0.0f64, f64::max);
        Figure {
            curves: vec![
                Curve {
                    label: "explained variance EV(k)".into(),
                    class: "one",
                    points: explained,
                },
                Curve {
                    label: "λ_k / λ₁ (the spectrum)".into(),
                    class: "two",
                    points: variances
                        .into_iter()
                        .map(|(x, y)| (x, if largest > 0.0 { y / largest } else { 0.0 }))
                        .collect(),
                },
            ],
            markers: marker.into_iter().collect(),
            x_range: Some((0.0, 64.0)),
            y_range: Some((0.0, 1.05)),
            ..Figure::default()
        }
    });
    let bits = move || {
        let coded = state.metric("bits-per-image")?;
        let raw = state.metric("raw-bits-per-image")?;
        let coefficients = state.metric("coefficient-bits-per-image").unwrap_or(0.0);
        let model = state.metric("model-bits-per-image").unwrap_or(0.0);
        let width = |bits: f64| format!("width: {:.1}%", 100.0 * (bits / raw.max(coded)).min(1.0));
        Some(view! {
            <div class="bit-bars full" data-bits>
                <div class="bar-row"><span class="bar-label">"raw 8-bit pixels"</span><span class="bar raw" style=width(raw)></span><span class="num">{format!("{raw:.0} bits")}</span></div>
                <div class="bar-row"><span class="bar-label">{format!("{} coefficients, coded", k())}</span><span class="bar coded" style=width(coded) title=format!("coefficients {coefficients:.1} + model {model:.1}")></span><span class="num">{format!("{coded:.1} bits")}</span></div>
                <p class="note">{format!("Per image: {coefficients:.1} bits of coefficients plus {model:.1} bits for its share of the basis and mean; {:.1}× fewer than raw.", raw / coded.max(1e-9))}</p>
            </div>
        })
    };
    view! {
        <div class="figures">
            <LinePlot figure=residual x_label="subspace iterations" y_label="log₁₀ residual" description="How far the subspace iteration's columns are from eigenvectors, falling as it iterates."/>
            <LinePlot figure=spectrum x_label="components k" y_label="fraction" description="The explained variance for each k, and the eigenvalues relative to the largest."/>
            {bits}
            {pictures(state, vec![
                (pca::COMPONENTS, fixed("The first principal components (red positive, blue negative, each scaled to its largest value).")),
                (pca::ORIGINALS, fixed("Originals, as PCA saw them.")),
                (pca::RECONSTRUCTIONS, Signal::derive(move || format!("The same images decoded from {} coded coefficients each.", k()))),
            ])}
        </div>
    }
    .into_any()
}

pub fn sparse_coding_figures(state: DemoState) -> AnyView {
    let objective = Signal::derive(move || {
        let steps = state.values.with(|values| values.int("steps").unwrap_or(1)) as f64;
        Figure {
            curves: vec![Curve {
                label: "lasso objective per digit".into(),
                class: "one",
                points: state.series(sparse_coding::OBJECTIVE_CURVE),
            }],
            x_range: Some((0.0, steps.max(1.0))),
            ..Figure::default()
        }
    });
    let histogram = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "digits".into(),
            class: "two",
            points: steps(&state.series(sparse_coding::NONZEROS_HISTOGRAM)),
        }],
        ..Figure::default()
    });
    view! {
        <div class="figures">
            <LinePlot figure=objective x_label="epoch" y_label="objective" description="The dictionary-learning objective after each epoch; it never rises."/>
            <LinePlot figure=histogram x_label="nonzero coefficients in a digit's code" y_label="digits" description="How many digits use each number of atoms."/>
            {pictures(state, vec![
                (sparse_coding::ATOM_IMAGES, fixed("The learned atoms (red positive, blue negative).")),
                (sparse_coding::ORIGINALS, fixed("Digits.")),
                (sparse_coding::RECONSTRUCTIONS, fixed("The same digits rebuilt from their sparse codes.")),
            ])}
        </div>
    }
    .into_any()
}

pub fn bases_figures(state: DemoState) -> AnyView {
    let m = move || state.values.with(|values| values.int("m").unwrap_or(6)) as f64;
    let figure = Signal::derive(move || {
        let curves: Vec<Curve> = [
            (bases::DCT_CURVE, "DCT (fixed, as in JPEG)", "three"),
            (bases::PCA_CURVE, "PCA basis (learned)", "two"),
            (bases::SPARSE_CURVE, "sparse dictionary (learned)", "one"),
        ]
        .into_iter()
        .map(|(name, label, class)| Curve {
            label: label.into(),
            class,
            points: state.series(name),
        })
        .collect();
        let markers = curves
            .iter()
            .filter_map(|curve| curve.points.iter().find(|p| p.0 == m()).copied())
            .map(|(x, y)| (x, y, format!("{y:.4}")))
            .collect();
        Figure {
            curves,
            markers,
            x_range: Some((1.0, bases::MAX_TERMS as f64)),
            ..Figure::default()
        }
    });
    view! {
        <div class="figures">
            <div class="full">
                <LinePlot figure=figure x_label="coefficients kept per digit, m" y_label="squared error per pixel" description="Reconstruction error of unseen digits against the number of coefficients kept, for the DCT, PCA and the sparse dictionary."/>
            </div>
        </div>
    }
    .into_any()
}
