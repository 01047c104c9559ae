//! The messages between the page and the training worker (sent with serde-wasm-bindgen).
//!
//! page → worker: [`ToWorker`]; worker → page: [`FromWorker`]. Each run has a number chosen by
//! the page, so that messages of a stopped run are told apart from those of the next one.

use serde::{Deserialize, Serialize};

use crate::params::Values;

/// Where tensors live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Backend {
    /// burn's pure-Rust CPU backend, `Device::flex()`.
    Cpu,
    /// burn's wgpu backend on the browser's WebGPU.
    WebGpu,
}

impl Backend {
    /// The name used in URLs and in `data-backend`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cpu => "cpu",
            Self::WebGpu => "webgpu",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Cpu => "CPU",
            Self::WebGpu => "WebGPU",
        }
    }
}

/// What the person asked for with `backend=`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum BackendRequest {
    Cpu,
    WebGpu,
    /// The faster for this workload on this device: the run starts on the CPU at once and
    /// measures WebGPU on the side (see [`crate::auto`]); the page caches what was measured.
    Auto {
        cached: Option<Backend>,
        /// With a cached WebGPU choice: the CPU's measured pace then, which the run's real
        /// pace on WebGPU must beat (else it falls back to the CPU).
        #[serde(default)]
        cpu_ms_per_step: Option<f64>,
    },
}

/// The timings behind an `auto` choice: milliseconds per unit of the demo's own work (its
/// `Report::progress`, a training step for most demos; the field names say step).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AutoMeasurement {
    pub cpu_ms_per_step: f64,
    pub webgpu_ms_per_step: Option<f64>,
}

/// Starts a run of a demo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartRun {
    pub run: u32,
    pub demo: String,
    pub params: Values,
    pub backend: BackendRequest,
    /// Set by the page when it found no usable WebGPU for this request (and so started the
    /// worker built without it): why, for the run's badge and notice.
    #[serde(default)]
    pub webgpu_unusable: Option<String>,
    /// The adapter the page found when it sent this run to the WebGPU build: the worker shows
    /// it and does not ask the browser again.
    #[serde(default)]
    pub adapter: Option<Adapter>,
    /// Set with `webgpu_unusable` when WebGPU worked on this page and then failed during a
    /// run (its device lost, say): the run then says in a notice that it is on the CPU, even
    /// on `auto`.
    #[serde(default)]
    pub webgpu_failed: bool,
}

/// A WebGPU adapter, as `navigator.gpu` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adapter {
    /// "vendor architecture".
    pub name: String,
    /// A fallback (software) adapter, SwiftShader say: correct, but slower than the CPU backend.
    pub is_fallback: bool,
}

/// page → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    Start(StartRun),
    Pause { run: u32 },
    Resume { run: u32 },
    Stop { run: u32 },
}

/// A point of a curve.
pub type Point = (f64, f64);

/// A named curve, sent whole in each report (curves are kept to a few hundred points).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub points: Vec<Point>,
}

impl Series {
    /// One number per item counted from 1 (a hidden layer, a class): points (1, v₁), (2, v₂), ….
    pub fn counted(name: &str, values: impl IntoIterator<Item = f64>) -> Self {
        Self {
            name: name.to_owned(),
            points: (1..).map(f64::from).zip(values).collect(),
        }
    }
}

/// A set of same-sized small images (components, atoms, digits), sent whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Images {
    pub name: String,
    pub width: usize,
    pub height: usize,
    /// Signed values (components, atoms) are drawn about zero, each image scaled to its own
    /// largest magnitude; unsigned ones (pixels) as ink from 0 to 1.
    pub is_signed: bool,
    /// One caption per image (may be empty).
    pub captions: Vec<String>,
    /// `width × height` values per image, image after image, row-major.
    #[serde(with = "f32_bytes")]
    pub pixels: Vec<f32>,
}

impl Images {
    pub fn count(&self) -> usize {
        self.pixels.len() / (self.width * self.height).max(1)
    }

    /// Image `index`'s pixels.
    pub fn image(&self, index: usize) -> &[f32] {
        let size = self.width * self.height;
        &self.pixels[index * size..(index + 1) * size]
    }
}

