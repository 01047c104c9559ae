//! What the page calls: each workload behind a handle whose methods return promises.

use std::cell::RefCell;
use std::rc::Rc;

use burn::prelude::Device;
use wasm_bindgen::prelude::*;

use crate::workloads::{MatmulWorkload, MlpWorkload, WhiteBoxWorkload};
use occam_core::white_box::Architecture;

thread_local! {
    static WEBGPU: RefCell<Option<Device>> = const { RefCell::new(None) };
}

/// `cpu` (burn's flex) or `webgpu` (initialised once, on the browser's default adapter).
async fn device(backend: &str) -> Result<Device, JsError> {
    match backend {
        "cpu" => Ok(Device::flex()),
        "webgpu" => {
            if let Some(device) = WEBGPU.with(|cell| cell.borrow().clone()) {
                return Ok(device);
            }
            let device = Device::wgpu_options()
                .init_async()
                .await
                .map_err(|error| JsError::new(&format!("WebGPU: {error:?}")))?;
            WEBGPU.with(|cell| *cell.borrow_mut() = Some(device.clone()));
            Ok(device)
        }
        other => Err(JsError::new(&format!("unknown backend {other}"))),
    }
}

/// A workload trained some steps at a time.
pub(crate) trait Trains {
    async fn train(&mut self, steps: usize) -> Result<f32, String>;
}

impl Trains for MlpWorkload {
    async fn train(&mut self, steps: usize) -> Result<f32, String> {
        MlpWorkload::train(self, steps).await
    }
}

impl Trains for WhiteBoxWorkload {
    async fn train(&mut self, steps: usize) -> Result<f32, String> {
        WhiteBoxWorkload::train(self, steps).await
    }
}

/// `steps` steps of the workload in `inner` (taken out while it trains, so that no borrow is
/// held across an await, and put back after); resolves to the last loss once read back.
fn train_promise<W: Trains + 'static>(
    inner: &Rc<RefCell<Option<W>>>,
    steps: u32,
) -> js_sys::Promise {
    let inner = Rc::clone(inner);
    wasm_bindgen_futures::future_to_promise(async move {
        let mut workload = inner
            .borrow_mut()
            .take()
            .ok_or_else(|| JsValue::from_str("already training"))?;
        let loss = workload.train(steps as usize).await;
        *inner.borrow_mut() = Some(workload);
        Ok(JsValue::from_f64(f64::from(
            loss.map_err(|error| JsValue::from_str(&error))?,
        )))
    })
}

#[wasm_bindgen]
pub struct OccamMlp {
    /// Taken out while it trains (so no borrow is held across an await), put back after.
    inner: Rc<RefCell<Option<MlpWorkload>>>,
}

#[wasm_bindgen]
impl OccamMlp {
    /// An MLP of these layer sizes on `backend`, `batch` rows a step.
    pub async fn create(
        backend: String,
        sizes: Vec<u32>,
        batch: u32,
        seed: u32,
    ) -> Result<OccamMlp, JsError> {
        let device = device(&backend).await?;
        let sizes: Vec<usize> = sizes.into_iter().map(|size| size as usize).collect();
        Ok(Self {
            inner: Rc::new(RefCell::new(Some(MlpWorkload::new(
                &device,
                &sizes,
                batch as usize,
                u64::from(seed),
            )))),
        })
    }

    /// `steps` Adam steps; resolves to the last loss once it has been read back.
    pub fn train(&self, steps: u32) -> js_sys::Promise {
        train_promise(&self.inner, steps)
    }
}

#[wasm_bindgen]
pub struct OccamMatmul {
    inner: Rc<MatmulWorkload>,
}

#[wasm_bindgen]
impl OccamMatmul {
    /// Two random n × n matrices on `backend`.
    pub async fn create(backend: String, n: u32, seed: u32) -> Result<OccamMatmul, JsError> {
        let device = device(&backend).await?;
        Ok(Self {
            inner: Rc::new(MatmulWorkload::new(&device, n as usize, u64::from(seed))),
        })
    }

    /// `repeats` products; resolves to the sum of the last, once read back.
    pub fn run(&self, repeats: u32) -> js_sys::Promise {
        let inner = Rc::clone(&self.inner);
        wasm_bindgen_futures::future_to_promise(async move {
            let sum = inner
                .run(repeats as usize)
                .await
                .map_err(|error| JsValue::from_str(&error))?;
            Ok(JsValue::from_f64(f64::from(sum)))
        })
    }
}

#[wasm_bindgen]
pub struct OccamWhiteBox {
    /// Taken out while it trains, put back after.
    inner: Rc<RefCell<Option<WhiteBoxWorkload>>>,
}

#[wasm_bindgen]
impl OccamWhiteBox {
    /// `crate` or `transformer` of these sizes on `backend`, `batch` images a step.
    pub async fn create(
        backend: String,
        architecture: String,
        width: u32,
        layers: u32,
        heads: u32,
        batch: u32,
        seed: u32,
    ) -> Result<OccamWhiteBox, JsError> {
        let device = device(&backend).await?;
        let architecture = match architecture.as_str() {
            "transformer" => Architecture::Transformer,
            _ => Architecture::Crate,
        };
        let workload = WhiteBoxWorkload::new(
            &device,
            architecture,
            width as usize,
            layers as usize,
            heads as usize,
            batch as usize,
            u64::from(seed),
        )
        .map_err(|error| JsError::new(&error))?;
        Ok(Self {
            inner: Rc::new(RefCell::new(Some(workload))),
        })
    }

    /// `steps` Adam steps; resolves to the last loss once it has been read back.
    pub fn train(&self, steps: u32) -> js_sys::Promise {
        train_promise(&self.inner, steps)
    }
}
