//! The runtime a page renders in: layers of variables looked up by reference.
//!
//! Liquid's own layers hand out a copy of every value they are asked for, turning docgen's
//! sorted maps into Liquid's hash maps, whose order changes from run to run — a
//! `{% for pair in site.data.glossary %}` would list pairs differently on every build. These
//! layers lend the value itself, so maps iterate in key order.

use std::cell::RefCell;
use std::collections::BTreeSet;

use liquid_core::model::{KString, KStringCow, ScalarCow, ValueCow, find, try_find};
use liquid_core::runtime::{GlobalFrame, PartialStore, Registers, RuntimeCore};
use liquid_core::{Object, ObjectView, Result, Runtime, Value, ValueView};

/// A layer of variables over a parent runtime (the page's `page` and `site`, an include's `include`).
pub struct Layer<'a, P> {
    parent: P,
    data: &'a dyn ObjectView,
}

impl<'a, P: Runtime> Layer<'a, P> {
    pub fn new(parent: P, data: &'a dyn ObjectView) -> Self {
        Layer { parent, data }
    }

    fn holds(&self, path: &[ScalarCow<'_>]) -> bool {
        path.first()
            .is_some_and(|key| self.data.contains_key(key.to_kstr().as_str()))
    }
}

impl<P: Runtime> Runtime for Layer<'_, P> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }

    fn name(&self) -> Option<liquid_core::model::KStringRef<'_>> {
        self.parent.name()
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        let mut roots = self.parent.roots();
        roots.extend(self.data.keys());
        roots
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        if self.holds(path) {
            try_find(self.data.as_value(), path)
        } else {
            self.parent.try_get(path)
        }
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        if self.holds(path) {
            find(self.data.as_value(), path)
        } else {
            self.parent.get(path)
        }
    }

    fn set_global(&self, name: KString, value: Value) -> Option<Value> {
        self.parent.set_global(name, value)
    }

    fn set_index(&self, name: KString, value: Value) -> Option<Value> {
        self.parent.set_index(name, value)
    }

    fn get_index<'s>(&'s self, name: &str) -> Option<ValueCow<'s>> {
        self.parent.get_index(name)
    }

    fn registers(&self) -> &Registers {
        self.parent.registers()
    }
}

/// The bottom of the stack: no variables, the registers, and the counters of `{% increment %}`.
#[derive(Default)]
pub struct Base {
    core: RuntimeCore<'static>,
    counters: RefCell<Object>,
}

impl Runtime for Base {
    fn partials(&self) -> &dyn PartialStore {
        self.core.partials()
    }

    fn name(&self) -> Option<liquid_core::model::KStringRef<'_>> {
        None
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        BTreeSet::new()
    }

    fn try_get(&self, _path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        None
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        self.core.get(path)
    }

    fn set_global(&self, _name: KString, _value: Value) -> Option<Value> {
        // The global frame above takes every assignment.
        None
    }

    fn set_index(&self, name: KString, value: Value) -> Option<Value> {
        self.counters.borrow_mut().insert(name, value)
    }

    fn get_index<'s>(&'s self, name: &str) -> Option<ValueCow<'s>> {
        self.counters
            .borrow()
            .get(name)
            .cloned()
            .map(ValueCow::Owned)
    }

    fn registers(&self) -> &Registers {
        self.core.registers()
    }
}

/// A page's runtime: `{% assign %}`ed variables over `globals`.
pub fn with_globals(globals: &dyn ObjectView) -> GlobalFrame<Layer<'_, Base>> {
    GlobalFrame::new(Layer::new(Base::default(), globals))
}