/// Points in the plane or in space, sent whole: a cloud of samples (`frames` = 1), or the paths
/// of the same points through `frames` snapshots (a sampler's trajectories).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cloud {
    pub name: String,
    /// 2 or 3 numbers a point.
    pub dimension: usize,
    /// Snapshots of the same points; 1 for a plain cloud.
    pub frames: usize,
    /// Frame after frame, point after point, `dimension` numbers a point.
    #[serde(with = "f32_bytes")]
    pub coords: Vec<f32>,
    /// Each point's class (the same in every frame), or empty when the points have none.
    #[serde(default)]
    pub labels: Vec<u32>,
}

impl Cloud {
    /// A single-frame cloud of `points` (`dimension` numbers each, one after the other).
    pub fn new(name: &str, dimension: usize, points: Vec<f32>) -> Self {
        Self {
            name: name.to_owned(),
            dimension,
            frames: 1,
            coords: points,
            labels: Vec::new(),
        }
    }

    /// The same cloud with a class for each point.
    pub fn with_labels(mut self, labels: Vec<u32>) -> Self {
        self.labels = labels;
        self
    }

    /// Point `index`'s class, when the points have classes.
    pub fn label(&self, index: usize) -> Option<u32> {
        self.labels.get(index).copied()
    }

    /// Points per frame.
    pub fn count(&self) -> usize {
        self.coords.len() / (self.dimension * self.frames).max(1)
    }

    /// The points of frame `index`.
    pub fn frame(&self, index: usize) -> &[f32] {
        let size = self.count() * self.dimension;
        &self.coords[index * size..(index + 1) * size]
    }
}

/// Many numbers as one run of bytes (each `f32` little-endian): serde-wasm-bindgen sends bytes
/// as one `Uint8Array`, copied at once, where a list of numbers crosses into the page's wasm one
/// number at a time (a denoiser's first report, 6,000 coordinates, took 20 ms of the page's main
/// thread to read). Formats without bytes (JSON) write them as a list of byte values; reading
/// takes bytes or such a list.
mod f32_bytes {
    use serde::de::{Error, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(values: &[f32], serializer: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = values
            .iter()
            .flat_map(|value| value.to_le_bytes())
            .collect();
        serializer.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f32>, D::Error> {
        deserializer.deserialize_byte_buf(Floats)
    }

    struct Floats;

    impl Floats {
        fn from_bytes<E: Error>(bytes: &[u8]) -> Result<Vec<f32>, E> {
            if !bytes.len().is_multiple_of(4) {
                return Err(E::custom(format!(
                    "{} bytes are not whole 4-byte numbers",
                    bytes.len()
                )));
            }
            Ok(bytes
                .chunks_exact(4)
                .map(|four| f32::from_le_bytes([four[0], four[1], four[2], four[3]]))
                .collect())
        }
    }

    impl<'de> Visitor<'de> for Floats {
        type Value = Vec<f32>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("little-endian f32s as bytes")
        }

        fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<f32>, E> {
            Self::from_bytes(bytes)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f32>, A::Error> {
            let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(byte) = seq.next_element::<u8>()? {
                bytes.push(byte);
            }
            Self::from_bytes(&bytes)
        }
    }
}

/// A small table of text (programs, nearest texts), sent whole: what a number cannot say.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    /// Each row has one cell per column.
    pub rows: Vec<Vec<String>>,
}

/// A snapshot of a run: how far it is, its metrics and its curves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Work done, out of `total` (in the demo's own units).
    pub progress: u64,
    pub total: u64,
    /// Metrics by name (see each demo's `MetricSpec`s); values are finite.
    pub metrics: Vec<(String, f64)>,
    pub series: Vec<Series>,
    /// Small images, when the demo has any.
    #[serde(default)]
    pub images: Vec<Images>,
    /// Point clouds and trajectories, when the demo has any.
    #[serde(default)]
    pub clouds: Vec<Cloud>,
    /// Tables of text, when the demo has any.
    #[serde(default)]
    pub tables: Vec<Table>,
}

impl Report {
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(metric, _)| metric == name)
            .map(|(_, value)| *value)
    }

    pub fn series(&self, name: &str) -> Option<&Series> {
        self.series.iter().find(|series| series.name == name)
    }

    pub fn images(&self, name: &str) -> Option<&Images> {
        self.images.iter().find(|images| images.name == name)
    }

    pub fn cloud(&self, name: &str) -> Option<&Cloud> {
        self.clouds.iter().find(|cloud| cloud.name == name)
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|table| table.name == name)
    }
}

