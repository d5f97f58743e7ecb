//! The interpreter: one runtime session over one device with the model's
//! module, its input and output tensors, and the calls of `_tflite_main`
//! and its shape functions.
//!
//! States follow TFLite's: after creation (and after an input is resized)
//! tensors have shapes but `Invoke` fails until `AllocateTensors` has
//! given every input a buffer of its size; `Invoke` hands the input
//! buffers to the module and takes the buffers it returns as the outputs'
//! data, so no tensor data is copied.

use std::sync::{Arc, OnceLock};

use crate::abi::allocator::iree_allocator_t;
use crate::hal::allocator::HeapAllocator;
use crate::hal::buffer::Buffer;
use crate::hal::device::{Device, DeviceResource};
use crate::hal::local_task::options::{GROUP_COUNT_KEY, MAX_WORKER_COUNT};
use crate::hal::memory::{BufferParams, BufferUsage, MemoryType};
use crate::modules::hal::types::{register_types, to_arc, to_ref};
use crate::runtime::instance::{Instance, InstanceOptions};
use crate::runtime::session::{Session, SessionOptions};
use crate::tflite::model::{self, Model};
use crate::tflite::options::{InterpreterOptions, Reporter};
use crate::tflite::tensor::Tensor;
use crate::vm::interface::Function;
use crate::vm::list::List;
use crate::vm::r#ref::Ref;
use crate::vm::value::{TypeDef, Value, ValueType};
use crate::{iree_bail, iree_err, Result, StatusCode};

/// The functions of a TFLite-bindings module.
#[derive(Clone, Copy)]
struct Entry {
    main: Function,
    query_input_shape: Function,
    resize_input_shape: Function,
    query_output_shape: Function,
}

/// `TfLiteInterpreter`.
pub struct Interpreter {
    model: Arc<Model>,
    instance: Arc<Instance>,
    device: Arc<DeviceResource>,
    session: Session,
    entry: Entry,
    allocator: Arc<HeapAllocator>,
    inputs: Vec<Tensor>,
    outputs: Vec<Tensor>,
    /// Whether every tensor has a buffer of its shape (`Invoke` may run).
    allocated: bool,
    reporter: Reporter,
    /// Argument and result lists reused by every call.
    arguments: Ref,
    results: Ref,
    shape: Ref,
}

/// Options naming the process-wide driver registry with every driver of
/// this build, registered once: `use_all_available_drivers` adds factories
/// again on each call, and the registry holds at most eight.
fn instance_options() -> Result<InstanceOptions> {
    static REGISTERED: OnceLock<std::result::Result<InstanceOptions, String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            let mut options = InstanceOptions::default();
            options
                .use_all_available_drivers()
                .map(|()| options)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|message| iree_err!(Internal, "registering the drivers: {message}"))
}

/// The device URI `num_threads` asks for: local-sync for one thread (and
/// for TFLite's "don't care", -1 or 0); local-task with exactly that many
/// workers (the calling thread counted, as upstream's topology groups are)
/// for more, capped at the executor's bound.
fn device_uri(num_threads: i32) -> Option<String> {
    let workers = usize::try_from(num_threads).ok().filter(|&n| n > 1)?;
    let workers = workers.min(MAX_WORKER_COUNT);
    Some(format!("local-task://?{GROUP_COUNT_KEY}={workers}"))
}

