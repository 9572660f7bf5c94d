//! The cluster and workflow readers (Kubernetes NodeList, WfCommons traces, Argo manifests
//! as JSON) on arbitrary text: never panic; what they accept builds or is refused with an
//! error, never a panic.
#![no_main]

use dagplan::io::argo::{ArgoOptions, parse_argo};
use dagplan::io::kubernetes::parse_node_list;
use dagplan::io::wfcommons::{WfCommonsOptions, parse_wfcommons};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(list) = parse_node_list(text) {
        let _ = dagplan::ProblemSpec::new().on_cluster(list.nodes).build();
    }
    if let Ok(trace) = parse_wfcommons(text, &WfCommonsOptions::default().bandwidth(1000)) {
        let _ = trace.spec.build();
    }
    if let Ok(workflow) = parse_argo(text, &ArgoOptions::default()) {
        let _ = workflow.spec.build();
    }
});