/// Which backend a run got, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackendChosen {
    pub backend: Backend,
    /// Why this one, for the badge: "requested", "measured faster", "no tensor work", ...
    pub reason: String,
    /// Set when the request could not be honoured (WebGPU missing, say): shown as a notice.
    pub fallback: Option<String>,
    /// Set when `auto` measured this time, for the page to cache.
    pub measurement: Option<AutoMeasurement>,
    /// The WebGPU adapter, when one was initialised: "vendor, architecture".
    pub adapter: Option<String>,
}

/// worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm is downloading (posted by its loader script, before `Ready`): bytes so
    /// far out of `total` (0 when unknown).
    Loading {
        loaded: f64,
        total: f64,
    },
    /// The worker's wasm is loaded and it takes messages.
    Ready,
    /// What a run is doing besides its own work, for the label by its progress bar
    /// ("measuring WebGPU, step 2").
    Activity {
        run: u32,
        label: String,
    },
    Backend {
        run: u32,
        chosen: BackendChosen,
    },
    Report {
        run: u32,
        report: Report,
    },
    Paused {
        run: u32,
    },
    Done {
        run: u32,
        report: Report,
    },
    Stopped {
        run: u32,
    },
    Error {
        run: u32,
        message: String,
    },
    /// The worker's WebGPU device failed during a run (it was lost, say), and why: no later
    /// run on this page should ask for WebGPU. Posted before that run's `Error`.
    WebGpuFailed {
        why: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_survive_a_json_round_trip() {
        let start = ToWorker::Start(StartRun {
            run: 3,
            demo: "coin-flips".into(),
            params: Values::default(),
            backend: BackendRequest::Auto {
                cached: Some(Backend::WebGpu),
                cpu_ms_per_step: Some(1.5),
            },
            webgpu_unusable: Some("no adapter".into()),
            adapter: Some(Adapter {
                name: "google swiftshader".into(),
                is_fallback: true,
            }),
            webgpu_failed: true,
        });
        let json = serde_json::to_string(&start).unwrap();
        assert_eq!(serde_json::from_str::<ToWorker>(&json).unwrap(), start);
        let report = Report {
            progress: 1,
            total: 2,
            metrics: vec![("a".into(), 0.5)],
            series: vec![],
            images: vec![],
            clouds: vec![],
            tables: Vec::new(),
        };
        assert_eq!(report.metric("a"), Some(0.5));
        assert_eq!(report.metric("b"), None);
    }

    /// Coordinates and pixels travel as bytes and come back bit for bit, NaN and infinities
    /// included; a length that is not whole numbers is refused.
    #[test]
    fn floats_travel_as_bytes_and_come_back_exactly() {
        let cloud = Cloud::new(
            "c",
            2,
            vec![0.1, -2.5e-30, f32::INFINITY, f32::MIN_POSITIVE],
        );
        let json = serde_json::to_string(&cloud).unwrap();
        // 0.1f32 is 0x3dcccccd: its bytes, lowest first, lead the list.
        assert!(json.contains(r#""coords":[205,204,204,61,"#), "{json}");
        assert_eq!(serde_json::from_str::<Cloud>(&json).unwrap(), cloud);
        let with_nan = Cloud::new("n", 2, vec![f32::NAN, 1.0]);
        let back: Cloud = serde_json::from_str(&serde_json::to_string(&with_nan).unwrap()).unwrap();
        assert_eq!(back.coords[0].to_bits(), f32::NAN.to_bits());
        assert_eq!(back.coords[1], 1.0);
        let images = Images {
            name: "i".into(),
            width: 1,
            height: 2,
            is_signed: true,
            captions: vec![],
            pixels: vec![-1.0, 0.5],
        };
        let json = serde_json::to_string(&images).unwrap();
        assert_eq!(serde_json::from_str::<Images>(&json).unwrap(), images);
        let broken = r#"{"name":"c","dimension":2,"frames":1,"coords":[0,0,128]}"#;
        let error = serde_json::from_str::<Cloud>(broken)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("3 bytes are not whole 4-byte numbers"),
            "{error}"
        );
    }

    #[test]
    fn the_loaders_progress_message_reads_as_loading() {
        // The worker's loader script (plain JavaScript) posts `{Loading: {loaded, total}}`.
        let message: FromWorker =
            serde_json::from_str(r#"{"Loading":{"loaded":1024,"total":4096}}"#).unwrap();
        assert_eq!(
            message,
            FromWorker::Loading {
                loaded: 1024.0,
                total: 4096.0
            }
        );
    }
}