/// Creates the device of [`device_uri`]; local-sync when the local-task
/// driver is not registered in this build.
fn create_device(instance: &Instance, num_threads: i32) -> Result<Arc<DeviceResource>> {
    if let Some(uri) = device_uri(num_threads) {
        match instance.try_create_default_device(&uri) {
            Ok(device) => return Ok(DeviceResource::new(device)),
            Err(e) if e.code() == StatusCode::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(DeviceResource::new(
        instance.try_create_default_device("local-sync")?,
    ))
}

fn create_session(
    instance: &Arc<Instance>,
    model: &Model,
    device: &Arc<DeviceResource>,
) -> Result<(Session, Entry)> {
    let system = iree_allocator_t::system();
    let session = Session::create_with_device(
        Arc::clone(instance),
        &SessionOptions::default(),
        Arc::clone(device),
        system,
    )?;
    session.append_bytecode_module(Arc::clone(model.bytes()))?;
    let lookup = |name: &str| session.lookup_function(&format!("{}.{name}", model.module_name()));
    let entry = Entry {
        main: lookup(model::MAIN)?,
        query_input_shape: lookup(model::QUERY_INPUT_SHAPE)?,
        resize_input_shape: lookup(model::RESIZE_INPUT_SHAPE)?,
        query_output_shape: lookup(model::QUERY_OUTPUT_SHAPE)?,
    };
    Ok((session, entry))
}

impl Interpreter {
    /// An interpreter over `model` (kept alive by the interpreter).
    pub fn new(model: Arc<Model>, options: &InterpreterOptions) -> Result<Interpreter> {
        register_types()?;
        let reporter = Reporter::new(options.error_reporter.clone());
        let system = iree_allocator_t::system();
        let instance_options = instance_options()?;
        let instance = Arc::new(Instance::new(&instance_options, system)?);
        let device = create_device(&instance, options.num_threads)?;
        let (session, entry) = create_session(&instance, &model, &device)?;
        let allocator = session.device_allocator()?;
        let inputs = model
            .inputs()
            .iter()
            .map(|spec| Tensor::new(spec, reporter.clone()))
            .collect();
        let outputs = model
            .outputs()
            .iter()
            .map(|spec| Tensor::new(spec, reporter.clone()))
            .collect();
        let mut interpreter = Interpreter {
            model,
            instance,
            device,
            session,
            entry,
            allocator,
            inputs,
            outputs,
            allocated: false,
            reporter,
            arguments: List::create(None, 8, system)?,
            results: List::create(None, 8, system)?,
            shape: List::create(Some(TypeDef::value(ValueType::I64)), 8, system)?,
        };
        for i in 0..interpreter.inputs.len() {
            let dims = interpreter.query_shape(interpreter.entry.query_input_shape, i)?;
            interpreter.inputs[i].set_dims(dims);
        }
        interpreter.refresh_output_shapes()?;
        Ok(interpreter)
    }

    pub fn reporter(&self) -> &Reporter {
        &self.reporter
    }

    /// The device the interpreter runs on (local-sync, or local-task with
    /// the options' thread count as its `hal.dispatch/concurrency`).
    pub fn device(&self) -> &Arc<dyn Device> {
        self.device.device()
    }

    pub fn model(&self) -> &Arc<Model> {
        &self.model
    }

    pub fn inputs(&self) -> &[Tensor] {
        &self.inputs
    }

    pub fn outputs(&self) -> &[Tensor] {
        &self.outputs
    }

    pub fn input(&self, index: usize) -> Result<&Tensor> {
        self.inputs
            .get(index)
            .ok_or_else(|| out_of_range("input", index, self.inputs.len()))
    }

    pub fn output(&self, index: usize) -> Result<&Tensor> {
        self.outputs
            .get(index)
            .ok_or_else(|| out_of_range("output", index, self.outputs.len()))
    }

    /// Calls a shape function (`(i64, !vm.list<i64>)`) and returns what
    /// the list holds afterwards (or what it was given, for resize).
    fn call_shape(&self, function: Function, index: usize) -> Result<()> {
        let arguments = List::from_ref(&self.arguments)?;
        arguments.clear();
        arguments.push_value(Value::I64(index as i64))?;
        arguments.push_ref(List::from_ref(&self.shape)?.retain_ref())?;
        let result = self.session.call(function, Some(arguments), None);
        arguments.clear();
        result
    }

    fn query_shape(&self, function: Function, index: usize) -> Result<Vec<i32>> {
        let shape = List::from_ref(&self.shape)?;
        shape.clear();
        self.call_shape(function, index)?;
        (0..shape.size())
            .map(|i| match shape.get_value(i, Some(ValueType::I64))? {
                Value::I64(d) => i32::try_from(d)
                    .map_err(|_| iree_err!(OutOfRange, "dimension {d} does not fit an int")),
                other => Err(iree_err!(Internal, "shape element {other:?}")),
            })
            .collect()
    }

    /// Output shapes: static ones from the sidecar (the module's query
    /// fails for most real models, see `sidecar`), the others queried.
    fn refresh_output_shapes(&mut self) -> Result<()> {
        for i in 0..self.outputs.len() {
            let dims = match self.outputs[i].static_shape() {
                Some(dims) => dims.to_vec(),
                None => self
                    .query_shape(self.entry.query_output_shape, i)
                    .map_err(|e| {
                        e.annotate(format!(
                            "querying the shape of output {i}; IREE 3.13 modules often cannot compute it: give its static shape in the tensor sidecar (tools/gen-tflite-capi-testdata.sh writes one)"
                        ))
                    })?,
            };
            self.outputs[i].set_dims(dims);
        }
        Ok(())
    }

    /// `ResizeInputTensor`: gives input `index` the shape `dims` (same
    /// rank; only dimensions the module left dynamic may change). The new
    /// shape takes effect with the next `allocate_tensors`.
    pub fn resize_input(&mut self, index: usize, dims: &[i32]) -> Result<()> {
        let current = self.input(index)?.dims().to_vec();
        if current == dims {
            return Ok(());
        }
        if dims.len() != current.len() {
            iree_bail!(
                InvalidArgument,
                "input {index} has rank {}; cannot resize it to {dims:?} (rank {})",
                current.len(),
                dims.len()
            );
        }
        if let Some(d) = dims.iter().find(|&&d| d < 0) {
            iree_bail!(InvalidArgument, "input {index}: dimension {d} is negative");
        }
        self.set_input_shape(index, dims)?;
        let got = self.query_shape(self.entry.query_input_shape, index)?;
        if got != dims {
            // Only the dynamic dimensions were taken: put the old ones back.
            self.set_input_shape(index, &current)?;
            let fixed: Vec<usize> = (0..dims.len()).filter(|&k| got[k] != dims[k]).collect();
            iree_bail!(
                InvalidArgument,
                "input {index} ('{}'): dimensions {fixed:?} of {current:?} are static in the module; cannot resize to {dims:?}",
                self.inputs[index].name().to_string_lossy()
            );
        }
        self.inputs[index].set_dims(got);
        self.allocated = false;
        Ok(())
    }

    fn set_input_shape(&self, index: usize, dims: &[i32]) -> Result<()> {
        let shape = List::from_ref(&self.shape)?;
        shape.clear();
        for &d in dims {
            shape.push_value(Value::I64(d as i64))?;
        }
        self.call_shape(self.entry.resize_input_shape, index)
    }

    fn allocate(&self, size: usize) -> Result<Arc<Buffer>> {
        let params = BufferParams {
            memory_type: MemoryType::DEVICE_LOCAL | MemoryType::HOST_VISIBLE,
            usage: BufferUsage::DISPATCH | BufferUsage::TRANSFER | BufferUsage::MAPPING,
            ..Default::default()
        };
        self.allocator.allocate_buffer(params, size as u64, &[])
    }

    /// `AllocateTensors`: output shapes follow the inputs', and every
    /// tensor whose buffer does not have its size gets a new one (zeroed;
    /// inputs that kept their size keep their data).
    pub fn allocate_tensors(&mut self) -> Result<()> {
        self.refresh_output_shapes()?;
        for i in 0..self.inputs.len() + self.outputs.len() {
            let tensor = if i < self.inputs.len() {
                &self.inputs[i]
            } else {
                &self.outputs[i - self.inputs.len()]
            };
            let size = tensor.byte_size();
            if tensor
                .buffer()
                .is_some_and(|b| b.byte_length() as usize == size)
            {
                continue;
            }
            let buffer = Some(self.allocate(size)?);
            if i < self.inputs.len() {
                self.inputs[i].set_buffer(buffer);
            } else {
                let o = i - self.inputs.len();
                self.outputs[o].set_buffer(buffer);
            }
        }
        self.allocated = true;
        Ok(())
    }

    /// `Invoke`: runs `_tflite_main` on the input buffers; the buffers it
    /// returns become the outputs' data.
    pub fn invoke(&mut self) -> Result<()> {
        if !self.allocated {
            iree_bail!(
                FailedPrecondition,
                "Invoke called before AllocateTensors (after creating the interpreter or resizing an input, call TfLiteInterpreterAllocateTensors first)"
            );
        }
        let arguments = List::from_ref(&self.arguments)?;
        let results = List::from_ref(&self.results)?;
        arguments.clear();
        results.clear();
        for tensor in &self.inputs {
            let buffer = tensor
                .buffer()
                .ok_or_else(|| iree_err!(Internal, "allocated input without a buffer"))?;
            arguments.push_ref(to_ref(buffer))?;
        }
        let called = self
            .session
            .call(self.entry.main, Some(arguments), Some(results));
        arguments.clear();
        called.map_err(|e| e.annotate("invoking the model"))?;
        if results.size() != self.outputs.len() {
            iree_bail!(
                Internal,
                "the module returned {} results for {} outputs",
                results.size(),
                self.outputs.len()
            );
        }
        for (i, output) in self.outputs.iter_mut().enumerate() {
            let buffer = to_arc::<Buffer>(&results.get_ref(i)?, "output buffer")?;
            if (buffer.byte_length() as usize) < output.byte_size() {
                iree_bail!(
                    Internal,
                    "output {i}: the module returned {} bytes for a tensor of {}",
                    buffer.byte_length(),
                    output.byte_size()
                );
            }
            output.set_buffer(Some(buffer));
        }
        results.clear();
        Ok(())
    }

    /// `ResetVariableTensors`: the module's state (its globals: the
    /// variables of a stateful model) starts over in a new context; input
    /// shapes and data are kept.
    pub fn reset_variable_tensors(&mut self) -> Result<()> {
        let (session, entry) = create_session(&self.instance, &self.model, &self.device)?;
        self.session = session;
        self.entry = entry;
        for i in 0..self.inputs.len() {
            let dims = self.inputs[i].dims().to_vec();
            self.set_input_shape(i, &dims)?;
        }
        self.refresh_output_shapes()
    }
}

fn out_of_range(what: &str, index: usize, count: usize) -> crate::Error {
    iree_err!(
        OutOfRange,
        "{what} index {index} out of range (the model has {count})"
    )
}
