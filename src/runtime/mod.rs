//! The `runtime` layer (`iree/runtime/api.h`): an instance that owns the VM
//! instance and knows the HAL drivers, sessions that hold one VM context
//! over one device (with the `hal` module registered first), and calls
//! that collect inputs, invoke a function and hand back its outputs.

pub mod call;
pub mod instance;
pub mod session;

pub use call::Call;
pub use instance::{Instance, InstanceOptions};
pub use session::{Session, SessionOptions};
