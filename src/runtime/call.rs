//! Calls: a function of a session with a list of inputs pushed one by one,
//! invoked, and a list its outputs are popped from. The lists are kept
//! between invocations (`reset` empties them), so a call made once can be
//! invoked again and again without new allocations of its own.

use std::sync::Arc;

use crate::hal::buffer_view::BufferView;
use crate::modules::hal::types::{register_types, to_arc, to_ref};
use crate::runtime::session::Session;
use crate::vm::interface::Function;
use crate::vm::list::List;
use crate::vm::r#ref::Ref;
use crate::Result;

/// A function of a session with its input and output lists.
pub struct Call {
    session: Arc<Session>,
    function: Function,
    inputs: Ref,
    outputs: Ref,
}

impl Call {
    pub fn new(session: Arc<Session>, function: Function) -> Result<Call> {
        let allocator = session.host_allocator();
        Ok(Call {
            function,
            inputs: List::create(None, 4, allocator)?,
            outputs: List::create(None, 4, allocator)?,
            session,
        })
    }

    /// The call of `session`'s function `module.function`.
    pub fn by_name(session: Arc<Session>, full_name: &str) -> Result<Call> {
        let function = session.lookup_function(full_name)?;
        Call::new(session, function)
    }

    pub fn function(&self) -> Function {
        self.function
    }

    pub fn inputs(&self) -> Result<&List> {
        List::from_ref(&self.inputs)
    }

    pub fn outputs(&self) -> Result<&List> {
        List::from_ref(&self.outputs)
    }

    /// Empties both lists (what an invocation returned is released).
    pub fn reset(&self) -> Result<()> {
        self.inputs()?.clear();
        self.outputs()?.clear();
        Ok(())
    }

    /// Runs the function on the inputs pushed so far; its results replace
    /// what the outputs held (the inputs stay for another invocation).
    pub fn invoke(&self) -> Result<()> {
        self.session
            .call(self.function, Some(self.inputs()?), Some(self.outputs()?))
    }

    pub fn push_back_buffer_view(&self, view: &Arc<BufferView>) -> Result<()> {
        push_back_buffer_view(self.inputs()?, view)
    }

    pub fn pop_front_buffer_view(&self) -> Result<Arc<BufferView>> {
        pop_front_buffer_view(self.outputs()?)
    }
}

/// Appends `view` to `list` as a `!hal.buffer_view` ref.
pub fn push_back_buffer_view(list: &List, view: &Arc<BufferView>) -> Result<()> {
    register_types()?;
    list.push_ref(to_ref(view))
}

/// Removes the first element of `list`, which must be a buffer view.
pub fn pop_front_buffer_view(list: &List) -> Result<Arc<BufferView>> {
    let first = list.pop_front_ref()?;
    to_arc::<BufferView>(&first, "the first output")
}
