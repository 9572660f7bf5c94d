//! Capacities and demands: plain numbers or Kubernetes quantities, read into the problem's
//! integer tables, one way of writing per dimension.

use super::input::Input;
use super::names::Names;
use super::{Amount, ModelError, entry_mut};
use crate::quantity::{Scale, parse_quantity};

/// The capacity and demand tables (row-major, `resources` wide) and each dimension's scale
/// (`Some` when its amounts are quantities).
pub(super) struct Amounts {
    pub(super) capacity: Vec<u64>,
    pub(super) demand: Vec<u64>,
    pub(super) scales: Vec<Option<Scale>>,
}

/// Where an amount was written, for messages: ``capacity of node `n1` ``.
struct Place<'a> {
    field: &'static str,
    kind: &'static str,
    name: &'a str,
}

impl Place<'_> {
    fn owner(&self) -> String {
        format!("{} `{}`", self.kind, self.name)
    }

    fn describe(&self) -> String {
        format!("{} of {}", self.field, self.owner())
    }
}

/// Reads every capacity and demand of the spec, in one pass.
pub(super) fn read_amounts(
    spec: &Input<'_>,
    resources: &[String],
    resource_index: &Names,
) -> Result<Amounts, ModelError> {
    let width = resources.len();
    // Per dimension: the first place with a plain number and the first with a quantity.
    let mut first: Vec<(Option<String>, Option<String>)> = vec![(None, None); width];
    let mut capacity = vec![0; spec.nodes.len() * width];
    for (i, node) in spec.nodes.iter().enumerate() {
        let place = Place { field: "capacity", kind: "node", name: &node.name };
        let amounts = node.capacity.iter().map(|(r, a)| (r.as_str(), a));
        fill_row(&mut capacity, i, width, amounts, resource_index, &place, &mut first)?;
    }
    let mut demand = vec![0; spec.tasks.len() * width];
    for (i, task) in spec.tasks.iter().enumerate() {
        let place = Place { field: "demand", kind: "task", name: &task.name };
        let amounts = task.demand.iter().map(|(r, a)| (&**r, a));
        fill_row(&mut demand, i, width, amounts, resource_index, &place, &mut first)?;
    }
    let scales = resources
        .iter()
        .zip(first)
        .map(|(resource, seen)| match seen {
            (Some(number), Some(quantity)) => Err(ModelError::MixedAmounts {
                resource: resource.clone(),
                number,
                quantity,
                scale: Scale::of(resource),
            }),
            (_, Some(_)) => Ok(Some(Scale::of(resource))),
            _ => Ok(None),
        })
        .collect::<Result<_, _>>()?;
    Ok(Amounts { capacity, demand, scales })
}

/// Fills one row of a table, noting where each dimension first has a number or a quantity.
fn fill_row<'a>(
    values: &mut [u64],
    row: usize,
    width: usize,
    amounts: impl Iterator<Item = (&'a str, &'a Amount)>,
    resource_index: &Names,
    place: &Place<'_>,
    first: &mut [(Option<String>, Option<String>)],
) -> Result<(), ModelError> {
    for (resource, amount) in amounts {
        let r = resource_index
            .get(resource)
            .ok_or_else(|| ModelError::UnknownResource { owner: place.owner(), resource: resource.to_owned() })?
            as usize;
        let seen = entry_mut(first, r); // `r` < `width`, the length of `first`
        let value = match amount {
            Amount::Number(v) => {
                seen.0.get_or_insert_with(|| place.describe());
                *v
            }
            Amount::Quantity(text) => {
                seen.1.get_or_insert_with(|| place.describe());
                parse_quantity(text, Scale::of(resource)).map_err(|error| ModelError::BadQuantity {
                    owner: place.owner(),
                    field: place.field,
                    resource: resource.to_owned(),
                    error: Box::new(error),
                })?
            }
        };
        *entry_mut(values, row * width + r) = value; // `r` < `width` rows of `values`
    }
    Ok(())
}
